"""A team's season: record, home and away."""

from __future__ import annotations

import pytest
from sqlalchemy import Connection

from nba_mcp.errors import NotFound
from nba_mcp.queries.teams import team_season


def test_golden_state_2015_16_home_and_away(conn: Connection) -> None:
    season = team_season(conn, team="GSW", season="2015-16")

    assert (str(season.record), str(season.home), str(season.away)) == ("73-9", "39-2", "34-7")
    assert (season.win_pct, season.pts_per_game, season.opp_pts_per_game) == (0.89, 114.9, 104.1)


def test_a_season_loaded_from_nba_com_only_has_records_too(conn: Connection) -> None:
    season = team_season(conn, team="Warriors", season="2022-23")

    assert (season.g, str(season.record), str(season.home), str(season.away)) == (
        82,
        "44-38",
        "33-8",
        "11-30",
    )


def test_play_in_games_are_their_own_season_type(conn: Connection) -> None:
    """The Lakers won their one play-in game in 2023 (against Minnesota)."""
    season = team_season(conn, team="LAL", season="2022-23", season_type="play_in")

    assert (season.g, str(season.record)) == (1, "1-0")


def test_a_team_without_games_of_that_type_is_not_found(conn: Connection) -> None:
    with pytest.raises(
        NotFound, match="The Golden State Warriors played no play-in games in 2022-23"
    ):
        team_season(conn, team="GSW", season="2022-23", season_type="play_in")


def test_without_a_season_the_latest_loaded_is_used(conn: Connection) -> None:
    assert team_season(conn, team="GSW").season == "2022-23"
