"""The live NBA.com source, with NBA.com faked at the transport layer by ``responses``.

No test touches the network: every request to stats.nba.com is answered from
payloads built out of real 2018-19 games of the shared data (see ``payloads``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
import requests
import responses
from responses import matchers
from sqlalchemy import Engine, select

from nba_mcp.boxscore import COUNTING_STATS
from nba_mcp.db.models import Game, Player, PlayerBoxScore, TeamBoxScore
from nba_mcp.errors import DependencyUnavailable, IngestError, InvalidInput
from nba_mcp.ingest.batch import Batch
from nba_mcp.ingest.load import load_batch
from nba_mcp.ingest.nba_api_live import URL, fetch, parse

from . import payloads
from .payloads import PLAYOFF_GAMES, REGULAR_GAMES, SEASON

CURRY = 201939
GSW, OKC = 1610612744, 1610612760
PAUSE = 0.6


class Sleeps(list[float]):
    """Stands in for ``time.sleep``: remembers every pause instead of waiting."""

    def __call__(self, seconds: float) -> None:
        self.append(seconds)


@pytest.fixture
def nba() -> Iterator[responses.RequestsMock]:
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        yield mock


@pytest.fixture
def sleeps() -> Sleeps:
    return Sleeps()


def answer(
    nba: responses.RequestsMock,
    kind: str,
    *,
    season_type: str = "Regular Season",
    payload: Any = None,
    status: int = 200,
    error: Exception | None = None,
) -> None:
    """Answer the next ``PlayerOrTeam=kind`` request with a payload, a status or an error."""
    games = PLAYOFF_GAMES if season_type == "Playoffs" else REGULAR_GAMES
    if payload is None and status == 200 and error is None:
        build = payloads.team_log if kind == "T" else payloads.player_log
        payload = build(games, season_type)
    match = [
        matchers.query_param_matcher(
            {"PlayerOrTeam": kind, "SeasonType": season_type}, strict_match=False
        )
    ]
    if error is not None:
        nba.get(URL, body=error, match=match)
    else:
        nba.get(URL, json=payload or {"message": "unavailable"}, status=status, match=match)


def answer_season(nba: responses.RequestsMock, season_type: str = "Regular Season") -> None:
    answer(nba, "T", season_type=season_type)
    answer(nba, "P", season_type=season_type)


def run(sleeps: Sleeps, *, retries: int = 3, **kwargs: Any) -> Batch:
    return fetch(SEASON, timeout=7.5, pause=PAUSE, retries=retries, sleep=sleeps, **kwargs)


# Requests -------------------------------------------------------------------------------------


def test_two_requests_per_season_type_with_the_documented_parameters(
    nba: responses.RequestsMock, sleeps: Sleeps
) -> None:
    answer_season(nba)
    answer_season(nba, "Playoffs")

    run(sleeps, season_types=("regular", "playoffs"))

    requests_sent: list[Any] = [call.request for call in nba.calls]  # responses adds .params
    asked = [(r.params["PlayerOrTeam"], r.params["SeasonType"]) for r in requests_sent]
    assert asked == [
        ("T", "Regular Season"),
        ("P", "Regular Season"),
        ("T", "Playoffs"),
        ("P", "Playoffs"),
    ]
    for request in requests_sent:
        assert request.url.startswith(URL + "?")
        assert request.params["Season"] == SEASON
        assert request.params["LeagueID"] == "00"
        assert request.req_kwargs["timeout"] == 7.5


def test_a_season_without_play_in_games_yields_an_empty_batch(
    nba: responses.RequestsMock, sleeps: Sleeps
) -> None:
    for kind, headers in (("T", payloads.TEAM_HEADERS), ("P", payloads.PLAYER_HEADERS)):
        empty = {"resultSets": [{"name": "LeagueGameLog", "headers": headers, "rowSet": []}]}
        answer(nba, kind, season_type="PlayIn", payload=empty)

    batch = run(sleeps, season_types=("play_in",))

    assert len(nba.calls) == 2
    assert all("SeasonType=PlayIn" in str(c.request.url) for c in nba.calls)
    assert (batch.games, batch.team_boxes, batch.player_boxes) == ([], [], [])
    assert batch.seasons == {SEASON}


def test_requests_carry_browser_like_headers(nba: responses.RequestsMock, sleeps: Sleeps) -> None:
    answer_season(nba)

    run(sleeps)

    for call in nba.calls:
        headers = call.request.headers
        assert headers["User-Agent"].startswith("Mozilla/5.0")
        assert headers["Referer"] == "https://www.nba.com/"
        assert headers["Origin"] == "https://www.nba.com"
        assert headers["Accept"] == "application/json, text/plain, */*"
        assert headers["x-nba-stats-origin"] == "stats"
        assert headers["x-nba-stats-token"] == "true"
        assert "br" not in headers["Accept-Encoding"].split(", ")


def test_requests_are_paced_by_the_pause(nba: responses.RequestsMock, sleeps: Sleeps) -> None:
    answer_season(nba)
    answer_season(nba, "Playoffs")

    run(sleeps, season_types=("regular", "playoffs"))

    assert len(nba.calls) == 4
    assert sleeps == [PAUSE, PAUSE, PAUSE]


def test_a_503_is_retried_after_a_backoff(nba: responses.RequestsMock, sleeps: Sleeps) -> None:
    answer(nba, "T", status=503)
    answer_season(nba)

    batch = run(sleeps)

    assert len(nba.calls) == 3
    assert [getattr(c.response, "status_code", None) for c in nba.calls] == [503, 200, 200]
    assert sleeps == [1.0, PAUSE]
    assert len(batch.games) == len(REGULAR_GAMES)


@pytest.mark.parametrize(
    "error",
    [requests.exceptions.ReadTimeout("read timed out"), requests.ConnectionError("reset")],
    ids=["timeout", "connection-error"],
)
def test_a_timeout_or_dropped_connection_is_retried(
    nba: responses.RequestsMock, sleeps: Sleeps, error: Exception
) -> None:
    answer(nba, "T")
    answer(nba, "P", error=error)
    answer(nba, "P", error=error)
    answer(nba, "P")

    batch = run(sleeps, retries=3)

    assert len(nba.calls) == 4
    assert sleeps == [PAUSE, 1.0, 2.0]
    assert len(batch.player_boxes) > 0


def test_unreachable_after_the_retries_is_a_dependency_error(
    nba: responses.RequestsMock, sleeps: Sleeps
) -> None:
    for _ in range(4):
        answer(nba, "T", error=requests.ConnectionError("Connection refused"))

    with pytest.raises(DependencyUnavailable) as raised:
        run(sleeps, retries=4)

    assert len(nba.calls) == 4
    assert sleeps == [1.0, 2.0, 4.0]
    message = raised.value.message
    assert URL in message
    assert "after 4 attempt(s)" in message
    assert "ConnectionError: Connection refused" in message


def test_throttled_until_the_retries_run_out(nba: responses.RequestsMock, sleeps: Sleeps) -> None:
    answer(nba, "T", status=429)

    with pytest.raises(DependencyUnavailable, match="429 Client Error"):
        run(sleeps, retries=2)

    assert len(nba.calls) == 2


def test_a_refusal_is_not_retried(nba: responses.RequestsMock, sleeps: Sleeps) -> None:
    answer(nba, "T", status=403)

    with pytest.raises(DependencyUnavailable, match="HTTP 403"):
        run(sleeps)

    assert len(nba.calls) == 1
    assert sleeps == []


def test_unknown_season_type_and_bad_season_are_refused_before_any_request(
    nba: responses.RequestsMock, sleeps: Sleeps
) -> None:
    with pytest.raises(InvalidInput, match="preseason"):
        run(sleeps, season_types=("preseason",))
    with pytest.raises(InvalidInput, match="2018-20"):
        fetch("2018-20", timeout=1, pause=0, retries=1, sleep=sleeps)
    assert len(nba.calls) == 0


# Parsing --------------------------------------------------------------------------------------


def parsed(team_log: Any = None, player_log: Any = None) -> Batch:
    return parse(
        SEASON,
        "regular",
        team_log=team_log or payloads.team_log(REGULAR_GAMES),
        player_log=player_log or payloads.player_log(REGULAR_GAMES),
    )


def test_team_rows_are_paired_into_games_and_team_boxes() -> None:
    batch = parsed()

    game = next(g for g in batch.games if g["game_id"] == "0021800002")
    assert game == {
        "game_id": "0021800002",
        "season": SEASON,
        "season_type": "regular",
        "game_date": game["game_date"],
        "home_team_id": GSW,
        "away_team_id": OKC,
        "home_score": 108,
        "away_score": 100,
    }
    assert str(game["game_date"]) == "2018-10-16"
    warriors = next(
        b for b in batch.team_boxes if b["game_id"] == "0021800002" and b["team_id"] == GSW
    )
    assert warriors == {
        "game_id": "0021800002",
        "team_id": GSW,
        "opponent_id": OKC,
        "is_home": True,
        "minutes": 240,
        "source": "nba_api",
        **dict(zip(COUNTING_STATS, (42, 95, 7, 26, 17, 18, 17, 41, 28, 7, 7, 21, 29), strict=True)),
        "pts": 108,
    }
    overtime = [b["minutes"] for b in batch.team_boxes if b["game_id"] == "0021800046"]
    assert overtime == [265, 265]
    assert batch.source == "nba_api"
    assert batch.seasons == {SEASON}


def test_player_rows_become_players_and_boxes_in_whole_minutes() -> None:
    batch = parsed()

    curry = next(
        b for b in batch.player_boxes if b["game_id"] == "0021800002" and b["person_id"] == CURRY
    )
    # Basketball-Reference: 2,197 seconds, i.e. 36:37; LeagueGameLog says MIN 37.
    assert curry == {
        "game_id": "0021800002",
        "person_id": CURRY,
        "team_id": GSW,
        "seconds": 37 * 60,
        **dict(zip(COUNTING_STATS, (11, 20, 5, 9, 5, 5, 0, 8, 9, 1, 0, 3, 4), strict=True)),
        "pts": 32,
    }
    assert {"person_id": CURRY, "full_name": "Stephen Curry", "name_key": "stephen curry"} in (
        batch.players
    )
    assert len({p["person_id"] for p in batch.players}) == len(batch.players)
    morris = next(p for p in batch.players if p["person_id"] == 202694)
    assert (morris["full_name"], morris["name_key"]) == ("Marcus Morris Sr.", "marcus morris")


def test_columns_are_found_by_name_not_position() -> None:
    shuffled = parsed(
        payloads.reversed_columns(payloads.team_log(REGULAR_GAMES)),
        payloads.reversed_columns(payloads.player_log(REGULAR_GAMES)),
    )

    assert shuffled == parsed()


def test_a_missing_column_names_the_result_set_and_column() -> None:
    team_log = payloads.drop_column(payloads.team_log(REGULAR_GAMES), "FG3A")

    with pytest.raises(IngestError) as raised:
        parsed(team_log=team_log)

    assert raised.value.file == "LeagueGameLog T 2018-19 Regular Season"
    assert raised.value.column == "FG3A"
    assert "LeagueGameLog lacks required column(s): FG3A" in raised.value.message


def test_a_non_numeric_stat_names_its_row_and_column() -> None:
    player_log = payloads.set_cell(payloads.player_log(REGULAR_GAMES), 4, "AST", "n/a")

    with pytest.raises(IngestError) as raised:
        parsed(player_log=player_log)

    assert raised.value.file == "LeagueGameLog P 2018-19 Regular Season"
    assert (raised.value.line, raised.value.column) == (5, "AST")
    assert "'n/a'" in raised.value.reason


@pytest.mark.parametrize(
    ("kind", "column", "value", "reason"),
    [
        ("T", "PTS", 109, "differ from 2*FGM + 3PM + FTM"),
        ("T", "FGM", 99, "more shots made than attempted"),
        ("T", "MATCHUP", "BOS - PHI", "expected 'AAA vs. BBB' or 'AAA @ BBB'"),
        ("T", "SEASON_ID", "22017", "expected a 2018-19 season id"),
        ("P", "TEAM_ID", 1610612738, "team 1610612738 did not play in game 0021800002"),
        ("P", "PLAYER_ID", None, "column 'PLAYER_ID': expected a whole number, found ''"),
    ],
)
def test_inconsistent_rows_are_refused(kind: str, column: str, value: Any, reason: str) -> None:
    if kind == "T":
        logs = {"team_log": payloads.set_cell(payloads.team_log(REGULAR_GAMES), 0, column, value)}
    else:
        logs = {
            "player_log": payloads.set_cell(payloads.player_log(REGULAR_GAMES), 0, column, value)
        }

    with pytest.raises(IngestError, match=re.escape(reason)):
        parsed(**logs)


def test_a_game_needs_one_home_and_one_away_row() -> None:
    team_log = payloads.team_log(REGULAR_GAMES)
    both_home = payloads.set_cell(team_log, 1, "MATCHUP", "OKC vs. GSW")
    lonely = payloads.team_log(REGULAR_GAMES)
    del lonely["resultSets"][0]["rowSet"][0]

    with pytest.raises(IngestError, match="both sides of game 0021800002 are listed as home"):
        parsed(team_log=both_home)
    with pytest.raises(IngestError, match="game 0021800002 has 1 team rows, not 2"):
        parsed(team_log=lonely)


def test_player_points_must_add_up_to_the_final_score() -> None:
    curry_without_free_throws = payloads.set_cell(
        payloads.set_cell(payloads.player_log(REGULAR_GAMES), 0, "FTM", 0), 0, "PTS", 27
    )

    with pytest.raises(IngestError) as raised:
        parsed(player_log=curry_without_free_throws)

    assert raised.value.reason.startswith(
        f"the player points of team {GSW} in game 0021800002 add up to 103, "
        "but its final score is 108"
    )


def test_a_team_without_player_rows_is_refused() -> None:
    player_log = payloads.player_log(REGULAR_GAMES[1:])

    with pytest.raises(IngestError, match="has no player rows in game 0021800001"):
        parsed(player_log=player_log)


def test_an_answer_that_is_not_json_is_an_ingest_error(
    nba: responses.RequestsMock, sleeps: Sleeps
) -> None:
    nba.get(URL, body="<html>Access Denied</html>")

    with pytest.raises(IngestError, match="the answer is not JSON"):
        run(sleeps)


def test_a_payload_without_result_sets_is_an_ingest_error() -> None:
    with pytest.raises(IngestError, match="no resultSets list"):
        parsed(team_log={"message": "An error has occurred."})


# Loading --------------------------------------------------------------------------------------


def fetch_both(nba: responses.RequestsMock, sleeps: Sleeps) -> Batch:
    answer_season(nba)
    answer_season(nba, "Playoffs")
    return run(sleeps, season_types=("regular", "playoffs"))


def test_a_fetched_season_loads_exactly_and_reloads_without_change(
    engine: Engine, nba: responses.RequestsMock, sleeps: Sleeps
) -> None:
    first = load_batch(engine, fetch_both(nba, sleeps))

    game_ids = set(REGULAR_GAMES + PLAYOFF_GAMES)
    with engine.connect() as conn:
        games = {g.game_id: g for g in conn.execute(select(Game))}
        team_boxes = list(conn.execute(select(TeamBoxScore)))
        player_boxes = conn.execute(select(PlayerBoxScore, Player.person_id).join(Player)).all()
    assert set(games) == game_ids
    assert games["0041800121"].season_type == "playoffs"
    assert (games["0021800046"].home_score, games["0021800046"].away_score) == (124, 125)

    sides = payloads.team_sides()
    assert len(team_boxes) == 2 * len(game_ids)
    for team_box in team_boxes:
        side = sides[team_box.game_id, team_box.team_id]
        assert team_box.source == "nba_api"
        assert (team_box.opponent_id, team_box.is_home, team_box.minutes, team_box.pts) == (
            side["opponent_id"], side["is_home"], side["minutes"], side["pts"]
        )  # fmt: skip
        assert {s: getattr(team_box, s) for s in COUNTING_STATS} == {
            s: side[s] for s in COUNTING_STATS
        }

    lines = {
        (line["game_id"], line["person_id"]): line
        for line in payloads.player_lines().values()
        if line["game_id"] in game_ids
    }
    assert len(player_boxes) == len(lines)
    for box in player_boxes:
        line = lines[box.game_id, box.person_id]
        assert box.team_id == line["team_id"]
        assert box.seconds == payloads.minutes(line["seconds_played"]) * 60
        assert {s: getattr(box, s) for s in (*COUNTING_STATS, "pts")} == {
            s: line[s] for s in (*COUNTING_STATS, "pts")
        }
    assert first.changed["games"] == len(game_ids)

    again = load_batch(engine, fetch_both(nba, sleeps))

    assert again.total_changed == 0
    assert again.data_version == first.data_version
