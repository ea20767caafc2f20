"""Fixtures: season metrics of the real 2015-16 and 2018-19 seasons (computed once)."""

from __future__ import annotations

import pandas as pd
import pytest

from nba_mcp.analytics import SeasonMetrics, season_metrics

from . import frames

GSW = 1610612744
HOU = 1610612745
MIL = 1610612749
LAC = 1610612746
PHI = 1610612755
OKC = 1610612760


def compute(season: str, season_type: str = "regular") -> SeasonMetrics:
    return season_metrics(
        players=frames.players_frame(season, season_type),
        teams=frames.teams_frame(season, season_type),
        team_games=frames.team_games(season, season_type),
    )


@pytest.fixture(scope="session")
def season_2016() -> SeasonMetrics:
    return compute("2015-16")


@pytest.fixture(scope="session")
def season_2019() -> SeasonMetrics:
    return compute("2018-19")


@pytest.fixture(scope="session", params=["2015-16", "2018-19"])
def any_season(request: pytest.FixtureRequest) -> SeasonMetrics:
    return compute(str(request.param))


def player_row(metrics: SeasonMetrics, player_id: str, team_id: int | None = None) -> pd.Series:
    """The stint row (or, with ``team_id=None``, the only row or the TOT row) of a player."""
    rows = metrics.players[metrics.players["player_id"] == player_id]
    if team_id is None:
        if len(rows) > 1:
            rows = rows[rows["is_total"]]
    else:
        rows = rows[rows["team_id"] == team_id]
    assert len(rows) == 1, f"{player_id} {team_id}: {len(rows)} rows"
    return rows.iloc[0]


def team_row(metrics: SeasonMetrics, team_id: int) -> pd.Series:
    rows = metrics.teams[metrics.teams["team_id"] == team_id]
    assert len(rows) == 1
    return rows.iloc[0]
