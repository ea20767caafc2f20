"""The box-score stats every layer names the same way (sources, schema, analytics, results)."""

from __future__ import annotations

#: The 13 counting stats, in the order the sources list them.
COUNTING_STATS = (
    "fgm", "fga", "fg3m", "fg3a", "ftm", "fta",
    "oreb", "dreb", "ast", "stl", "blk", "tov", "pf",
)  # fmt: skip

#: The counting stats and points: every total a box line carries.
BOX_STATS = (*COUNTING_STATS, "pts")
