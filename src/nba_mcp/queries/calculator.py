"""Metrics from numbers a user supplies: the ``calculate_metric`` tool.

Two kinds of metric, one formula each (the analytics package; nothing is computed twice):

- **Scalar formulas** (:data:`nba_mcp.analytics.formulas.REGISTRY`: TS%, eFG%, Game Score,
  possessions, pace, USG% from team totals, ...): every input is given.
- **Season metrics** (:data:`SEASON_METRICS`: PER, ORtg, DRtg, OWS, DWS, WS, WS/48, OBPM,
  DBPM, BPM, VORP, USG% and the other rates): a player's season line (``g``, ``mp`` and the
  13 counting stats; ``pts`` optional, 2 FGM + 3PM + FTM when left out) plus a ``season``
  (and ``season_type``) and a ``team``: the league's and the team's context (totals,
  opponents, pace, the league average PER scale, the team's BPM adjustment) are taken from
  the loaded data. The line is evaluated as one more stint of that team by the season
  pipeline (:func:`nba_mcp.analytics.season_metrics`), team and league totals as loaded; with
  ``player`` it replaces that player's stint on the team instead, so his real line gives
  his published figures. These metrics are not defined by a box line and a few totals
  alone: PER is scaled to the league's minutes-weighted average of every player, BPM
  adjusted so that the team's players add up to its rating, so they need a season.
"""

from __future__ import annotations

import math

import pandas as pd
from pydantic import BaseModel, Field
from sqlalchemy import Connection

from nba_mcp.analytics import season_metrics
from nba_mcp.analytics.formulas import GLOSSARY, REGISTRY, calculate
from nba_mcp.boxscore import BOX_STATS, COUNTING_STATS
from nba_mcp.errors import InvalidInput, NotFound
from nba_mcp.queries.advanced import DIGITS
from nba_mcp.queries.lookup import find_team, resolve_player
from nba_mcp.queries.seasons import check_season_type, resolve_season
from nba_mcp.queries.totals import player_totals, team_games, team_totals
from nba_mcp.rounding import figure

#: Largest magnitude of an input: box-score counts and league totals stay far below it.
MAX_INPUT = 1e9
SEASON_INPUTS = ("g", "mp", *COUNTING_STATS)
_PER = "https://www.basketball-reference.com/about/per.html"
_WS = "https://www.basketball-reference.com/about/ws.html"
_RATINGS = "https://www.basketball-reference.com/about/ratings.html"
_BPM = "https://www.basketball-reference.com/about/bpm2.html"
#: Season metric -> (formula in words, unit, source). Full formulas: docs/metrics.md.
SEASON_METRICS: dict[str, tuple[str, str, str]] = {
    "per": ("PER = aPER * 15 / lg aPER; aPER = (lg Pace / Tm Pace) * uPER (Hollinger)",
            "rating, league average 15", _PER),
    "ortg": ("ORtg = 100 * PProd / TotPoss (Oliver)", "points per 100 possessions", _RATINGS),
    "drtg": ("DRtg = Tm DRtg + 0.2 * (100 * D_Pts_per_ScPoss * (1 - Stop%) - Tm DRtg) (Oliver)",
             "points per 100 possessions", _RATINGS),
    "ows": ("OWS = (PProd - 0.92 * lg PTS/Poss * TotPoss) / marginal points per win",
            "wins", _WS),
    "dws": ("DWS = (MP / Tm MP) * Tm Poss * (1.08 * lg PTS/Poss - DRtg / 100) / marginal "
            "points per win", "wins", _WS),
    "ws": ("WS = OWS + DWS", "wins", _WS),
    "ws_per_48": ("WS/48 = 48 * WS / MP", "wins per 48 minutes", _WS),
    "obpm": ("OBPM = raw OBPM + team offensive adjustment (BPM 2.0)",
             "points per 100 possessions", _BPM),
    "dbpm": ("DBPM = BPM - OBPM", "points per 100 possessions", _BPM),
    "bpm": ("BPM = raw BPM (box-score regression by estimated position and role) + team "
            "adjustment (BPM 2.0)", "points per 100 possessions", _BPM),
    "vorp": ("VORP = (BPM + 2) * (MP / (Tm MP / 5)) * Tm G / 82", "wins-like scale", _BPM),
    "usg_pct": ("USG% = 100 * (FGA + 0.44 FTA + TOV) * (Tm MP / 5) / (MP * (Tm FGA + 0.44 "
                "Tm FTA + Tm TOV))", "percentage points", GLOSSARY),
    "orb_pct": ("ORB% = 100 * ORB * (Tm MP / 5) / (MP * (Tm ORB + Opp DRB))",
                "percentage points", GLOSSARY),
    "drb_pct": ("DRB% = 100 * DRB * (Tm MP / 5) / (MP * (Tm DRB + Opp ORB))",
                "percentage points", GLOSSARY),
    "trb_pct": ("TRB% = 100 * TRB * (Tm MP / 5) / (MP * (Tm TRB + Opp TRB))",
                "percentage points", GLOSSARY),
    "ast_pct": ("AST% = 100 * AST / ((MP / (Tm MP / 5)) * Tm FG - FG)", "percentage points",
                GLOSSARY),
    "stl_pct": ("STL% = 100 * STL * (Tm MP / 5) / (MP * Opp Poss)", "percentage points",
                GLOSSARY),
    "blk_pct": ("BLK% = 100 * BLK * (Tm MP / 5) / (MP * (Opp FGA - Opp 3PA))",
                "percentage points", GLOSSARY),
}  # fmt: skip


