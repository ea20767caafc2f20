"""A team's season: record, home and away, points for and against."""

from __future__ import annotations

from pydantic import BaseModel, Field
from sqlalchemy import Connection

from nba_mcp.errors import NotFound
from nba_mcp.queries.lookup import TeamRef, find_team
from nba_mcp.queries.seasons import check_season_type, resolve_season
from nba_mcp.queries.totals import team_totals


class Record(BaseModel):
    wins: int
    losses: int

    def __str__(self) -> str:
        return f"{self.wins}-{self.losses}"


class TeamSeason(BaseModel):
    team: TeamRef
    season: str
    season_type: str
    g: int
    record: Record
    home: Record
    away: Record
    win_pct: float = Field(description="Wins per game, as a fraction.")
    pts_per_game: float
    opp_pts_per_game: float


def team_season(
    conn: Connection, *, team: str, season: str | None = None, season_type: str = "regular"
) -> TeamSeason:
    """Record, home/away split and scoring of one team's season."""
    check_season_type(season_type)
    ref = find_team(conn, name=team)
    season = resolve_season(conn, season)
    rows = team_totals(conn, season=season, season_type=season_type, team_id=ref.team_id)
    if not rows:
        raise NotFound(f"{ref.name} played no {season_type} games in {season}.")
    row = rows[0]
    games = int(row["g"])
    return TeamSeason(
        team=ref,
        season=season,
        season_type=season_type,
        g=games,
        record=Record(wins=row["wins"], losses=row["losses"]),
        home=Record(wins=row["home_wins"], losses=row["home_losses"]),
        away=Record(wins=row["away_wins"], losses=row["away_losses"]),
        win_pct=round(row["wins"] / games, 3),
        pts_per_game=round(row["pts"] / games, 1),
        opp_pts_per_game=round(row["opp_pts"] / games, 1),
    )
