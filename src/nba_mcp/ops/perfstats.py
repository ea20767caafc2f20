"""The figures of the performance report, computed from ``request_log`` rows read by SQL.

Percentiles interpolate linearly between ranks, as PostgreSQL's ``percentile_cont`` does,
so each figure equals what SQL over the same rows gives. Availability is the share of
requests not answered 5xx; refused means 401 or 403, rate-limited 429.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence

import numpy as np
from pydantic import BaseModel
from sqlalchemy import Engine, select

from nba_mcp.db.models import RequestLog, table_of
from nba_mcp.errors import InvalidInput

LOG = table_of(RequestLog)
MAX_DAYS = 366


class Latency(BaseModel):
    name: str
    requests: int
    errors: int
    p50_ms: float
    p95_ms: float
    p99_ms: float


class KeyCount(BaseModel):
    key_name: str
    requests: int


class PerfStats(BaseModel):
    start: dt.date
    end: dt.date
    requests: int
    errors: int
    error_rate: float
    availability: float
    overall: Latency | None
    per_hour: dict[str, int]
    by_route: list[Latency]
    by_tool: list[Latency]
    top_keys: list[KeyCount]
    rate_limited: list[KeyCount]
    refused: dict[str, int]


def window(start: dt.date, end: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """[start 00:00 UTC, the day after end 00:00 UTC); at most a year, end not before start."""
    if end < start:
        raise InvalidInput(f"The end date {end} is before the start date {start}.")
    if (end - start).days >= MAX_DAYS:
        raise InvalidInput(f"At most {MAX_DAYS} days per report.")
    begin = dt.datetime(start.year, start.month, start.day, tzinfo=dt.UTC)
    return begin, begin + dt.timedelta(days=(end - start).days + 1)


def compute(*, engine: Engine, start: dt.date, end: dt.date, top: int = 10) -> PerfStats:
    begin, stop = window(start, end)
    c = LOG.c
    query = (
        select(c.started_at, c.key_name, c.route, c.tool, c.status, c.latency_ms)
        .where(c.started_at >= begin, c.started_at < stop)
        .order_by(c.started_at, c.id)
    )
    with engine.connect() as conn:
        rows = conn.execute(query).all()
    total = len(rows)
    errors = sum(1 for r in rows if r.status >= 500)
    per_hour: Counter[str] = Counter(_hour(r.started_at) for r in rows)
    keys: Counter[str] = Counter(r.key_name or "(none)" for r in rows)
    limited: Counter[str] = Counter(r.key_name or "(none)" for r in rows if r.status == 429)
    refused = Counter(str(r.status) for r in rows if r.status in (401, 403))
    return PerfStats(
        start=start, end=end, requests=total, errors=errors,
        error_rate=errors / total if total else 0.0,
        availability=(total - errors) / total if total else 1.0,
        overall=_latency("all", [(r.status, r.latency_ms) for r in rows]),
        per_hour=dict(sorted(per_hour.items())),
        by_route=_grouped((r.route, r.status, r.latency_ms) for r in rows),
        by_tool=_grouped((r.tool, r.status, r.latency_ms) for r in rows if r.tool),
        top_keys=[KeyCount(key_name=k, requests=n) for k, n in _ranked(keys)[:top]],
        rate_limited=[KeyCount(key_name=k, requests=n) for k, n in _ranked(limited)[:top]],
        refused=dict(sorted(refused.items())),
    )  # fmt: skip


def percentile(values: Sequence[float], fraction: float) -> float:
    """Linear interpolation between closest ranks (``percentile_cont``)."""
    return float(np.percentile(np.asarray(values, dtype=float), fraction * 100, method="linear"))


def _grouped(rows: Iterable[tuple[str, int, float]]) -> list[Latency]:
    groups: defaultdict[str, list[tuple[int, float]]] = defaultdict(list)
    for name, status, latency in rows:
        groups[name].append((status, latency))
    found = [_latency(name, items) for name, items in groups.items()]
    return sorted((f for f in found if f is not None), key=lambda f: (-f.requests, f.name))


def _latency(name: str, items: list[tuple[int, float]]) -> Latency | None:
    if not items:
        return None
    latencies = [latency for _, latency in items]
    return Latency(
        name=name, requests=len(items), errors=sum(1 for status, _ in items if status >= 500),
        p50_ms=round(percentile(latencies, 0.50), 3), p95_ms=round(percentile(latencies, 0.95), 3),
        p99_ms=round(percentile(latencies, 0.99), 3),
    )  # fmt: skip


def _ranked(counts: Counter[str]) -> list[tuple[str, int]]:
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))


def _hour(moment: dt.datetime) -> str:
    if moment.tzinfo is not None:
        moment = moment.astimezone(dt.UTC)
    return f"{moment:%Y-%m-%d %H}:00"
