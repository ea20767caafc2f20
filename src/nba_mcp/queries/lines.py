"""The stat line every result shares: counting stats, rebounds and points."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from nba_mcp.boxscore import BOX_STATS


class StatLine(BaseModel):
    """Counting stats and points of a game or a season; ``reb`` = ``oreb`` + ``dreb``."""

    fgm: int
    fga: int
    fg3m: int
    fg3a: int
    ftm: int
    fta: int
    oreb: int
    dreb: int
    reb: int
    ast: int
    stl: int
    blk: int
    tov: int
    pf: int
    pts: int


def stat_fields(row: Any) -> dict[str, int]:
    """The :class:`StatLine` fields of a database row or mapping."""
    fields = {stat: int(row[stat]) for stat in BOX_STATS}
    fields["reb"] = fields["oreb"] + fields["dreb"]
    return fields
