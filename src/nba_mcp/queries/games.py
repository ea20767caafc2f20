"""One game: the score by period and both teams' box scores."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import BaseModel, Field
from sqlalchemy import Connection, text

from nba_mcp.errors import InvalidInput, NotFound
from nba_mcp.queries.lines import StatLine, stat_fields
from nba_mcp.rounding import round_half_up

#: Team minutes of a game without overtime, and what each overtime period adds.
REGULATION_MINUTES, OVERTIME_MINUTES = 240, 25


class BoxLine(StatLine):
    """A player's or a team's line in one game: who, minutes and the counting stats."""

    name: str
    min: float


class TeamGame(BaseModel):
    team: str = Field(description="Team abbreviation.")
    name: str
    is_home: bool
    score: int
    periods: list[int] | None = Field(
        description="Points in Q1..Q4, then all overtimes together (the sources give no "
        "split by overtime period; GameBox.overtimes says how many there were); null when "
        "unknown."
    )
    totals: BoxLine
    players: list[BoxLine] = Field(description="Players by minutes played; empty when unknown.")


class GameBox(BaseModel):
    game_id: str
    season: str
    season_type: str
    date: dt.date
    home: TeamGame
    away: TeamGame
    winner: str
    overtimes: int = Field(
        description="Overtime periods played (0 for none), from the team minutes: 240 "
        "plus 25 per overtime."
    )


def _line(name: str, seconds: int, row: Any) -> BoxLine:
    return BoxLine(name=name, min=round_half_up(seconds, 60, 1), **stat_fields(row))


def overtimes_of(team_minutes: int) -> int:
    """Overtime periods of a game from a team's minutes (240, 265, 290, ...)."""
    return max(0, round((team_minutes - REGULATION_MINUTES) / OVERTIME_MINUTES))


def game_box(conn: Connection, *, game_id: str) -> GameBox:
    """Both teams' box scores of game ``game_id`` (NBA.com id, e.g. 0021500003)."""
    game_id = game_id.strip()
    if game_id.isdigit() and len(game_id) < 10:
        game_id = game_id.zfill(10)
    if not (game_id.isdigit() and len(game_id) == 10):
        raise InvalidInput(f"A game id has 10 digits, like 0021500003; got {game_id!r}.")
    game = (
        conn.execute(
            text("SELECT game_id, season, season_type, game_date FROM games WHERE game_id = :id"),
            {"id": game_id},
        )
        .mappings()
        .first()
    )
    if game is None:
        raise NotFound(f"No game {game_id} is loaded.")
    teams = (
        conn.execute(
            text(
                "SELECT b.*, t.abbreviation, t.full_name FROM team_box_scores b "
                "JOIN teams t ON t.team_id = b.team_id WHERE b.game_id = :id"
            ),
            {"id": game_id},
        )
        .mappings()
        .all()
    )
    players = (
        conn.execute(
            text(
                "SELECT b.*, p.full_name FROM player_box_scores b JOIN players p ON p.player_id = b.player_id "
                "WHERE b.game_id = :id ORDER BY b.seconds DESC, p.full_name"
            ),
            {"id": game_id},
        )
        .mappings()
        .all()
    )
    sides = {}
    for team in teams:
        periods = [team[f"pts_q{i}"] for i in range(1, 5)] + [team["pts_ot"]]
        sides[team["is_home"]] = TeamGame(
            team=team["abbreviation"],
            name=team["full_name"],
            is_home=team["is_home"],
            score=team["pts"],
            periods=None if periods[0] is None else periods,
            totals=_line(team["abbreviation"], 60 * team["minutes"], dict(team)),
            players=[
                _line(p["full_name"], p["seconds"], dict(p))
                for p in players
                if p["team_id"] == team["team_id"]
            ],
        )
    home, away = sides[True], sides[False]
    return GameBox(
        game_id=game_id,
        season=game["season"],
        season_type=game["season_type"],
        date=game["game_date"],
        home=home,
        away=away,
        winner=home.team if home.score > away.score else away.team,
        overtimes=max(overtimes_of(team["minutes"]) for team in teams),
    )


def game_id_on(conn: Connection, *, date: dt.date, team: str) -> str:
    """The id of the game ``team`` played on ``date``."""
    from nba_mcp.queries.lookup import find_team

    ref = find_team(conn, name=team)
    found = conn.execute(
        text(
            "SELECT game_id FROM games WHERE game_date = :date "
            "AND (home_team_id = :team OR away_team_id = :team)"
        ),
        {"date": date, "team": ref.team_id},
    ).scalar()
    if found is None:
        raise NotFound(f"{ref.name} played no game on {date.isoformat()}.")
    return str(found)