class MetricResult(BaseModel):
    metric: str
    value: float | None = Field(description="Full precision; null when a denominator is zero.")
    display: float | None = Field(
        description="Rounded as Basketball-Reference shows it (fractions to 3 places, the "
        "rest to 1 decimal)."
    )
    unit: str
    formula: str
    inputs: dict[str, float]
    source: str
    season: str | None = Field(
        default=None, description="The season the league and team context came from."
    )
    season_type: str | None = None
    team: str | None = Field(default=None, description="The team whose context was used.")


class MetricInfo(BaseModel):
    metric: str
    inputs: list[str]
    formula: str
    unit: str


def calculate_metric(
    conn: Connection | None = None,
    *,
    metric: str,
    inputs: dict[str, float],
    season: str | None = None,
    season_type: str = "regular",
    team: str | None = None,
    player: str | None = None,
) -> MetricResult:
    """Evaluate ``metric`` from ``inputs`` (see the module); unknown metrics and missing
    inputs are named."""
    for name, value in inputs.items():
        if not math.isfinite(value) or abs(value) > MAX_INPUT:
            raise InvalidInput(
                f"Input {name!r} must be a number between -{MAX_INPUT:,.0f} and "
                f"{MAX_INPUT:,.0f}, not {value:g}."
            )
    if metric in SEASON_METRICS and (season is not None or metric not in REGISTRY):
        if conn is None or season is None or team is None:
            raise InvalidInput(
                f"{metric} needs a season and a team besides the player's line: the league's "
                "and the team's totals come from that season's data."
            )
        return _season_metric(conn, metric=metric, inputs=inputs, season=season,
                              season_type=season_type, team=team, player=player)  # fmt: skip
    if metric not in REGISTRY:
        raise NotFound(
            f"Unknown metric {metric!r}.", candidates=sorted([*REGISTRY, *SEASON_METRICS])
        )
    try:
        value = calculate(metric, **inputs)
    except (OverflowError, ZeroDivisionError, ValueError):
        value = math.inf
    if math.isinf(value):
        raise InvalidInput(f"These inputs give {metric} no finite value; check them.")
    formula = REGISTRY[metric]
    exact = None if math.isnan(value) else value
    return MetricResult(
        metric=metric,
        value=exact,
        display=figure(exact, 3 if formula.unit == "fraction" else 1),
        unit=formula.unit,
        formula=formula.formula,
        inputs=inputs,
        source=formula.source,
    )


def _season_metric(
    conn: Connection,
    *,
    metric: str,
    inputs: dict[str, float],
    season: str,
    season_type: str,
    team: str,
    player: str | None,
) -> MetricResult:
    check_season_type(season_type)
    missing = [k for k in SEASON_INPUTS if k not in inputs]
    extra = [k for k in inputs if k not in (*SEASON_INPUTS, "pts")]
    if missing or extra:
        raise InvalidInput(
            f"{metric} needs the player's season line {list(SEASON_INPUTS)} (pts optional); "
            f"missing {missing}, unexpected {extra}."
        )
    if inputs["mp"] <= 0 or inputs["g"] <= 0:
        raise InvalidInput(f"{metric} needs a line with games and minutes (g and mp above 0).")
    season = resolve_season(conn, season)
    found = find_team(conn, name=team)
    players = pd.DataFrame(player_totals(conn, season=season, season_type=season_type))
    teams = pd.DataFrame(team_totals(conn, season=season, season_type=season_type))
    if players.empty or teams.empty or found.team_id not in set(teams["team_id"]):
        raise NotFound(f"{found.abbreviation} has no {season_type} player box scores in {season}.")
    player_id = -1
    if player is not None:
        player_id = resolve_player(conn, player=player, season=season).player_id
        players = players[~((players["player_id"] == player_id)
                            & (players["team_id"] == found.team_id))]  # fmt: skip
    line = {stat: float(inputs[stat]) for stat in COUNTING_STATS}
    line["pts"] = float(inputs.get("pts", 2 * line["fgm"] + line["fg3m"] + line["ftm"]))
    row = {"player_id": player_id, "team_id": found.team_id, "g": int(inputs["g"]),
           "seconds": float(inputs["mp"]) * 60.0, **line}  # fmt: skip
    frame = pd.concat([players, pd.DataFrame([row])], ignore_index=True)
    frame = frame.astype({stat: "float64" for stat in (*BOX_STATS, "seconds")})
    games = pd.DataFrame(team_games(conn, season=season, season_type=season_type))
    table = season_metrics(players=frame, teams=teams, team_games=games).players
    mine = table[(table["player_id"] == player_id) & (table["team_id"] == found.team_id)]
    value = float(mine.iloc[0][metric])
    exact = None if math.isnan(value) else value
    formula, unit, source = SEASON_METRICS[metric]
    return MetricResult(
        metric=metric, value=exact, display=figure(exact, DIGITS.get(metric, 1)), unit=unit,
        formula=formula, inputs=inputs, source=source, season=season, season_type=season_type,
        team=found.abbreviation,
    )  # fmt: skip


def supported_metrics() -> list[MetricInfo]:
    scalar = [
        MetricInfo(metric=f.name, inputs=list(f.inputs), formula=f.formula, unit=f.unit)
        for f in REGISTRY.values()
    ]
    seasonal = [
        MetricInfo(metric=name, inputs=[*SEASON_INPUTS, "pts?"], formula=formula, unit=unit)
        for name, (formula, unit, _) in SEASON_METRICS.items()
    ]
    return scalar + seasonal
