"""What the database holds, per season and season type: games, dates, teams and players.

Read by the report after every load (:mod:`nba_mcp.ingest.validate`) and by the
domain API's coverage (:mod:`nba_mcp.queries.coverage`), so that both count alike.
"""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, Field
from sqlalchemy import Connection, text

_SEASONS = text(
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


def season_coverage(conn: Connection) -> list[SeasonCoverage]:
    """Every loaded season and season type, oldest first, with its games, teams and players."""
    return [
        SeasonCoverage(
            season=r["season"],
            season_type=r["season_type"],
            games=r["games"],
            first_date=_date(r["first_date"]),
            last_date=_date(r["last_date"]),
            teams=r["teams"],
            players_with_box_scores=r["players"],
        )
        for r in conn.execute(_SEASONS).mappings()
    ]


def _date(value: dt.date | str) -> dt.date:
    """SQLite hands aggregated dates back as text."""
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(value)
