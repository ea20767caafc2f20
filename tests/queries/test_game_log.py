"""player_game_log against the real 2015-16 box scores, on SQLite and PostgreSQL."""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterator

import pytest
from sqlalchemy import Connection, Engine

from nba_mcp.errors import InvalidInput, NotFound
from nba_mcp.queries.game_log import player_game_log
from tests.conftest import BREF


@pytest.fixture
def conn(loaded_engine: Engine) -> Iterator[Connection]:
    with loaded_engine.connect() as connection:
        yield connection


def curry_2016_rows() -> list[dict[str, str]]:
    """Curry's regular-season rows of 2015-16, straight from the Basketball-Reference CSV."""
    with (BREF / "player_box_scores_2015_2016.csv").open(newline="") as f:
        return [
            row
            for row in csv.DictReader(f)
            if row["slug"] == "curryst01" and row["season_type"] == "Regular Season"
        ]


def test_opening_night_line(conn: Connection) -> None:
    log = player_game_log(conn, player="Stephen Curry", season="2015-16")
    first = log.games[0]
    assert (first.date, first.game_id) == (dt.date(2015, 10, 27), "0021500003")
    assert (first.team, first.opponent, first.location) == ("GSW", "NOP", "home")
    assert (first.result, first.team_score, first.opponent_score) == ("W", 111, 95)
    assert (first.pts, first.fgm, first.fga, first.fg3m, first.reb, first.ast) == (
        40, 14, 26, 5, 6, 7,
    )  # fmt: skip
    assert first.min == 35.6
    assert first.game_score == 34.9


def test_game_score_matches_basketball_reference_in_every_curry_game(conn: Connection) -> None:
    published = {row["nba_game_id"]: float(row["game_score"]) for row in curry_2016_rows()}
    log = player_game_log(conn, player="Stephen Curry", season="2015-16")
    assert len(log.games) == len(published) == 79
    assert {g.game_id: g.game_score for g in log.games} == published


def test_whole_season_is_in_order_played(conn: Connection) -> None:
    log = player_game_log(conn, player="Stephen Curry", season="2015-16")
    dates = [g.date for g in log.games]
    assert dates == sorted(dates)
    assert sum(g.pts for g in log.games) == 2375


def test_last_n_gives_the_latest_games_newest_first(conn: Connection) -> None:
    log = player_game_log(conn, player="Stephen Curry", season="2015-16", last_n=5)
    expected = sorted((row["game_date"] for row in curry_2016_rows()), reverse=True)[:5]
    assert [g.date.isoformat() for g in log.games] == expected
    assert log.games[0].date == dt.date(2016, 4, 13)
    assert log.games[0].pts == 46


def test_opponent_filter(conn: Connection) -> None:
    log = player_game_log(conn, player="Stephen Curry", season="2015-16", opponent="Cavaliers")
    assert log.opponent is not None and log.opponent.abbreviation == "CLE"
    assert [(g.date, g.opponent, g.result) for g in log.games] == [
        (dt.date(2015, 12, 25), "CLE", "W"),
        (dt.date(2016, 1, 18), "CLE", "W"),
    ]


def test_date_range_is_inclusive(conn: Connection) -> None:
    log = player_game_log(
        conn,
        player="Stephen Curry",
        season="2015-16",
        date_from="2016-01-01",
        date_to=dt.date(2016, 1, 31),
    )
    expected = sorted(r["game_date"] for r in curry_2016_rows() if r["game_date"][:7] == "2016-01")
    assert [g.date.isoformat() for g in log.games] == expected
    assert len(expected) == 16


def test_playoff_games_are_their_own_season_type(conn: Connection) -> None:
    log = player_game_log(conn, player="Stephen Curry", season="2015-16", season_type="playoffs")
    assert len(log.games) == 18
    assert log.games[-1].date == dt.date(2016, 6, 19)
    assert log.games[-1].result == "L"


def test_filters_that_match_nothing_give_no_games(conn: Connection) -> None:
    log = player_game_log(conn, player="Stephen Curry", season="2015-16", date_from="2016-07-01")
    assert log.games == []


def test_default_season_is_the_players_latest(conn: Connection) -> None:
    assert player_game_log(conn, player="Stephen Curry", last_n=1).season == "2018-19"


@pytest.mark.parametrize(
    ("kwargs", "named"),
    [
        ({"last_n": 0}, "last_n"),
        ({"date_from": "last week"}, "date_from"),
        ({"date_from": "2016-02-01", "date_to": "2016-01-01"}, "date_from"),
        ({"season_type": "preseason"}, "season type"),
    ],
)
def test_bad_arguments_are_named(conn: Connection, kwargs: dict[str, object], named: str) -> None:
    with pytest.raises(InvalidInput, match=named):
        player_game_log(conn, player="Stephen Curry", season="2015-16", **kwargs)  # type: ignore[arg-type]


def test_unknown_player_lists_candidates(conn: Connection) -> None:
    with pytest.raises(NotFound) as error:
        player_game_log(conn, player="Stephen Cury", season="2015-16")
    assert any("Stephen Curry" in c for c in error.value.candidates)


def test_season_without_his_games_is_not_found(conn: Connection) -> None:
    with pytest.raises(NotFound, match=r"^2022-23 has team data only: no player box scores"):
        player_game_log(conn, player="Stephen Curry", season="2022-23")
