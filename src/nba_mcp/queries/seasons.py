"""Which seasons and season types are loaded, and resolving a requested one."""

from __future__ import annotations

from sqlalchemy import Connection, text

from nba_mcp.db.models import SEASON_TYPES
from nba_mcp.errors import InvalidInput, NotFound
from nba_mcp.queries.memo import memoized
from nba_mcp.seasons import season_start_year


def loaded_seasons(conn: Connection) -> list[str]:
    """Seasons with at least one game, oldest first (once per data version)."""

    def build() -> list[str]:
        query = text("SELECT DISTINCT season FROM games ORDER BY season")
        return [row[0] for row in conn.execute(query)]

    return list(memoized(conn, "seasons", (), build))


def check_season_type(season_type: str) -> str:
    if season_type not in SEASON_TYPES:
        raise InvalidInput(
            f"Unknown season type {season_type!r}; use one of: {', '.join(SEASON_TYPES)}."
        )
    return season_type


def resolve_season(conn: Connection, season: str | None, *, player_id: int | None = None) -> str:
    """``season`` if it is loaded, else the latest loaded (for ``player_id``: with his games)."""
    if season is not None:
        season_start_year(season)
        available = loaded_seasons(conn)
        if season not in available:
            raise NotFound(f"Season {season} is not loaded.", candidates=available)
        return season
    if player_id is not None:
        latest = conn.execute(
            text(
                "SELECT MAX(g.season) FROM player_box_scores p JOIN games g ON g.game_id = p.game_id "
                "WHERE p.player_id = :player_id"
            ),
            {"player_id": player_id},
        ).scalar()
    else:
        latest = conn.execute(text("SELECT MAX(season) FROM games")).scalar()
    if latest is None:
        raise NotFound("No games are loaded yet: run `nba-mcp ingest` first.")
    return str(latest)
