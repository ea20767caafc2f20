"""One game: both box scores and the score by period."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import Connection

from nba_mcp.errors import InvalidInput, NotFound
from nba_mcp.queries.games import game_box


def test_game_0021500003_new_orleans_at_golden_state(conn: Connection) -> None:
    game = game_box(conn, game_id="0021500003")

    assert (game.season, game.season_type, game.date) == (
        "2015-16",
        "regular",
        dt.date(2015, 10, 27),
    )
    assert (game.home.team, game.home.score, game.away.team, game.away.score) == (
        "GSW",
        111,
        "NOP",
        95,
    )
    assert game.winner == "GSW"
    assert game.home.periods == [39, 20, 35, 17, 0]
    assert game.away.periods == [35, 14, 26, 20, 0]
    curry = game.home.players[0]  # most minutes first
    assert (curry.name, curry.pts, curry.fg3m, curry.ast, curry.min) == (
        "Stephen Curry",
        40,
        5,
        7,
        35.6,
    )
    assert sum(p.pts for p in game.home.players) == game.home.totals.pts == 111


def test_team_totals_are_the_official_ones(conn: Connection) -> None:
    game = game_box(conn, game_id="0021500003")

    assert (game.away.totals.tov, sum(p.tov for p in game.away.players)) == (19, 18)


def test_a_game_loaded_from_nba_com_only_has_no_player_lines(conn: Connection) -> None:
    game = game_box(conn, game_id="0052200101")

    assert game.season_type == "play_in"
    assert (game.home.players, game.away.players) == ([], [])
    assert game.home.periods is not None


def test_the_leading_zeros_of_a_game_id_may_be_left_out(conn: Connection) -> None:
    assert game_box(conn, game_id="21500003").game_id == "0021500003"


@pytest.mark.parametrize("game_id", ["abc", "002150000312", "0021-50003", ""])
def test_a_malformed_game_id_is_invalid_input(conn: Connection, game_id: str) -> None:
    with pytest.raises(InvalidInput, match="A game id has 10 digits") as raised:
        game_box(conn, game_id=game_id)

    assert not isinstance(raised.value, NotFound)


def test_a_game_that_is_not_loaded_is_not_found(conn: Connection) -> None:
    with pytest.raises(NotFound, match="No game 0021600001 is loaded"):
        game_box(conn, game_id="0021600001")
