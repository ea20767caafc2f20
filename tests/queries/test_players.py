"""A player's season laid out as Basketball-Reference does: one row per team, TOT last."""

from __future__ import annotations

import csv

import pytest
from sqlalchemy import Connection

from nba_mcp.errors import InvalidInput, NotFound
from nba_mcp.queries.players import player_season
from tests.conftest import BREF


def test_a_traded_player_has_a_row_per_team_in_order_then_tot(conn: Connection) -> None:
    """Tobias Harris 2015-16: 49 games for Orlando, then 27 for Detroit."""
    season = player_season(conn, player="Tobias Harris", season="2015-16")

    assert [(r.team, r.g, r.totals.pts, r.totals.reb, r.totals.ast) for r in season.rows] == [
        ("ORL", 49, 669, 342, 99),
        ("DET", 27, 447, 168, 70),
        ("TOT", 76, 1116, 510, 169),
    ]
    tot = season.total
    assert tot.team == "TOT"
    assert tot.per_game.pts == round(1116 / 76, 1) == 14.7
    for stat in ("fgm", "fga", "fg3m", "fg3a", "ftm", "fta", "tov", "pf"):
        assert getattr(tot.totals, stat) == sum(getattr(r.totals, stat) for r in season.rows[:-1])


def test_a_player_with_three_teams_has_four_rows(conn: Connection) -> None:
    season = player_season(conn, player="Kris Humphries", season="2015-16")

    assert [(r.team, r.g) for r in season.rows] == [
        ("WAS", 28),
        ("PHX", 4),
        ("ATL", 21),
        ("TOT", 53),
    ]


def test_a_player_with_one_team_has_no_tot_row(conn: Connection) -> None:
    season = player_season(conn, player="Stephen Curry", season="2015-16")

    [row] = season.rows
    assert row.team == "GSW"
    assert (row.shooting.fg_pct, row.shooting.fg3_pct) == (0.504, 0.454)
    assert (row.per_game.pts, row.per_game.min) == (30.1, 34.2)


def test_shooting_percentages_round_half_up_like_basketball_reference(conn: Connection) -> None:
    """363 of 400 is .9075: Basketball-Reference shows .908 (a float round() gives .907)."""
    row = player_season(conn, player="Stephen Curry", season="2015-16").total

    assert (row.totals.ftm, row.totals.fta) == (363, 400)
    assert row.shooting.ft_pct == 0.908


def test_playoffs_are_a_season_type_of_their_own(conn: Connection) -> None:
    with (BREF / "player_box_scores_2015_2016.csv").open(newline="", encoding="utf-8") as handle:
        in_file = [
            row
            for row in csv.DictReader(handle)
            if row["slug"] == "curryst01" and row["season_type"] == "Playoffs"
        ]

    season = player_season(conn, player="Stephen Curry", season="2015-16", season_type="playoffs")

    assert len(in_file) == 18
    assert (season.season_type, season.total.g) == ("playoffs", 18)
    assert season.total.totals.pts == sum(int(row["points"]) for row in in_file) == 452


def test_without_a_season_the_players_latest_is_used(conn: Connection) -> None:
    assert player_season(conn, player="Stephen Curry").season == "2018-19"


def test_a_player_can_be_asked_for_by_id(conn: Connection) -> None:
    by_name = player_season(conn, player="James Harden", season="2018-19")

    assert player_season(conn, player=by_name.player.player_id, season="2018-19") == by_name


def test_a_season_without_games_for_the_player_is_not_found(conn: Connection) -> None:
    with pytest.raises(NotFound) as raised:
        player_season(conn, player="Stephen Curry", season="2022-23")

    # 2022-23 has NBA.com's team data, no player box scores.
    assert raised.value.message == (
        "2022-23 has team data only: no player box scores are loaded for it. "
        "Seasons with player box scores: 2015-16, 2018-19."
    )


def test_an_unloaded_season_is_not_found_listing_the_loaded_ones(conn: Connection) -> None:
    with pytest.raises(NotFound) as raised:
        player_season(conn, player="Stephen Curry", season="2016-17")

    assert raised.value.candidates == ["2015-16", "2018-19", "2022-23"]
    assert raised.value.message == (
        "Season 2016-17 is not loaded. Closest matches: 2015-16, 2018-19, 2022-23."
    )


@pytest.mark.parametrize("season", ["2016", "2015-2016", "2015-17"])
def test_a_badly_written_season_is_invalid_input(conn: Connection, season: str) -> None:
    with pytest.raises(InvalidInput) as raised:
        player_season(conn, player="Stephen Curry", season=season)

    assert not isinstance(raised.value, NotFound)


def test_an_unknown_season_type_is_invalid_input(conn: Connection) -> None:
    with pytest.raises(InvalidInput, match="use one of: regular, playoffs, play_in"):
        player_season(conn, player="Stephen Curry", season="2015-16", season_type="preseason")
