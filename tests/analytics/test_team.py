"""Team and league metrics against Basketball-Reference's published values.

Sources:
- Golden State 2015-16: https://www.basketball-reference.com/teams/GSW/2016.html
  (team misc / four factors table: 73-9, MOV 10.76, SRS 10.38, pace 99.3, ORtg 114.5,
  DRtg 103.8, net 10.7, TS% .593, eFG% .563, TOV% 13.5, ORB% 23.5, FT/FGA .191; defense
  eFG% .479, TOV% 12.6, DRB% 76.0, FT/FGA .208; Pythagorean 65-17).
- League averages 2015-16: https://www.basketball-reference.com/leagues/NBA_2016.html
  (pace 95.8, ORtg 106.4, TS% .541, eFG% .502, TOV% 13.2, ORB% 23.8, FT/FGA .209).
- Milwaukee 2018-19 record 60-22:
  https://kiwix.casplantje.nl/wikipedia_en_all_maxi_2020-06/A/2018%E2%80%9319_Milwaukee_Bucks_season
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from nba_mcp.analytics import SeasonMetrics, league_context
from nba_mcp.analytics.srs import simple_rating_system
from nba_mcp.analytics.team import team_possessions

from . import frames
from .conftest import GSW, MIL, team_row

ONE_DECIMAL = 0.05 + 1e-9  # a value displayed with one decimal
THREE_DECIMALS = 0.0005 + 1e-9
TWO_DECIMALS = 0.005 + 1e-9


@pytest.mark.parametrize(
    ("column", "published", "tolerance"),
    [
        ("mov", 10.76, TWO_DECIMALS),
        ("srs", 10.38, TWO_DECIMALS),
        ("pace", 99.3, ONE_DECIMAL),
        ("ortg", 114.5, ONE_DECIMAL),
        ("drtg", 103.8, ONE_DECIMAL),
        ("net_rtg", 10.7, ONE_DECIMAL),
        ("ts_pct", 0.593, THREE_DECIMALS),
        ("efg_pct", 0.563, THREE_DECIMALS),
        ("tov_pct", 13.5, ONE_DECIMAL),
        ("orb_pct", 23.5, ONE_DECIMAL),
        ("ft_per_fga", 0.191, THREE_DECIMALS),
        ("opp_efg_pct", 0.479, THREE_DECIMALS),
        ("opp_tov_pct", 12.6, ONE_DECIMAL),
        ("drb_pct", 76.0, ONE_DECIMAL),
        ("opp_ft_per_fga", 0.208, THREE_DECIMALS),
    ],
)
def test_golden_state_2015_16_matches_bref(
    season_2016: SeasonMetrics, column: str, published: float, tolerance: float
) -> None:
    assert team_row(season_2016, GSW)[column] == pytest.approx(published, abs=tolerance)


def test_golden_state_2015_16_record_and_pythagorean_match_bref(season_2016: SeasonMetrics) -> None:
    gsw = team_row(season_2016, GSW)
    assert (gsw["wins"], gsw["losses"]) == (73, 9)
    assert (gsw["pyth_wins"], gsw["pyth_losses"]) == (65, 17)


def test_milwaukee_2018_19_record(season_2019: SeasonMetrics) -> None:
    mil = team_row(season_2019, MIL)
    assert (mil["wins"], mil["losses"]) == (60, 22)


@pytest.mark.parametrize(
    ("attribute", "published", "tolerance"),
    [
        ("pace", 95.8, ONE_DECIMAL),
        ("ortg", 106.4, ONE_DECIMAL),
        ("ts_pct", 0.541, THREE_DECIMALS),
        ("efg_pct", 0.502, THREE_DECIMALS),
        ("tov_pct", 13.2, ONE_DECIMAL),
        ("orb_pct", 23.8, ONE_DECIMAL),
        ("ft_per_fga", 0.209, THREE_DECIMALS),
    ],
)
def test_league_average_2015_16_matches_bref(
    season_2016: SeasonMetrics, attribute: str, published: float, tolerance: float
) -> None:
    assert getattr(season_2016.league, attribute) == pytest.approx(published, abs=tolerance)


def test_team_possessions_agree_with_opponents_possessions() -> None:
    teams = frames.teams_frame("2015-16")
    swapped = teams.copy()
    for stat in frames.COUNTING:
        swapped[stat] = teams[f"opp_{stat}"]
        swapped[f"opp_{stat}"] = teams[stat]
    np.testing.assert_allclose(team_possessions(teams), team_possessions(swapped))


def test_league_ortg_equals_league_drtg(any_season: SeasonMetrics) -> None:
    teams = any_season.teams
    league_drtg = (teams["drtg"] * teams["poss"]).sum() / teams["poss"].sum()
    league_ortg = (teams["ortg"] * teams["poss"]).sum() / teams["poss"].sum()
    assert league_ortg == pytest.approx(league_drtg, rel=1e-12)
    assert any_season.league.ortg == pytest.approx(league_drtg, rel=1e-12)


def test_srs_averages_zero_and_equals_mov_plus_sos(any_season: SeasonMetrics) -> None:
    teams = any_season.teams
    assert teams["srs"].mean() == pytest.approx(0.0, abs=1e-9)
    np.testing.assert_allclose(teams["srs"], teams["mov"] + teams["sos"], atol=1e-9)


def test_srs_sos_is_the_mean_opponent_srs_per_game() -> None:
    games = frames.team_games("2018-19")
    srs = simple_rating_system(games)
    opp_srs = games["opponent_id"].map(srs["srs"])
    sos = opp_srs.groupby(games["team_id"]).mean()
    np.testing.assert_allclose(srs["sos"].to_numpy(), sos.reindex(srs.index).to_numpy(), atol=1e-9)


def test_playoffs_are_computed_on_their_own() -> None:
    teams = frames.teams_frame("2015-16", "playoffs")
    league = league_context(teams)
    assert len(teams) == 16
    assert int(team_row_frame(teams, GSW)["g"]) == 24
    assert league.pace > 0


def team_row_frame(teams: pd.DataFrame, team_id: int) -> pd.Series:
    return teams[teams["team_id"] == team_id].iloc[0]


def test_zero_games_team_gives_nan_not_an_error() -> None:
    teams = frames.teams_frame("2015-16").head(2).copy()
    numeric = teams.columns.drop("team_id")
    teams.loc[:, numeric] = 0
    possessions = team_possessions(teams)
    assert (possessions == 0).all()
    league = league_context(teams)
    assert np.isnan(league.pace) and np.isnan(league.ts_pct)
