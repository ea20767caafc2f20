"""Advanced metrics from the database: the analytics engine fed by the season totals.

A whole season is computed at once (league context, 30 teams, ~500 players) because
every player metric needs his team's and the league's totals. The result is kept
in process per database, season, season type and data version
(:mod:`nba_mcp.queries.memo`), so a reload of the data is never answered from a
stale table.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, NamedTuple, cast

import pandas as pd
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import Connection

from nba_mcp.analytics import SeasonMetrics, season_metrics, team_metrics_table
from nba_mcp.errors import NotFound
from nba_mcp.queries.memo import memoized
from nba_mcp.queries.totals import player_totals, team_games, team_totals
from nba_mcp.rounding import figure


def season_tables(conn: Connection, *, season: str, season_type: str) -> SeasonMetrics:
    """League, team and player metrics of one season and season type (cached)."""
    return memoized(
        conn, "season", (season, season_type),
        lambda: compute_season(conn, season=season, season_type=season_type),
    )  # fmt: skip


def team_table(conn: Connection, *, season: str, season_type: str) -> pd.DataFrame:
    """Team metrics alone (they need no player box scores), one row per team (cached)."""

    def compute() -> pd.DataFrame:
        teams = pd.DataFrame(team_totals(conn, season=season, season_type=season_type))
        games = pd.DataFrame(team_games(conn, season=season, season_type=season_type))
        if teams.empty:
            raise NotFound(f"No {season_type} games are loaded for {season}.")
        return team_metrics_table(teams, games)

    return memoized(conn, "teams", (season, season_type), compute)


def compute_season(conn: Connection, *, season: str, season_type: str) -> SeasonMetrics:
    """Compute the season's metrics from the database, bypassing the cache."""
    players = pd.DataFrame(player_totals(conn, season=season, season_type=season_type))
    teams = pd.DataFrame(team_totals(conn, season=season, season_type=season_type))
    if players.empty or teams.empty:
        raise NotFound(
            f"No {season_type} player box scores are loaded for {season}, "
            "so advanced metrics cannot be computed."
        )
    games = pd.DataFrame(team_games(conn, season=season, season_type=season_type))
    return season_metrics(players=players, teams=teams, team_games=games)


class Advanced(BaseModel):
    """Basketball-Reference's advanced line. Shooting figures are fractions; rate stats
    percentage points; ratings points per 100 possessions; win shares in wins."""

    model_config = ConfigDict(frozen=True)

    ts_pct: float | None = Field(description="True shooting %: PTS / (2 * (FGA + 0.44 * FTA)).")
    efg_pct: float | None = Field(description="Effective FG %: (FGM + 0.5 * 3PM) / FGA.")
    fg3a_rate: float | None = Field(description="3-point attempt rate: 3PA / FGA.")
    fta_rate: float | None = Field(description="Free throw rate: FTA / FGA.")
    orb_pct: float | None
    drb_pct: float | None
    trb_pct: float | None
    ast_pct: float | None
    stl_pct: float | None
    blk_pct: float | None
    tov_pct: float | None
    usg_pct: float | None
    ortg: float | None = Field(
        description="Offensive rating (Oliver): points produced per 100 possessions."
    )
    drtg: float | None = Field(
        description="Defensive rating (Oliver): points allowed per 100 possessions."
    )
    per: float | None = Field(
        description="Player efficiency rating (Hollinger), league average 15."
    )
    ows: float | None
    dws: float | None
    ws: float | None
    ws_per_48: float | None
    obpm: float | None
    dbpm: float | None
    bpm: float | None
    vorp: float | None


class PerMinutes(BaseModel):
    """Per 36 minutes or per 100 possessions."""

    model_config = ConfigDict(frozen=True)

    pts: float | None
    reb: float | None
    ast: float | None
    stl: float | None
    blk: float | None
    tov: float | None
    fgm: float | None
    fga: float | None
    fg3m: float | None
    fg3a: float | None
    ftm: float | None
    fta: float | None


DIGITS = {
    **dict.fromkeys(("ts_pct", "efg_pct", "fg3a_rate", "fta_rate", "ws_per_48"), 3),
    **dict.fromkeys(
        ("orb_pct", "drb_pct", "trb_pct", "ast_pct", "stl_pct", "blk_pct", "tov_pct", "usg_pct"), 1
    ),
    **dict.fromkeys(("ortg", "drtg", "per", "ows", "dws", "ws", "obpm", "dbpm", "bpm", "vorp"), 1),
}
PER_STATS = ("pts", "reb", "ast", "stl", "blk", "tov", "fgm", "fga", "fg3m", "fg3a", "ftm", "fta")


Line = Mapping[str, Any]
"""One computed row of the season's player table."""


def advanced_line(row: Line) -> Advanced:
    return Advanced(**{key: figure(row[key], digits) for key, digits in DIGITS.items()})


def per_minutes(row: Line, suffix: str) -> PerMinutes:
    return PerMinutes(**{stat: figure(row[f"{stat}_{suffix}"], 1) for stat in PER_STATS})


class Shown(NamedTuple):
    """One computed row of the season's player table and its figures rounded for display.

    The rounding (some 60 figures a row) is done once per season and data version, with
    the table, not on every call that shows the row; the models are frozen, so one row
    can be shared by every answer that shows it.
    """

    line: Line
    per_36: PerMinutes
    per_100: PerMinutes
    advanced: Advanced


def shown(line: Line) -> Shown:
    return Shown(line, per_minutes(line, "per_36"), per_minutes(line, "per_100"),
                 advanced_line(line))  # fmt: skip


def player_lines(conn: Connection, *, season: str, season_type: str) -> dict[int, list[Shown]]:
    """Each player's computed rows (one per team, and TOT with ``is_total``), rounded for
    display and indexed by player id once per season and data version (cached): a lookup,
    not a scan, per call."""

    def compute() -> dict[int, list[Shown]]:
        players = season_tables(conn, season=season, season_type=season_type).players
        index: dict[int, list[Shown]] = {}
        for row in cast(list[Line], players.to_dict("records")):
            index.setdefault(int(row["player_id"]), []).append(shown(row))
        return index

    return memoized(conn, "lines", (season, season_type), compute)
