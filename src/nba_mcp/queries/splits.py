"""A player's season split into groups: home/away, wins/losses, month, opponent, rest."""

from __future__ import annotations

from fractions import Fraction
from typing import Any, Literal, get_args

from pydantic import BaseModel, Field
from sqlalchemy import Connection, text

from nba_mcp.errors import InvalidInput
from nba_mcp.queries.lookup import PlayerRef, resolve_player
from nba_mcp.queries.seasons import check_season_type, no_player_games, resolve_season
from nba_mcp.rounding import round_half_up

Split = Literal["home_away", "wins_losses", "month", "opponent", "rest_days"]
SPLITS: tuple[str, ...] = get_args(Split)

_SUMS = ("g", "seconds", "pts", "reb", "ast", "fgm", "fga", "fg3m", "fg3a", "ftm", "fta")


class SplitGroup(BaseModel):
    group: str = Field(
        description="home/away; W/L; a month as 2015-11; an opponent abbreviation; "
        "or rest days before the game: 0 (back-to-back), 1, 2, 3+, first game."
    )
    games: int
    min_per_game: float
    pts_per_game: float
    reb_per_game: float
    ast_per_game: float
    fg_pct: float | None = Field(description="Fraction, 3 places; null without attempts.")
    fg3_pct: float | None
    ft_pct: float | None
    ts_pct: float | None = Field(description="True shooting: PTS / (2 * (FGA + 0.44 * FTA)).")


class PlayerSplits(BaseModel):
    player: PlayerRef
    season: str
    season_type: str
    split: str
    groups: list[SplitGroup] = Field(description="Groups in their natural order.")
    total: SplitGroup = Field(description="The whole season (group 'total').")


def _ratio(made: int, attempted: int | Fraction) -> float | None:
    return round_half_up(made, attempted, 3) if attempted else None


def _group(name: str, row: dict[str, Any]) -> SplitGroup:
    g = int(row["g"])
    tsa = 2 * (row["fga"] + Fraction(44, 100) * row["fta"])
    return SplitGroup(
        group=name,
        games=g,
        min_per_game=round_half_up(row["seconds"], 60 * g, 1),
        pts_per_game=round_half_up(row["pts"], g, 1),
        reb_per_game=round_half_up(row["reb"], g, 1),
        ast_per_game=round_half_up(row["ast"], g, 1),
        fg_pct=_ratio(row["fgm"], row["fga"]),
        fg3_pct=_ratio(row["fg3m"], row["fg3a"]),
        ft_pct=_ratio(row["ftm"], row["fta"]),
        ts_pct=_ratio(row["pts"], tsa),
    )


def _key_sql(split: str, dialect: str) -> str:
    """The SQL expression naming each game's group (over the per-game subquery ``x``)."""
    if split == "home_away":
        return "CASE WHEN x.is_home THEN 'home' ELSE 'away' END"
    if split == "wins_losses":
        return "CASE WHEN x.own > x.other THEN 'W' ELSE 'L' END"
    if split == "opponent":
        return "x.opponent"
    if split == "month":
        if dialect == "sqlite":
            return "strftime('%Y-%m', x.game_date)"
        return "to_char(x.game_date, 'YYYY-MM')"
    if dialect == "sqlite":
        days = "CAST(julianday(x.game_date) - julianday(x.previous) AS INTEGER)"
    else:
        days = "(x.game_date - x.previous)"
    return (
        "CASE WHEN x.previous IS NULL THEN 'first game' "
        f"WHEN {days} >= 4 THEN '3+' ELSE CAST({days} - 1 AS VARCHAR(2)) END"
    )


_REST_ORDER = {"0": 0, "1": 1, "2": 2, "3+": 3, "first game": 4}
_ORDER = {"home_away": {"home": 0, "away": 1}, "wins_losses": {"W": 0, "L": 1}}


def player_splits(
    conn: Connection,
    *,
    player: str | int,
    season: str | None = None,
    season_type: str = "regular",
    split: Split,
) -> PlayerSplits:
    """A player's season (default: his latest) split by ``split``, per group: games,
    minutes, points, rebounds and assists per game, FG%, 3P%, FT% and TS%.

    Splits: ``home_away``; ``wins_losses`` (his team's result); ``month``;
    ``opponent``; ``rest_days`` (days off since his previous game of this season and
    type: 0 is the second night of a back-to-back; his first game is a group of its own).
    """
    if split not in SPLITS:
        raise InvalidInput(f"Unknown split {split!r}; use one of: {', '.join(SPLITS)}.")
    season_type = check_season_type(season_type)
    ref = resolve_player(conn, player=player, season=season)
    season = resolve_season(conn, season, player_id=ref.player_id)
    key = _key_sql(split, conn.dialect.name)
    sums = ", ".join(f"SUM(x.{s}) AS {s}" for s in _SUMS[2:])
    sql = f"""
        SELECT {key} AS grp, COUNT(*) AS g, SUM(x.seconds) AS seconds, {sums}
        FROM (
            SELECT g.game_date,
                   LAG(g.game_date) OVER (ORDER BY g.game_date, g.game_id) AS previous,
                   g.home_team_id = b.team_id AS is_home,
                   CASE WHEN g.home_team_id = b.team_id THEN g.home_score ELSE g.away_score END
                       AS own,
                   CASE WHEN g.home_team_id = b.team_id THEN g.away_score ELSE g.home_score END
                       AS other,
                   o.abbreviation AS opponent,
                   b.seconds, b.pts, b.oreb + b.dreb AS reb, b.ast, b.fgm, b.fga,
                   b.fg3m, b.fg3a, b.ftm, b.fta
            FROM player_box_scores b
            JOIN games g ON g.game_id = b.game_id
            JOIN teams o ON o.team_id = CASE WHEN g.home_team_id = b.team_id
                                             THEN g.away_team_id ELSE g.home_team_id END
            WHERE b.player_id = :player_id AND g.season = :season
              AND g.season_type = :season_type
        ) x
        GROUP BY {key}
    """
    params = {"player_id": ref.player_id, "season": season, "season_type": season_type}
    rows = {row["grp"]: dict(row) for row in conn.execute(text(sql), params).mappings()}
    if not rows:
        raise no_player_games(conn, ref, season, season_type)
    order = _REST_ORDER if split == "rest_days" else _ORDER.get(split, {})
    names = sorted(rows, key=lambda name: (order.get(name, 0), name))
    total = {s: sum(row[s] for row in rows.values()) for s in _SUMS}
    return PlayerSplits(
        player=ref,
        season=season,
        season_type=season_type,
        split=split,
        groups=[_group(name, rows[name]) for name in names],
        total=_group("total", total),
    )
