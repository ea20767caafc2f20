"""What data is loaded: seasons, season types, games, players and dates, and the data version."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, Field
from sqlalchemy import Connection, text

from nba_mcp.db.inventory import SeasonCoverage, season_coverage


class Coverage(BaseModel):
    seasons: list[SeasonCoverage]
    data_version: int = Field(description="Increases with every load that changes data.")
    updated_at: dt.datetime | None


def coverage(conn: Connection) -> Coverage:
    """Every loaded season and season type with its games, teams and players."""
    seasons = season_coverage(conn)
    version = conn.execute(
        text("SELECT version, updated_at FROM data_version WHERE id = 1")
    ).first()
    return Coverage(
        seasons=seasons,
        data_version=version[0] if version else 0,
        updated_at=version[1] if version else None,
    )
