"""Advanced metrics read from the database match Basketball-Reference's published values.

The analytics tests pin the formulas on frames built straight from the CSVs; these pin
the whole path a user takes (ingest -> database -> queries) on SQLite and PostgreSQL.
Sources: basketball-reference.com/players/c/curryst01.html (2015-16 advanced table),
basketball-reference.com/teams/GSW/2016.html (team and opponent misc. table) and
basketball-reference.com/leagues/NBA_2016.html (league averages).
"""

from __future__ import annotations

import pytest
from sqlalchemy import Connection

from nba_mcp.errors import NotFound
from nba_mcp.queries.advanced import season_tables, team_table
from nba_mcp.queries.players import player_season
from nba_mcp.queries.teams import team_season


def test_curry_2015_16_advanced_line_matches_basketball_reference(conn: Connection) -> None:
    season = player_season(conn, player="Stephen Curry", season="2015-16", advanced=True)
    a = season.advanced
    assert a is not None
    assert (season.total.g, season.total.mp) == (79, 2700.0)
    assert (a.per, a.ts_pct, a.usg_pct) == (31.5, 0.669, 32.6)
    assert (a.ows, a.dws, a.ws, a.ws_per_48, a.bpm) == (13.8, 4.1, 17.9, 0.318, 11.9)
    assert a.ortg is not None and abs(a.ortg - 125) <= 1  # the site shows whole numbers
    assert a.drtg is not None and abs(a.drtg - 103) <= 1


def test_golden_state_2015_16_ratings_and_four_factors(conn: Connection) -> None:
    gsw = team_season(conn, team="GSW", season="2015-16")
    assert (gsw.pace, gsw.ortg, gsw.drtg, gsw.net_rtg) == (99.3, 114.5, 103.8, 10.7)
    assert (gsw.mov, gsw.srs, gsw.ts_pct) == (10.76, 10.38, 0.593)
    offense, defense = gsw.four_factors.offense, gsw.four_factors.defense
    assert (offense.efg_pct, offense.tov_pct, offense.orb_pct, offense.ft_per_fga) == (
        0.563, 13.5, 23.5, 0.191,
    )  # fmt: skip
    assert (defense.efg_pct, defense.tov_pct, defense.drb_pct, defense.ft_per_fga) == (
        0.479, 12.6, 76.0, 0.208,
    )  # fmt: skip


def test_league_2015_16_averages(conn: Connection) -> None:
    league = season_tables(conn, season="2015-16", season_type="regular").league
    assert round(league.pace, 1) == 95.8
    assert round(league.ortg, 1) == 106.4
    assert (round(league.ts_pct, 3), round(league.efg_pct, 3)) == (0.541, 0.502)
    assert (round(league.tov_pct, 1), round(league.orb_pct, 1)) == (13.2, 23.8)
    assert round(league.ft_per_fga, 3) == 0.209


def test_traded_player_has_advanced_rows_per_team_and_tot(conn: Connection) -> None:
    season = player_season(conn, player="Tobias Harris", season="2015-16", advanced=True)
    assert [row.team for row in season.rows] == ["ORL", "DET", "TOT"]
    assert all(row.advanced is not None for row in season.rows)
    ws = [row.advanced.ws for row in season.rows if row.advanced is not None]
    assert ws[2] == pytest.approx(ws[0] + ws[1], abs=0.1)  # win shares add up over stints
    assert season.advanced == season.rows[-1].advanced


def test_team_metrics_need_no_player_box_scores(conn: Connection) -> None:
    # 2022-23 has NBA.com team logs only.
    table = team_table(conn, season="2022-23", season_type="regular")
    assert len(table) == 30
    with pytest.raises(NotFound, match="No regular player box scores"):
        season_tables(conn, season="2022-23", season_type="regular")


def test_playoff_metrics_are_computed_on_their_own(conn: Connection) -> None:
    regular = season_tables(conn, season="2015-16", season_type="regular")
    playoffs = season_tables(conn, season="2015-16", season_type="playoffs")
    assert len(playoffs.teams) == 16
    assert playoffs.league.pace != regular.league.pace
