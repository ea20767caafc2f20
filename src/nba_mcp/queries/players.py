"""A player's season: per-team rows and a TOT row, totals and per-game averages."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field
from sqlalchemy import Connection

from nba_mcp.queries.advanced import Advanced, PerMinutes, player_lines
from nba_mcp.queries.lines import StatLine, stat_fields
from nba_mcp.queries.lookup import PlayerRef, resolve_player
from nba_mcp.queries.seasons import check_season_type, no_player_games, resolve_season
from nba_mcp.queries.totals import STATS, player_stints
from nba_mcp.rounding import round_half_up


class Totals(StatLine):
    """Season totals."""


class PerGame(BaseModel):
    min: float
    fgm: float
    fga: float
    fg3m: float
    fg3a: float
    ftm: float
    fta: float
    oreb: float
    dreb: float
    reb: float
    ast: float
    stl: float
    blk: float
    tov: float
    pf: float
    pts: float


class Shooting(BaseModel):
    """Shooting percentages as fractions (0.669); null when there was no attempt."""

    fg_pct: float | None
    fg3_pct: float | None
    ft_pct: float | None


class StintRow(BaseModel):
    team: str = Field(description="Team abbreviation, or TOT for a traded player's season.")
    g: int
    mp: float = Field(
        description="Minutes played, whole minutes as Basketball-Reference shows them."
    )
    totals: Totals
    per_game: PerGame
    shooting: Shooting
    per_36: PerMinutes | None = Field(default=None, description="Per 36 minutes (advanced).")
    per_100: PerMinutes | None = Field(
        default=None, description="Per 100 team possessions on the floor (advanced)."
    )
    advanced: Advanced | None = Field(default=None, description="Advanced metrics, when asked.")


class PlayerSeason(BaseModel):
    player: PlayerRef
    season: str
    season_type: str
    rows: list[StintRow] = Field(
        description="One row per team in order of play; a TOT row last for a traded player."
    )
    advanced: Advanced | None = Field(
        default=None,
        description="The season's advanced metrics (the TOT row's for a traded player).",
    )

    @property
    def total(self) -> StintRow:
        return self.rows[-1]


def _ratio(made: int, attempted: int) -> float | None:
    return round_half_up(made, attempted, 3) if attempted else None


def stint_row(team: str, row: dict[str, Any]) -> StintRow:
    games = int(row["g"])
    totals = stat_fields(row)
    seconds = int(row["seconds"])
    per_game = {stat: round_half_up(value, games, 1) for stat, value in totals.items()}
    return StintRow(
        team=team,
        g=games,
        mp=round_half_up(seconds, 60, 0),
        totals=Totals(**totals),
        per_game=PerGame(min=round_half_up(seconds, 60 * games, 1), **per_game),
        shooting=Shooting(
            fg_pct=_ratio(totals["fgm"], totals["fga"]),
            fg3_pct=_ratio(totals["fg3m"], totals["fg3a"]),
            ft_pct=_ratio(totals["ftm"], totals["fta"]),
        ),
    )


def combine(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """The TOT row of several stints: every count summed."""
    return {key: sum(row[key] for row in rows) for key in ("g", "seconds", *STATS)}


def player_season(
    conn: Connection,
    *,
    player: str | int,
    season: str | None = None,
    season_type: str = "regular",
    advanced: bool = False,
) -> PlayerSeason:
    """A player's season by team, as Basketball-Reference lays it out (TOT for traded players).

    With ``advanced`` each row also has per-36, per-100 and advanced metrics.
    """
    season_type = check_season_type(season_type)
    ref = resolve_player(conn, player=player, season=season)
    season = resolve_season(conn, season, player_id=ref.player_id)
    stints = player_stints(conn, season=season, season_type=season_type, player_id=ref.player_id)
    if not stints:
        raise no_player_games(conn, ref, season, season_type)
    rows = [stint_row(s["team"], s) for s in stints]
    if len(stints) > 1:
        rows.append(stint_row("TOT", combine(stints)))
    result = PlayerSeason(player=ref, season=season, season_type=season_type, rows=rows)
    if advanced:
        _add_advanced(conn, result, [s["team_id"] for s in stints])
    return result


def _add_advanced(conn: Connection, result: PlayerSeason, team_ids: list[int]) -> None:
    """Fill each row from the season's computed table: stints by team, then TOT."""
    computed = player_lines(conn, season=result.season, season_type=result.season_type)
    rows = computed[result.player.player_id]
    by_team = {int(row.line["team_id"]): row for row in rows if not row.line["is_total"]}
    lines = [by_team[team_id] for team_id in team_ids]
    if len(result.rows) > len(team_ids):
        lines.append(next(row for row in rows if row.line["is_total"]))
    for row, line in zip(result.rows, lines, strict=True):
        row.per_36, row.per_100, row.advanced = line.per_36, line.per_100, line.advanced
    result.advanced = result.rows[-1].advanced
