"""Properties every season must satisfy, whatever the published values."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from nba_mcp.analytics import SeasonMetrics, season_metrics
from nba_mcp.analytics.context import player_context
from nba_mcp.analytics.league import league_context
from nba_mcp.analytics.per import player_efficiency_rating

from . import frames


def stints(metrics: SeasonMetrics) -> pd.DataFrame:
    return metrics.players[~metrics.players["is_total"]]


def test_minutes_weighted_league_per_is_15(any_season: SeasonMetrics) -> None:
    rows = stints(any_season)
    played = rows["mp"] > 0
    league_per = np.average(rows.loc[played, "per"], weights=rows.loc[played, "mp"])
    assert league_per == pytest.approx(15.0, abs=1e-9)


def test_minutes_weighted_league_bpm_is_about_zero(any_season: SeasonMetrics) -> None:
    rows = stints(any_season)
    played = rows["mp"] > 0
    assert np.average(rows.loc[played, "bpm"], weights=rows.loc[played, "mp"]) == pytest.approx(
        0.0, abs=0.05
    )


def test_team_bpm_adds_up_to_team_rating_with_lead_bonus(any_season: SeasonMetrics) -> None:
    rows = stints(any_season)
    teams = any_season.teams.set_index("team_id")
    season = "2015-16" if _is_2016(any_season) else "2018-19"
    team_minutes = frames.teams_frame(season).set_index("team_id")["minutes"]
    share = rows["mp"] / rows["team_id"].map(team_minutes).astype(float) * 5
    total = (rows["bpm"] * share).groupby(rows["team_id"]).sum()
    rating = teams["ortg_rel_adj"] + teams["drtg_rel_adj"]
    expected = rating * (1 + 0.35 / 2 * teams["pace"] / 100 / 2)
    # Exact up to player minutes (summed from seconds) not adding up to team minutes to
    # the second: the team constant is divided by 5 (as BPM 2.0 does), not by sum(%MP).
    np.testing.assert_allclose(
        total.to_numpy(), expected.reindex(total.index).to_numpy(), atol=2e-3
    )


def _is_2016(metrics: SeasonMetrics) -> bool:
    return bool(metrics.league.pts == frames.teams_frame("2015-16")["pts"].sum())


def test_team_win_shares_are_close_to_team_wins(any_season: SeasonMetrics) -> None:
    rows = stints(any_season)
    team_ws = rows.groupby("team_id")["ws"].sum()
    wins = any_season.teams.set_index("team_id")["wins"].astype(float)
    gap = (team_ws - wins.reindex(team_ws.index)).abs()
    assert gap.max() < 8.0
    assert team_ws.sum() == pytest.approx(wins.sum(), rel=0.03)


def test_tot_rows_sum_the_stints_of_traded_players(any_season: SeasonMetrics) -> None:
    players = any_season.players
    tot = players[players["is_total"]].set_index("player_id")
    parts = stints(any_season)
    parts = parts[parts["player_id"].isin(tot.index)].groupby("player_id")
    for column in ["g", "seconds", "pts", "fga", "ast", "ows", "dws", "ws", "vorp"]:
        np.testing.assert_allclose(
            tot[column].to_numpy(dtype=float),
            parts[column].sum().reindex(tot.index).to_numpy(dtype=float),
            err_msg=column,
        )
    assert tot["team_id"].isna().all()
    assert (parts.size().reindex(tot.index) >= 2).all()


def test_tot_rates_lie_between_the_stints(any_season: SeasonMetrics) -> None:
    players = any_season.players
    tot = players[players["is_total"]].set_index("player_id")
    parts = stints(any_season)
    grouped = parts[parts["player_id"].isin(tot.index)].groupby("player_id")
    for column in ["usg_pct", "ast_pct", "trb_pct", "ortg", "drtg", "per", "bpm", "ts_pct"]:
        low = grouped[column].min().reindex(tot.index)
        high = grouped[column].max().reindex(tot.index)
        value = tot[column]
        ok = value.isna() | ((value >= low - 1e-9) & (value <= high + 1e-9))
        assert ok.all(), column


def test_tot_row_comes_first_for_a_traded_player(season_2019: SeasonMetrics) -> None:
    rows = season_2019.players[season_2019.players["player_id"] == "harrito02"]
    assert rows["is_total"].tolist() == [True, False, False]
    assert rows.iloc[0]["g"] == 82


def test_every_player_has_one_row_per_team(any_season: SeasonMetrics) -> None:
    rows = stints(any_season)
    assert not rows.duplicated(["player_id", "team_id"]).any()


def test_zero_minutes_give_nan_rates_and_zero_win_shares() -> None:
    players = frames.players_frame("2015-16").copy()
    empty = players.iloc[[0]].copy()
    empty["player_id"] = "nobody01"
    numeric = [c for c in empty.columns if c not in ("player_id", "team_id")]
    empty.loc[:, numeric] = 0
    metrics = season_metrics(
        players=pd.concat([players, empty], ignore_index=True),
        teams=frames.teams_frame("2015-16"),
        team_games=frames.team_games("2015-16"),
    )
    row = metrics.players[metrics.players["player_id"] == "nobody01"].iloc[0]
    for column in ["per", "ts_pct", "usg_pct", "ortg", "bpm", "ws_per_48", "pts_per_g"]:
        assert np.isnan(row[column]), column
    assert row["ws"] == 0.0 and row["vorp"] == 0.0


def test_per_does_not_depend_on_row_order() -> None:
    players = frames.players_frame("2018-19")
    teams = frames.teams_frame("2018-19")
    league = league_context(teams)
    forward = player_efficiency_rating(player_context(players, teams), league)["per"]
    shuffled = players.sample(frac=1.0, random_state=7)
    backward = player_efficiency_rating(player_context(shuffled, teams), league)["per"]
    np.testing.assert_allclose(
        forward.to_numpy(), backward.set_axis(shuffled.index).sort_index().to_numpy()
    )
