"""What data is loaded: seasons, season types, games, players and dates."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, Field
from sqlalchemy import Connection, text


class SeasonCoverage(BaseModel):
    season: str
    season_type: str
    games: int
    first_date: dt.date
    last_date: dt.date
    teams: int
    players_with_box_scores: int = Field(
        description="0 when only team data is loaded (NBA.com team logs)."
    )


class Coverage(BaseModel):
    seasons: list[SeasonCoverage]
    data_version: int = Field(description="Increases with every load that changes data.")
    updated_at: dt.datetime | None


def coverage(conn: Connection) -> Coverage:
    """Every loaded season and season type with its games, teams and players."""
    rows = conn.execute(
        text(
            """
            SELECT g.season, g.season_type, COUNT(*) AS games, MIN(g.game_date) AS first_date,
                   MAX(g.game_date) AS last_date,
                   (SELECT COUNT(DISTINCT t.team_id) FROM team_box_scores t JOIN games tg
                      ON tg.game_id = t.game_id
                    WHERE tg.season = g.season AND tg.season_type = g.season_type) AS teams,
                   (SELECT COUNT(DISTINCT p.player_id) FROM player_box_scores p JOIN games pg
                      ON pg.game_id = p.game_id
                    WHERE pg.season = g.season AND pg.season_type = g.season_type) AS players
            FROM games g GROUP BY g.season, g.season_type ORDER BY g.season, g.season_type
            """
        )
    ).mappings()
    seasons = [
        SeasonCoverage(
            season=r["season"],
            season_type=r["season_type"],
            games=r["games"],
            first_date=_date(r["first_date"]),
            last_date=_date(r["last_date"]),
            teams=r["teams"],
            players_with_box_scores=r["players"],
        )
        for r in rows
    ]
    version = conn.execute(
        text("SELECT version, updated_at FROM data_version WHERE id = 1")
    ).first()
    return Coverage(
        seasons=seasons,
        data_version=version[0] if version else 0,
        updated_at=version[1] if version else None,
    )


def _date(value: dt.date | str) -> dt.date:
    """SQLite hands aggregated dates back as text."""
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(value)
