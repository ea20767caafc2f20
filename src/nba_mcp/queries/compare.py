"""Players side by side in one season, each figure with its league rank."""

from __future__ import annotations

from typing import Any

import pandas as pd
from pydantic import BaseModel, Field
from sqlalchemy import Connection

from nba_mcp.errors import InvalidInput, NotFound
from nba_mcp.queries.advanced import season_tables
from nba_mcp.queries.lookup import PlayerRef, all_teams, resolve_player
from nba_mcp.queries.seasons import check_season_type, resolve_season
from nba_mcp.rounding import figure

DEFAULT_STATS = (
    "g", "mp_per_g", "pts_per_g", "reb_per_g", "ast_per_g", "stl_per_g", "blk_per_g",
    "ts_pct", "usg_pct", "per", "ws", "ws_per_48", "bpm", "vorp",
)  # fmt: skip
LOWER_IS_BETTER = frozenset(
    {"drtg", "tov", "tov_per_g", "tov_per_36", "tov_per_100", "tov_pct", "pf", "pf_per_g"}
)
NOT_STATS = frozenset({"player_id", "team_id", "is_total", "seconds"})
FRACTIONS = frozenset(
    {
        "fg_pct",
        "fg2_pct",
        "fg3_pct",
        "ft_pct",
        "efg_pct",
        "ts_pct",
        "fg3a_rate",
        "fta_rate",
        "ws_per_48",
    }
)
MIN_MINUTES = {"regular": 500.0, "playoffs": 100.0, "play_in": 0.0}


class StatValue(BaseModel):
    value: float | None
    rank: int | None = Field(description="League rank among qualified players (1 = best).")


class ComparedPlayer(BaseModel):
    player: PlayerRef
    team: str = Field(description="Team abbreviation, or TOT for a traded player.")
    qualified: bool = Field(description="Whether he played enough minutes to be ranked.")
    stats: dict[str, StatValue]


class Comparison(BaseModel):
    season: str
    season_type: str
    stats: list[str]
    ranked_among: int = Field(description="How many players are ranked.")
    min_minutes: float = Field(description="Minutes a player needs to be ranked.")
    players: list[ComparedPlayer]


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
    table = season_tables(conn, season=season, season_type=season_type).players
    abbreviations = {t.team_id: t.abbreviation for t in all_teams(conn)}
    season_rows = _one_row_per_player(table, abbreviations)
    wanted = list(stats or DEFAULT_STATS)
    valid = [c for c in table.columns if c not in NOT_STATS]
    unknown = [s for s in wanted if s not in valid]
    if unknown:
        raise InvalidInput(f"stats: unknown {', '.join(unknown)}. Valid stats: {', '.join(valid)}.")
    min_minutes = MIN_MINUTES[season_type]
    qualified = season_rows[season_rows["mp"] >= min_minutes]
    ranks = {stat: _ranks(qualified, stat) for stat in wanted}
    compared = []
    for ref in refs:
        row = season_rows[season_rows["player_id"] == ref.player_id]
        if row.empty:
            raise NotFound(f"{ref.name} has no {season_type} games in {season}.")
        line = row.iloc[0]
        compared.append(
            ComparedPlayer(
                player=ref,
                team=line["team"],
                qualified=bool(line["mp"] >= min_minutes),
                stats={
                    stat: StatValue(
                        value=_value(line[stat], stat), rank=ranks[stat].get(ref.player_id)
                    )
                    for stat in wanted
                },
            )
        )
    return Comparison(
        season=season, season_type=season_type, stats=wanted, ranked_among=len(qualified),
        min_minutes=min_minutes, players=compared,
    )  # fmt: skip


def _one_row_per_player(table: pd.DataFrame, abbreviations: dict[int, str]) -> pd.DataFrame:
    """The season line of each player: his TOT row when traded, else his only row."""
    traded = set(table.loc[table["is_total"], "player_id"])
    keep = table["is_total"] | ~table["player_id"].isin(traded)
    rows = table[keep].copy()
    rows["team"] = [
        "TOT" if total else abbreviations[int(team)]
        for total, team in zip(rows["is_total"], rows["team_id"], strict=True)
    ]
    return rows


def _ranks(rows: pd.DataFrame, stat: str) -> dict[int, int]:
    values = rows.set_index("player_id")[stat].dropna()
    ranked = values.rank(method="min", ascending=stat in LOWER_IS_BETTER)
    return dict(zip(ranked.index.astype(int), ranked.astype(int), strict=True))


def _value(value: Any, stat: str) -> float | None:
    """Shown as Basketball-Reference shows it: fractions to 3 places, the rest to 1."""
    return figure(value, 3 if stat in FRACTIONS else 1)
