"""Which backups a daily/weekly/monthly retention policy keeps (grandfather-father-son).

Newest first, the newest backup of each of the last ``daily`` days that have one is kept,
likewise of the last ``weekly`` ISO weeks and ``monthly`` months; the rest may go.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Hashable, Sequence

from pydantic import BaseModel

from nba_mcp.errors import InvalidInput


class Policy(BaseModel):
    daily: int
    weekly: int
    monthly: int


def plan(backups: Sequence[tuple[str, dt.datetime]], policy: Policy) -> tuple[list[str], list[str]]:
    """(kept, deletable) ids of ``backups`` (id, time taken) under ``policy``, newest first."""
    if min(policy.daily, policy.weekly, policy.monthly) < 0:
        raise InvalidInput("Retention counts cannot be negative.")
    if policy.daily + policy.weekly + policy.monthly == 0:
        raise InvalidInput("A policy that keeps nothing would delete every backup: refused.")
    ordered = sorted(backups, key=lambda item: item[1], reverse=True)
    kept: set[str] = set()
    periods: list[tuple[int, Callable[[dt.datetime], Hashable]]] = [
        (policy.daily, lambda t: t.date()),
        (policy.weekly, lambda t: t.isocalendar()[:2]),
        (policy.monthly, lambda t: (t.year, t.month)),
    ]
    for count, period in periods:
        seen: set[Hashable] = set()
        for backup_id, taken in ordered:
            if len(seen) >= count:
                break
            key = period(taken)
            if key not in seen:
                seen.add(key)
                kept.add(backup_id)
    return (
        [b for b, _ in ordered if b in kept],
        [b for b, _ in ordered if b not in kept],
    )
