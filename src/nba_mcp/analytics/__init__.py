"""Basketball-Reference-exact advanced metrics: pure, vectorised, no I/O.

Input contract, for one season and one season type (regular season and playoffs are
computed separately):

``players``
    One row per (``player_id``, ``team_id``) stint: ``g``, ``seconds`` (total seconds
    played) and the totals ``fgm, fga, fg3m, fg3a, ftm, fta, oreb, dreb, ast, stl, blk,
    tov, pf, pts``. A player traded mid-season has several rows.
``teams``
    One row per ``team_id``: ``g``, ``wins``, ``losses``, ``minutes`` (240 per game + 25
    per overtime), the same 14 totals (official team totals, whose ``tov`` includes team
    turnovers) and the opponents' totals prefixed ``opp_``.
``team_games``
    One row per team per game: ``game_id``, ``team_id``, ``opponent_id``, ``is_home``,
    ``pts``, ``opp_pts`` (for SRS and SOS).

Entry point: :func:`season_metrics` returns the :class:`LeagueContext`, the team table
and the player table (one row per stint plus a TOT row per traded player). Conventions:
shooting percentages are fractions, rate stats percentage points; a zero denominator
gives NaN. Formulas, units and sources: ``docs/metrics.md``.
"""

from __future__ import annotations

from nba_mcp.analytics.formulas import REGISTRY, MetricFormula, calculate
from nba_mcp.analytics.game_score import game_score
from nba_mcp.analytics.league import LeagueContext, league_context
from nba_mcp.analytics.season import (
    TOT_TEAM_ID,
    SeasonMetrics,
    player_metrics_table,
    season_metrics,
    team_metrics_table,
)

__all__ = [
    "REGISTRY",
    "TOT_TEAM_ID",
    "LeagueContext",
    "MetricFormula",
    "SeasonMetrics",
    "calculate",
    "game_score",
    "league_context",
    "player_metrics_table",
    "season_metrics",
    "team_metrics_table",
]
