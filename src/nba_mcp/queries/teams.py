"""A team's season: record, home and away, points for and against."""

from __future__ import annotations

from pydantic import BaseModel, Field
from sqlalchemy import Connection

from nba_mcp.errors import NotFound
from nba_mcp.queries.advanced import team_table
from nba_mcp.queries.lookup import TeamRef, find_team
from nba_mcp.queries.seasons import check_season_type, resolve_season
from nba_mcp.queries.totals import team_totals
from nba_mcp.rounding import figure, round_half_up
from nba_mcp.seasons import SEASON_TYPE_WORDS


class Record(BaseModel):
    wins: int
    losses: int

    def __str__(self) -> str:
        return f"{self.wins}-{self.losses}"


class OffenseFactors(BaseModel):
    efg_pct: float | None = Field(description="Effective FG %, a fraction.")
    tov_pct: float | None = Field(description="Turnovers per 100 plays.")
    orb_pct: float | None = Field(description="Offensive rebound %, percentage points.")
    ft_per_fga: float | None = Field(description="Free throws made per field goal attempt.")


class DefenseFactors(BaseModel):
    efg_pct: float | None = Field(description="Opponents' effective FG %.")
    tov_pct: float | None = Field(description="Opponents' turnovers per 100 plays.")
    drb_pct: float | None = Field(description="Defensive rebound %, percentage points.")
    ft_per_fga: float | None = Field(description="Opponents' free throws per FGA.")


class FourFactors(BaseModel):
    offense: OffenseFactors
    defense: DefenseFactors


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
    mov: float | None = Field(description="Margin of victory: points minus opponents' per game.")
    pace: float | None = Field(description="Possessions per 48 minutes.")
    ortg: float | None = Field(description="Points scored per 100 possessions.")
    drtg: float | None = Field(description="Points allowed per 100 possessions.")
    net_rtg: float | None = Field(description="ORtg minus DRtg.")
    srs: float | None = Field(description="Simple rating system: MOV adjusted for schedule.")
    sos: float | None = Field(description="Strength of schedule, points per game.")
    ts_pct: float | None = Field(description="True shooting %, a fraction.")
    pythagorean: Record | None = Field(description="Expected W-L from points (exponent 14).")
    four_factors: FourFactors


def team_season(
    conn: Connection, *, team: str, season: str | None = None, season_type: str = "regular"
) -> TeamSeason:
    """Record, home/away split and scoring of one team's season."""
    season_type = check_season_type(season_type)
    ref = find_team(conn, name=team)
    season = resolve_season(conn, season)
    rows = team_totals(conn, season=season, season_type=season_type, team_id=ref.team_id)
    if not rows:
        word = SEASON_TYPE_WORDS[season_type]
        if not team_totals(conn, season=season, season_type=season_type):
            raise NotFound(f"No {word} games are loaded for {season}.")
        raise NotFound(f"The {ref.name} played no {word} games in {season}.")
    row = rows[0]
    games = int(row["g"])
    table = team_table(conn, season=season, season_type=season_type)
    metrics = table[table["team_id"] == ref.team_id].iloc[0]
    return TeamSeason(
        team=ref,
        season=season,
        season_type=season_type,
        g=games,
        record=Record(wins=row["wins"], losses=row["losses"]),
        home=Record(wins=row["home_wins"], losses=row["home_losses"]),
        away=Record(wins=row["away_wins"], losses=row["away_losses"]),
        win_pct=round_half_up(row["wins"], games, 3),
        pts_per_game=round_half_up(row["pts"], games, 1),
        opp_pts_per_game=round_half_up(row["opp_pts"], games, 1),
        mov=figure(metrics["mov"], 2),
        pace=figure(metrics["pace"], 1),
        ortg=figure(metrics["ortg"], 1),
        drtg=figure(metrics["drtg"], 1),
        net_rtg=figure(metrics["net_rtg"], 1),
        srs=figure(metrics["srs"], 2),
        sos=figure(metrics["sos"], 2),
        ts_pct=figure(metrics["ts_pct"], 3),
        pythagorean=Record(wins=int(metrics["pyth_wins"]), losses=int(metrics["pyth_losses"])),
        four_factors=FourFactors(
            offense=OffenseFactors(
                efg_pct=figure(metrics["efg_pct"], 3),
                tov_pct=figure(metrics["tov_pct"], 1),
                orb_pct=figure(metrics["orb_pct"], 1),
                ft_per_fga=figure(metrics["ft_per_fga"], 3),
            ),
            defense=DefenseFactors(
                efg_pct=figure(metrics["opp_efg_pct"], 3),
                tov_pct=figure(metrics["opp_tov_pct"], 1),
                drb_pct=figure(metrics["drb_pct"], 1),
                ft_per_fga=figure(metrics["opp_ft_per_fga"], 3),
            ),
        ),
    )
