"""Games by date and team, and two teams' meetings: the schedule and its results."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import BaseModel, Field
from sqlalchemy import Connection, Date, bindparam, text

from nba_mcp.errors import InvalidInput
from nba_mcp.queries.lookup import TeamRef, find_team
from nba_mcp.queries.seasons import check_season_type, resolve_season
from nba_mcp.rounding import round_half_up

MAX_LIMIT = 1000


class GameSummary(BaseModel):
    game_id: str = Field(description="NBA.com game id (10 digits, e.g. 0021500003).")
    date: dt.date
    season: str
    season_type: str = Field(description="regular, playoffs or play_in.")
    home: str = Field(description="Home team abbreviation.")
    away: str = Field(description="Away team abbreviation.")
    home_score: int
    away_score: int
    winner: str = Field(description="Abbreviation of the team that won.")


class GameList(BaseModel):
    season: str | None = Field(description="The season searched; null when only dates limit it.")
    team: TeamRef | None
    date_from: dt.date | None
    date_to: dt.date | None
    season_type: str | None = Field(description="The season type searched; null for all.")
    total: int = Field(description="Games matching; more than len(games) when cut at limit.")
    games: list[GameSummary] = Field(description="Oldest first, at most `limit`.")


class HeadToHeadRecord(BaseModel):
    season_type: str
    games: int
    team_a_wins: int
    team_b_wins: int
    team_a_pts_per_game: float
    team_b_pts_per_game: float


class HeadToHead(BaseModel):
    season: str
    team_a: TeamRef
    team_b: TeamRef
    records: list[HeadToHeadRecord] = Field(
        description="One record per season type the teams met in (regular, play_in, playoffs)."
    )
    games: list[GameSummary] = Field(description="Their games, oldest first.")


def parse_date(value: dt.date | str | None, *, argument: str) -> dt.date | None:
    """A date given as a date or ISO text (``2015-10-27``); anything else names ``argument``."""
    if value is None or isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        raise InvalidInput(f"{argument} must be a date like 2015-10-27; got {value!r}.") from None


def check_date_range(date_from: dt.date | None, date_to: dt.date | None) -> None:
    if date_from is not None and date_to is not None and date_from > date_to:
        raise InvalidInput(f"date_from ({date_from}) is after date_to ({date_to}).")


_GAME_COLUMNS = """
    g.game_id, g.game_date, g.season, g.season_type, h.abbreviation AS home,
    a.abbreviation AS away, g.home_score, g.away_score
"""
_GAME_JOINS = """
    FROM games g
    JOIN teams h ON h.team_id = g.home_team_id
    JOIN teams a ON a.team_id = g.away_team_id
"""


def _summary(row: Any) -> GameSummary:
    return GameSummary(
        game_id=row["game_id"],
        date=row["game_date"],
        season=row["season"],
        season_type=row["season_type"],
        home=row["home"],
        away=row["away"],
        home_score=row["home_score"],
        away_score=row["away_score"],
        winner=row["home"] if row["home_score"] > row["away_score"] else row["away"],
    )


def list_games(
    conn: Connection,
    *,
    season: str | None = None,
    team: str | None = None,
    date_from: dt.date | str | None = None,
    date_to: dt.date | str | None = None,
    season_type: str | None = None,
    limit: int = 100,
) -> GameList:
    """Games with their final scores, oldest first, filtered by season, team, dates and type.

    Without ``season`` the latest loaded season is searched, unless a date limit is
    given: then the dates alone decide (``date_from=date_to=2015-10-27`` lists that
    night's games). ``season_type`` is regular, playoffs or play_in (default: all).
    ``total`` says how many games matched when more than ``limit`` (1-1000) did.
    """
    if not 1 <= limit <= MAX_LIMIT:
        raise InvalidInput(f"limit must be between 1 and {MAX_LIMIT}; got {limit}.")
    if season_type is not None:
        check_season_type(season_type)
    start = parse_date(date_from, argument="date_from")
    end = parse_date(date_to, argument="date_to")
    check_date_range(start, end)
    if season is not None or (start is None and end is None):
        season = resolve_season(conn, season)
    ref = find_team(conn, name=team) if team is not None else None
    where = ["1 = 1"]
    params: dict[str, Any] = {"limit": limit}
    for column, value in (
        ("g.season =", season),
        ("g.season_type =", season_type),
        ("g.game_date >=", start),
        ("g.game_date <=", end),
    ):
        if value is not None:
            name = f"p{len(params)}"
            where.append(f"{column} :{name}")
            params[name] = value
    if ref is not None:
        where.append("(g.home_team_id = :team_id OR g.away_team_id = :team_id)")
        params["team_id"] = ref.team_id
    sql = f"""
        SELECT {_GAME_COLUMNS}, COUNT(*) OVER () AS total
        {_GAME_JOINS}
        WHERE {" AND ".join(where)}
        ORDER BY g.game_date, g.game_id
        LIMIT :limit
    """
    dates = [bindparam(k, type_=Date) for k, v in params.items() if isinstance(v, dt.date)]
    rows = conn.execute(text(sql).bindparams(*dates), params).mappings().all()
    return GameList(
        season=season,
        team=ref,
        date_from=start,
        date_to=end,
        season_type=season_type,
        total=rows[0]["total"] if rows else 0,
        games=[_summary(row) for row in rows],
    )


def head_to_head(
    conn: Connection, *, team_a: str, team_b: str, season: str | None = None
) -> HeadToHead:
    """Every meeting of two teams in a season (default: the latest loaded), with each
    team's wins and points per game, regular season, play-in and playoffs apart."""
    a = find_team(conn, name=team_a)
    b = find_team(conn, name=team_b)
    if a.team_id == b.team_id:
        raise InvalidInput(f"team_a and team_b are both {a.abbreviation}; name two teams.")
    season = resolve_season(conn, season)
    sql = f"""
        SELECT {_GAME_COLUMNS}
        {_GAME_JOINS}
        WHERE g.season = :season
          AND ((g.home_team_id = :a AND g.away_team_id = :b)
            OR (g.home_team_id = :b AND g.away_team_id = :a))
        ORDER BY g.game_date, g.game_id
    """
    params = {"season": season, "a": a.team_id, "b": b.team_id}
    games = [_summary(row) for row in conn.execute(text(sql), params).mappings()]
    records = []
    for season_type in ("regular", "play_in", "playoffs"):
        meetings = [g for g in games if g.season_type == season_type]
        if not meetings:
            continue
        a_pts = sum(g.home_score if g.home == a.abbreviation else g.away_score for g in meetings)
        b_pts = sum(g.home_score + g.away_score for g in meetings) - a_pts
        a_wins = sum(g.winner == a.abbreviation for g in meetings)
        records.append(
            HeadToHeadRecord(
                season_type=season_type,
                games=len(meetings),
                team_a_wins=a_wins,
                team_b_wins=len(meetings) - a_wins,
                team_a_pts_per_game=round_half_up(a_pts, len(meetings), 1),
                team_b_pts_per_game=round_half_up(b_pts, len(meetings), 1),
            )
        )
    return HeadToHead(season=season, team_a=a, team_b=b, records=records, games=games)
