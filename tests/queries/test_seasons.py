"""Which seasons are loaded and how a requested one is resolved."""

from __future__ import annotations

import pytest
from sqlalchemy import Connection

from nba_mcp.errors import InvalidInput, NotFound
from nba_mcp.queries.seasons import check_season_type, loaded_seasons, resolve_season


def test_loaded_seasons_are_those_with_games(conn: Connection) -> None:
    assert loaded_seasons(conn) == ["2015-16", "2018-19", "2022-23"]


def test_resolve_season_defaults_to_the_latest(conn: Connection) -> None:
    assert resolve_season(conn, None) == "2022-23"
    assert resolve_season(conn, "2015-16") == "2015-16"


def test_resolve_season_refuses_unloaded_and_malformed_seasons(conn: Connection) -> None:
    with pytest.raises(NotFound) as raised:
        resolve_season(conn, "1995-96")
    assert raised.value.candidates == ["2015-16", "2018-19", "2022-23"]
    with pytest.raises(InvalidInput, match="A season is written like 2015-16"):
        resolve_season(conn, "95-96")


def test_check_season_type_accepts_the_three_types() -> None:
    assert [check_season_type(t) for t in ("regular", "playoffs", "play_in")] == [
        "regular",
        "playoffs",
        "play_in",
    ]
    with pytest.raises(InvalidInput, match="Unknown season type 'preseason'"):
        check_season_type("preseason")
