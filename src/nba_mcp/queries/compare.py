"""Players side by side in one season, each figure with its league rank.

A figure's rank is its place on the league's board of that stat, among the players who
qualify for it under the leaderboard's minimums (:mod:`nba_mcp.queries.leaders`: 70% of
team games for per-game figures, makes for FG%/3P%/FT%/eFG%, 500 true shooting attempts
for TS%, 1,500 minutes for advanced rates, pro-rated by team games; none for totals).
Columns the leaderboard has no stat for follow the same kinds: per-36 and per-100 figures
and the other rates (2P%, 3PAr, FTr) the minutes rule, counts none. Rank 1 is the best:
lowest first where lower is better (DRtg, turnovers and fouls in any form).
"""

from __future__ import annotations

from typing import Any

import pandas as pd
from pydantic import BaseModel, Field
from sqlalchemy import Connection

from nba_mcp.errors import InvalidInput, NotFound
from nba_mcp.queries.boards import player_board
from nba_mcp.queries.leaders import MINUTES, STATS, Stat, rank, rule_text
from nba_mcp.queries.lookup import PlayerRef, resolve_player
from nba_mcp.queries.seasons import check_season_type, resolve_season
from nba_mcp.rounding import figure

DEFAULT_STATS = (
    "g", "mp_per_g", "pts_per_g", "reb_per_g", "ast_per_g", "stl_per_g", "blk_per_g",
    "ts_pct", "usg_pct", "per", "ortg", "drtg", "ws", "ws_per_48", "bpm", "vorp",
)  # fmt: skip
LOWER_IS_BETTER = frozenset(
    {"drtg", "tov", "tov_per_g", "tov_per_36", "tov_per_100", "tov_pct",
     "pf", "pf_per_g", "pf_per_36", "pf_per_100"}
)  # fmt: skip
NOT_STATS = frozenset({"player_id", "team_id", "is_total", "seconds"})
FRACTIONS = frozenset(
    {"fg_pct", "fg2_pct", "fg3_pct", "ft_pct", "efg_pct", "ts_pct", "fg3a_rate", "fta_rate",
     "ws_per_48"}
)  # fmt: skip
_MINUTE_RATES = frozenset({"fg2_pct", "fg3a_rate", "fta_rate"})


class StatValue(BaseModel):
    value: float | None
    rank: int | None = Field(description="League rank among qualified players (1 = best).")
    ranked_among: int = Field(description="How many players qualify for this stat.")
    qualified: bool = Field(description="Whether he meets this stat's minimum.")


class ComparedPlayer(BaseModel):
    player: PlayerRef
    team: str = Field(description="Team abbreviation, or TOT for a traded player.")
    qualified: bool = Field(
        description="Whether he played enough minutes for the advanced rates (1,500 in an "
        "82-game season, pro-rated by his team's games)."
    )
    stats: dict[str, StatValue]


class Comparison(BaseModel):
    season: str
    season_type: str
    stats: list[str]
    ranked_among: int = Field(description="How many players meet the minutes minimum.")
    min_minutes: float = Field(
        description="Minutes for the advanced rates in an 82-game season (pro-rated)."
    )
    qualification: dict[str, str] = Field(description="Each stat's minimum to be ranked.")
    players: list[ComparedPlayer]


def stat_of_column(column: str) -> Stat:
    """The leaderboard stat a player-table column is ranked as (see the module)."""
    if column in STATS and column not in ("min",) and not column.endswith("_total"):
        found = STATS[column]
        if found.kind != "per_game":
            return found
    if column.endswith("_per_g"):
        name = column.removesuffix("_per_g")
        name = "min" if name == "mp" else name
        if name in STATS:
            return STATS[name]
    name = "min_total" if column == "mp" else f"{column}_total"
    if name in STATS:
        return STATS[name]
    if column.endswith(("_per_36", "_per_100")) or column in _MINUTE_RATES:
        return Stat(column, "player", "minutes", column, column, 1, count="mp", minimum=MINUTES)
    return Stat(column, "player", "total", column, column, 1)


def compare_players(
    conn: Connection,
    *,
    players: list[str],
    season: str | None = None,
    season_type: str = "regular",
    stats: list[str] | None = None,
) -> Comparison:
    """Compare 2-10 players' season lines (TOT for traded players) with league ranks."""
    check_season_type(season_type)
    if not 2 <= len(players) <= 10:
        raise InvalidInput("players: name between 2 and 10 players.")
    refs = [resolve_player(conn, player=name, season=season) for name in players]
    season = resolve_season(conn, season, player_id=refs[0].player_id)
    board = player_board(conn, season=season, season_type=season_type)
    wanted = list(stats or DEFAULT_STATS)
    valid = [c for c in board.columns if c not in NOT_STATS and c not in _BOARD_EXTRAS]
    unknown = [s for s in wanted if s not in valid]
    if unknown:
        raise InvalidInput(f"stats: unknown {', '.join(unknown)}. Valid stats: {', '.join(valid)}.")
    specs = {stat: stat_of_column(stat) for stat in wanted}
    ranks = {stat: _ranks(board, spec, stat in LOWER_IS_BETTER) for stat, spec in specs.items()}
    minutes = _ranks(board, STATS["per"], False)
    compared = []
    for ref in refs:
        row = board[board["player_id"] == ref.player_id]
        if row.empty:
            raise NotFound(f"{ref.name} has no {season_type} games in {season}.")
        line = row.iloc[0]
        compared.append(
            ComparedPlayer(
                player=ref,
                team=line["team"],
                qualified=ref.player_id in minutes,
                stats={
                    stat: StatValue(
                        value=_value(line[stat], stat), rank=ranks[stat].get(ref.player_id),
                        ranked_among=len(ranks[stat]), qualified=ref.player_id in ranks[stat],
                    )
                    for stat in wanted
                },
            )
        )  # fmt: skip
    return Comparison(
        season=season, season_type=season_type, stats=wanted, ranked_among=len(minutes),
        min_minutes=float(MINUTES),
        qualification={stat: rule_text(spec) for stat, spec in specs.items()},
        players=compared,
    )  # fmt: skip


_BOARD_EXTRAS = frozenset({"team", "team_games", "name", "tsa"})


def _ranks(board: pd.DataFrame, spec: Stat, lower_is_better: bool) -> dict[int, int]:
    ranking = rank(spec, board, ascending=lower_is_better)
    ids = board["player_id"].to_numpy()[ranking.rows]
    return {int(i): int(r) for i, r in zip(ids, ranking.ranks, strict=True)}


def _value(value: Any, stat: str) -> float | None:
    """Shown as Basketball-Reference shows it: fractions to 3 places, the rest to 1."""
    return figure(value, 3 if stat in FRACTIONS else 1)
