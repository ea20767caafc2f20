"""Season totals straight from the box scores: the one SQL every season view starts from."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, text

from nba_mcp.boxscore import BOX_STATS
from nba_mcp.queries.memo import memoized

STATS = BOX_STATS
_SUMS = ", ".join(f"SUM(b.{s}) AS {s}" for s in STATS)


def player_totals(
    conn: Connection, *, season: str, season_type: str, player_id: int | None = None
) -> list[dict[str, Any]]:
    """One row per player and team (a stint) in the season: games, seconds and totals.

    Rows are ordered by player, then by the date of the stint's first game.
    """
    where = "AND b.player_id = :player_id" if player_id is not None else ""
    sql = f"""
        SELECT b.player_id, b.team_id, t.abbreviation AS team, COUNT(*) AS g,
               SUM(b.seconds) AS seconds, {_SUMS}, MIN(g.game_date) AS first_game
        FROM player_box_scores b
        JOIN games g ON g.game_id = b.game_id
        JOIN teams t ON t.team_id = b.team_id
        WHERE g.season = :season AND g.season_type = :season_type {where}
        GROUP BY b.player_id, b.team_id, t.abbreviation
        ORDER BY b.player_id, MIN(g.game_date)
    """
    params = {"season": season, "season_type": season_type, "player_id": player_id}
    return [dict(row) for row in conn.execute(text(sql), params).mappings()]


def player_stints(
    conn: Connection, *, season: str, season_type: str, player_id: int
) -> list[dict[str, Any]]:
    """The rows of :func:`player_totals` for one player, from the whole season's rows, which
    are queried once per data version (:mod:`nba_mcp.queries.memo`): a lookup per call."""

    def build() -> dict[int, list[dict[str, Any]]]:
        by_player: dict[int, list[dict[str, Any]]] = {}
        for row in player_totals(conn, season=season, season_type=season_type):
            by_player.setdefault(row["player_id"], []).append(row)
        return by_player

    stints = memoized(conn, "stints", (season, season_type), build)
    return [dict(row) for row in stints.get(player_id, [])]  # copies: the caller's to change


def team_totals(
    conn: Connection, *, season: str, season_type: str, team_id: int | None = None
) -> list[dict[str, Any]]:
    """One row per team in the season: games, wins, losses, minutes, totals and opponents'.

    Team totals are the official ones where loaded (NBA.com, with team turnovers).
    """
    opp = ", ".join(f"SUM(o.{s}) AS opp_{s}" for s in STATS)
    where = "AND b.team_id = :team_id" if team_id is not None else ""
    sql = f"""
        SELECT b.team_id, t.abbreviation AS team, COUNT(*) AS g,
               SUM(CASE WHEN b.pts > o.pts THEN 1 ELSE 0 END) AS wins,
               SUM(CASE WHEN b.pts < o.pts THEN 1 ELSE 0 END) AS losses,
               SUM(CASE WHEN b.is_home AND b.pts > o.pts THEN 1 ELSE 0 END) AS home_wins,
               SUM(CASE WHEN b.is_home AND b.pts < o.pts THEN 1 ELSE 0 END) AS home_losses,
               SUM(CASE WHEN NOT b.is_home AND b.pts > o.pts THEN 1 ELSE 0 END) AS away_wins,
               SUM(CASE WHEN NOT b.is_home AND b.pts < o.pts THEN 1 ELSE 0 END) AS away_losses,
               SUM(b.minutes) AS minutes, {_SUMS}, {opp}
        FROM team_box_scores b
        JOIN team_box_scores o ON o.game_id = b.game_id AND o.team_id = b.opponent_id
        JOIN games g ON g.game_id = b.game_id
        JOIN teams t ON t.team_id = b.team_id
        WHERE g.season = :season AND g.season_type = :season_type {where}
        GROUP BY b.team_id, t.abbreviation
        ORDER BY t.abbreviation
    """
    params = {"season": season, "season_type": season_type, "team_id": team_id}
    return [dict(row) for row in conn.execute(text(sql), params).mappings()]


def team_games(conn: Connection, *, season: str, season_type: str) -> list[dict[str, Any]]:
    """One row per team per game: the schedule and scores (for strength of schedule)."""
    sql = """
        SELECT b.game_id, b.team_id, b.opponent_id, b.is_home, b.pts, o.pts AS opp_pts
        FROM team_box_scores b
        JOIN team_box_scores o ON o.game_id = b.game_id AND o.team_id = b.opponent_id
        JOIN games g ON g.game_id = b.game_id
        WHERE g.season = :season AND g.season_type = :season_type
        ORDER BY b.game_id, b.team_id
    """
    params = {"season": season, "season_type": season_type}
    return [dict(row) for row in conn.execute(text(sql), params).mappings()]
