"""A player's games one by one: opponent, result, box line and Game Score."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import BaseModel, Field
from sqlalchemy import Connection, Date, bindparam, text

from nba_mcp.analytics.formulas import game_score
from nba_mcp.errors import InvalidInput
from nba_mcp.queries.lines import StatLine, stat_fields
from nba_mcp.queries.lookup import PlayerRef, TeamRef, find_team, resolve_player
from nba_mcp.queries.schedule import check_date_range, parse_date
from nba_mcp.queries.seasons import check_season_type, no_player_games, resolve_season
from nba_mcp.queries.totals import STATS
from nba_mcp.rounding import display, round_half_up


class GameLogEntry(StatLine):
    date: dt.date
    game_id: str = Field(description="NBA.com game id.")
    team: str = Field(description="The player's team abbreviation in that game.")
    opponent: str = Field(description="Opponent abbreviation.")
    location: Literal["home", "away"]
    result: Literal["W", "L"] = Field(description="The player's team won (W) or lost (L).")
    team_score: int
    opponent_score: int
    min: float = Field(description="Minutes played, one decimal.")
    game_score: float = Field(
        description="Hollinger's Game Score (Basketball-Reference GmSc), one decimal; "
        "10 is an average game, 40 an outstanding one."
    )


class PlayerGameLog(BaseModel):
    player: PlayerRef
    season: str
    season_type: str
    last_n: int | None = Field(description="Only the player's latest n games, when set.")
    opponent: TeamRef | None
    date_from: dt.date | None
    date_to: dt.date | None
    games: list[GameLogEntry] = Field(
        description="Newest first when last_n is set, else in the order played."
    )


def player_game_log(
    conn: Connection,
    *,
    player: str | int,
    season: str | None = None,
    season_type: str = "regular",
    last_n: int | None = None,
    opponent: str | None = None,
    date_from: dt.date | str | None = None,
    date_to: dt.date | str | None = None,
) -> PlayerGameLog:
    """A player's game-by-game box lines in one season (default: his latest) and type.

    Each game has the opponent, home/away, the result and score, minutes, the box
    line and Game Score. ``last_n`` keeps his latest n games (newest first);
    ``opponent`` (a team name or abbreviation) and ``date_from``/``date_to``
    (inclusive, ``2016-01-31``) narrow the games further.
    """
    season_type = check_season_type(season_type)
    if last_n is not None and last_n < 1:
        raise InvalidInput(f"last_n must be a positive number of games; got {last_n}.")
    start = parse_date(date_from, argument="date_from")
    end = parse_date(date_to, argument="date_to")
    check_date_range(start, end)
    ref = resolve_player(conn, player=player, season=season)
    season = resolve_season(conn, season, player_id=ref.player_id)
    opp = find_team(conn, name=opponent) if opponent is not None else None

    filters = ""
    params: dict[str, Any] = {
        "player_id": ref.player_id,
        "season": season,
        "season_type": season_type,
    }
    if opp is not None:
        filters += " AND o.team_id = :opponent_id"
        params["opponent_id"] = opp.team_id
    if start is not None:
        filters += " AND g.game_date >= :date_from"
        params["date_from"] = start
    if end is not None:
        filters += " AND g.game_date <= :date_to"
        params["date_to"] = end
    order = "DESC" if last_n is not None else "ASC"
    limit = " LIMIT :last_n" if last_n is not None else ""
    if last_n is not None:
        params["last_n"] = last_n
    stats = ", ".join(f"b.{s}" for s in STATS)
    sql = f"""
        SELECT g.game_id, g.game_date, t.abbreviation AS team, o.abbreviation AS opponent,
               g.home_team_id = b.team_id AS is_home, g.home_score, g.away_score,
               b.seconds, {stats}
        FROM player_box_scores b
        JOIN games g ON g.game_id = b.game_id
        JOIN teams t ON t.team_id = b.team_id
        JOIN teams o ON o.team_id = CASE WHEN g.home_team_id = b.team_id
                                         THEN g.away_team_id ELSE g.home_team_id END
        WHERE b.player_id = :player_id AND g.season = :season
          AND g.season_type = :season_type {filters}
        ORDER BY g.game_date {order}, g.game_id {order}{limit}
    """
    dates = [bindparam(k, type_=Date) for k in ("date_from", "date_to") if k in params]
    statement = text(sql).bindparams(*dates)
    rows = conn.execute(statement, params).mappings().all()
    if not rows:
        _check_has_games(conn, ref, season, season_type)
    return PlayerGameLog(
        player=ref,
        season=season,
        season_type=season_type,
        last_n=last_n,
        opponent=opp,
        date_from=start,
        date_to=end,
        games=[_entry(row) for row in rows],
    )


def _entry(row: Any) -> GameLogEntry:
    home = bool(row["is_home"])
    own, other = (
        (row["home_score"], row["away_score"]) if home else (row["away_score"], row["home_score"])
    )
    line = stat_fields(row)
    gmsc = game_score(**{k: v for k, v in line.items() if k not in ("fg3m", "fg3a", "reb")})
    return GameLogEntry(
        date=row["game_date"],
        game_id=row["game_id"],
        team=row["team"],
        opponent=row["opponent"],
        location="home" if home else "away",
        result="W" if own > other else "L",
        team_score=own,
        opponent_score=other,
        min=round_half_up(row["seconds"], 60, 1),
        game_score=display(gmsc, 1),
        **line,
    )


def _check_has_games(conn: Connection, ref: PlayerRef, season: str, season_type: str) -> None:
    """No rows: an error if he played no such games at all, else just an empty filter."""
    played = conn.execute(
        text(
            "SELECT COUNT(*) FROM player_box_scores b JOIN games g ON g.game_id = b.game_id "
            "WHERE b.player_id = :player_id AND g.season = :season AND g.season_type = :season_type"
        ),
        {"player_id": ref.player_id, "season": season, "season_type": season_type},
    ).scalar()
    if not played:
        raise no_player_games(conn, ref, season, season_type)
