"""list_games and head_to_head on the real 2015-16 schedule."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from sqlalchemy import Connection, Engine

from nba_mcp.errors import InvalidInput, NotFound
from nba_mcp.queries.schedule import head_to_head, list_games, round_half_up


@pytest.fixture
def conn(loaded_engine: Engine) -> Iterator[Connection]:
    with loaded_engine.connect() as connection:
        yield connection


def test_opening_night_2015(conn: Connection) -> None:
    games = list_games(conn, date_from="2015-10-27", date_to="2015-10-27")
    assert games.total == 3
    assert games.season is None
    assert [(g.away, g.home, g.away_score, g.home_score, g.winner) for g in games.games] == [
        ("DET", "ATL", 106, 94, "DET"),
        ("CLE", "CHI", 95, 97, "CHI"),
        ("NOP", "GSW", 95, 111, "GSW"),
    ]
    assert games.games[2].game_id == "0021500003"
    assert {g.season_type for g in games.games} == {"regular"}


def test_a_teams_playoff_run(conn: Connection) -> None:
    games = list_games(conn, season="2015-16", team="Warriors", season_type="playoffs")
    assert games.total == len(games.games) == 24
    final = games.games[-1]
    assert (final.date, final.home, final.away, final.winner) == (
        dt.date(2016, 6, 19), "GSW", "CLE", "CLE",
    )  # fmt: skip
    assert (final.home_score, final.away_score) == (89, 93)


def test_limit_cuts_but_total_counts_everything(conn: Connection) -> None:
    games = list_games(conn, season="2015-16", team="GSW", season_type="regular", limit=10)
    assert (games.total, len(games.games)) == (82, 10)
    assert games.games[0].date == dt.date(2015, 10, 27)


def test_without_season_or_dates_the_latest_season_is_listed(conn: Connection) -> None:
    games = list_games(conn, limit=1)
    assert games.season == "2022-23"
    assert games.games[0].season == "2022-23"


def test_play_in_games_have_their_own_type(conn: Connection) -> None:
    games = list_games(conn, season="2022-23", season_type="play_in")
    assert games.total == 6


def test_nothing_matching_is_an_empty_list(conn: Connection) -> None:
    games = list_games(conn, date_from="2015-08-01", date_to="2015-08-31")
    assert (games.total, games.games) == (0, [])


@pytest.mark.parametrize(
    ("kwargs", "named"),
    [
        ({"limit": 0}, "limit"),
        ({"limit": 5000}, "limit"),
        ({"date_to": "27/10/2015"}, "date_to"),
        ({"date_from": "2016-01-02", "date_to": "2016-01-01"}, "date_from"),
        ({"season_type": "finals"}, "season type"),
        ({"season": "2015"}, "2015"),
    ],
)
def test_bad_arguments_are_named(conn: Connection, kwargs: dict[str, object], named: str) -> None:
    with pytest.raises(InvalidInput, match=named):
        list_games(conn, **kwargs)  # type: ignore[arg-type]


def test_unknown_team_lists_candidates(conn: Connection) -> None:
    with pytest.raises(NotFound) as error:
        list_games(conn, season="2015-16", team="Warrior")
    assert any("GSW" in c for c in error.value.candidates)


def test_warriors_and_cavaliers_2015_16(conn: Connection) -> None:
    h2h = head_to_head(conn, team_a="GSW", team_b="Cleveland", season="2015-16")
    assert (h2h.team_a.abbreviation, h2h.team_b.abbreviation) == ("GSW", "CLE")
    regular, playoffs = h2h.records
    assert (regular.season_type, regular.games, regular.team_a_wins, regular.team_b_wins) == (
        "regular", 2, 2, 0,
    )  # fmt: skip
    assert (regular.team_a_pts_per_game, regular.team_b_pts_per_game) == (110.5, 90.5)
    assert (playoffs.season_type, playoffs.games, playoffs.team_a_wins, playoffs.team_b_wins) == (
        "playoffs", 7, 3, 4,
    )  # fmt: skip
    finals = [g for g in h2h.games if g.season_type == "playoffs"]
    gsw_points = sum(g.home_score if g.home == "GSW" else g.away_score for g in finals)
    assert gsw_points == 699  # 104, 110, 90, 108, 97, 101, 89: 99.9 a game
    assert playoffs.team_a_pts_per_game == 99.9
    assert [g.winner for g in finals] == ["GSW", "GSW", "CLE", "GSW", "CLE", "CLE", "CLE"]


def test_head_to_head_needs_two_teams(conn: Connection) -> None:
    with pytest.raises(InvalidInput, match="two teams"):
        head_to_head(conn, team_a="GSW", team_b="Golden State Warriors")


def test_rounding_is_half_up_on_the_exact_value() -> None:
    assert round(363 / 400, 3) == 0.907  # the float is just under the half
    assert round_half_up(363, 400, 3) == 0.908
    assert round_half_up(721, 20, 1) == 36.1
    assert round_half_up(2375, 79, 1) == 30.1
