"""The advanced tables run_sql reads: ``player_season_advanced`` and ``team_season_advanced``.

They hold what :mod:`nba_mcp.queries.advanced` computes (the analytics' season tables, one
formula for every surface), stored per season and season type. The metrics are computed in
Python, so the tables are rebuilt, not views: :func:`rebuild` runs inside the load's
transaction (``nba_mcp.ingest.load.load_batch(..., derive=rebuild)``), right after the
data version is bumped, for each season of the batch when the load changed data, and for
any season of the batch whose rows are missing even when it did not (a database migrated
to 0006 with data already in it). A season's old rows are deleted and its new ones
inserted in that one transaction, so a reader sees the old season or the new one, never
a mix, and never rows of another data version than the box scores beside them.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any

import pandas as pd
from sqlalchemy import Connection, delete, func, insert, select, text

from nba_mcp.analytics import team_metrics_table
from nba_mcp.db.models import PlayerSeasonAdvanced, TeamSeasonAdvanced, table_of
from nba_mcp.db.version import data_version
from nba_mcp.errors import NotFound
from nba_mcp.queries.advanced import compute_season
from nba_mcp.queries.boards import team_abbreviations
from nba_mcp.queries.totals import team_games, team_totals

PLAYERS = table_of(PlayerSeasonAdvanced)
TEAMS = table_of(TeamSeasonAdvanced)
_PLAYER_VALUES = [c.name for c in PLAYERS.columns if c.name not in
                  ("season", "season_type", "player_id", "team", "team_id", "is_total", "season_line", "g",
                   "data_version")]  # fmt: skip
_TEAM_VALUES = [c.name for c in TEAMS.columns if c.name not in
                ("season", "season_type", "team_id", "g", "wins", "losses", "data_version")]  # fmt: skip


def rebuild(conn: Connection, seasons: Iterable[str], *, changed: bool) -> dict[str, int]:
    """Rewrite the advanced rows of ``seasons`` (all when ``changed``, else the ones with no
    rows yet) in ``conn``'s transaction; return the rows written per table."""
    written = {PLAYERS.name: 0, TEAMS.name: 0}
    version = data_version(conn)
    for season in sorted(set(seasons)):
        if not changed and _has_rows(conn, season):
            continue
        conn.execute(delete(PLAYERS).where(PLAYERS.c.season == season))
        conn.execute(delete(TEAMS).where(TEAMS.c.season == season))
        types = conn.execute(
            text("SELECT DISTINCT season_type FROM games WHERE season = :s"), {"s": season}
        ).scalars()
        for season_type in sorted(types):
            teams = _team_rows(conn, season, season_type, version)
            players = _player_rows(conn, season, season_type, version)
            if teams:
                conn.execute(insert(TEAMS), teams)
            if players:
                conn.execute(insert(PLAYERS), players)
            written[TEAMS.name] += len(teams)
            written[PLAYERS.name] += len(players)
    return written


def _has_rows(conn: Connection, season: str) -> bool:
    query = select(func.count()).select_from(TEAMS).where(TEAMS.c.season == season)
    return bool(conn.execute(query).scalar_one())


def _number(value: Any) -> float | None:
    number = float(value)
    return None if math.isnan(number) or math.isinf(number) else number


def _team_rows(
    conn: Connection, season: str, season_type: str, version: int
) -> list[dict[str, Any]]:
    totals = team_totals(conn, season=season, season_type=season_type)
    if not totals:
        return []
    games = pd.DataFrame(team_games(conn, season=season, season_type=season_type))
    table = team_metrics_table(pd.DataFrame(totals), games)
    return [
        {"season": season, "season_type": season_type, "team_id": int(row["team_id"]),
         "g": int(row["g"]), "wins": int(row["wins"]), "losses": int(row["losses"]),
         **{c: _number(row[c]) for c in _TEAM_VALUES}, "data_version": version}
        for row in table.to_dict("records")
    ]  # fmt: skip


def _player_rows(
    conn: Connection, season: str, season_type: str, version: int
) -> list[dict[str, Any]]:
    try:
        players = compute_season(conn, season=season, season_type=season_type).players
    except NotFound:  # team data only (2022-23): no player rows
        return []
    abbreviations = team_abbreviations(conn)
    traded = set(players.loc[players["is_total"], "player_id"])
    rows = []
    for row in players.to_dict("records"):
        total = bool(row["is_total"])
        rows.append(
            {"season": season, "season_type": season_type, "player_id": int(row["player_id"]),
             "team": "TOT" if total else abbreviations[int(row["team_id"])],
             "team_id": None if total else int(row["team_id"]), "is_total": total,
             "season_line": total or int(row["player_id"]) not in traded, "g": int(row["g"]), **{c: _number(row[c]) for c in _PLAYER_VALUES},
             "data_version": version}
        )  # fmt: skip
    return rows
