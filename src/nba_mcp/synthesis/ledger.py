"""The synthesis ledger: every run and its model calls (``synthesis_runs``,
``synthesis_calls``), what they cost by day, API key and model, and the per-call metrics.

- :func:`observe_call` after each model call: its tokens, cost and latency in Prometheus;
- :func:`record_run` once per run: the run and its calls in the database;
- :func:`cost_by_day` for reports.

Calls of status ``cached`` were answered from our own cache: no model was called, so
they count in no token total, cost or latency. Times are stored in UTC. Both tables are
service tables, never readable by ``run_sql``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import BaseModel, Field
from sqlalchemy import Connection, Date, Engine, case, cast, func, insert, select
from sqlalchemy.sql.elements import ColumnElement

from nba_mcp.db.models import SynthesisCall, SynthesisRun, table_of
from nba_mcp.observability.metrics import SYNTHESIS_CALL_DURATION, SYNTHESIS_COST, SYNTHESIS_TOKENS
from nba_mcp.synthesis.types import CallRecord, SynthesisResult

RUNS = table_of(SynthesisRun)
CALLS = table_of(SynthesisCall)


def observe_call(record: CallRecord) -> None:
    """Count one model call in Prometheus: tokens by kind (``input``, cached ones included;
    ``cached``; ``output``), its cost when known, its latency (failed calls too)."""
    if record.status == "cached":
        return
    labels = {"provider": record.provider, "model": record.model}
    for kind, tokens in (
        ("input", record.input_tokens),
        ("cached", record.cached_input_tokens),
        ("output", record.output_tokens),
    ):
        if tokens > 0:
            SYNTHESIS_TOKENS.labels(kind=kind, **labels).inc(tokens)
    if record.cost_usd is not None and record.cost_usd > 0:
        SYNTHESIS_COST.labels(**labels).inc(record.cost_usd)
    SYNTHESIS_CALL_DURATION.labels(**labels).observe(max(record.latency_ms, 0.0) / 1000)


def record_run(
    engine: Engine,
    result: SynthesisResult,
    *,
    question: str,
    started_at: dt.datetime,
    finished_at: dt.datetime,
    key_name: str | None,
    tool_calls: int,
) -> int:
    """Write the run and its calls in one transaction and return the run's id.

    Either all of it is written or none. A database error is raised as the SQLAlchemy
    error it is, not swallowed: the caller logs it and still returns the answer, which
    a ledger that cannot be written must not cost the user.
    """
    billed = [call for call in result.calls if call.status != "cached"]
    run = {
        "started_at": _utc(started_at),
        "finished_at": _utc(finished_at),
        "question": _cut(question, RUNS.c.question),
        "mode": result.mode,
        "status": result.status,
        "stopped_by": _cut(result.stopped_by, RUNS.c.stopped_by),
        "key_name": _cut(key_name, RUNS.c.key_name),
        "answer_chars": len(result.answer),
        "numbers": result.checks.numbers,
        "matched": result.checks.matched,
        "unmatched": len(result.checks.unmatched),
        "cost_usd": result.cost_usd,
        "input_tokens": sum(call.input_tokens for call in billed),
        "output_tokens": sum(call.output_tokens for call in billed),
        "tool_calls": tool_calls,
    }
    with engine.begin() as conn:
        inserted = conn.execute(insert(RUNS).values(**run)).inserted_primary_key
        assert inserted is not None
        run_id = int(inserted[0])
        if result.calls:
            conn.execute(
                insert(CALLS),
                [_call_row(run_id, position, call) for position, call in enumerate(result.calls)],
            )
    return run_id


class DailyCost(BaseModel):
    """What the models of one ``provider:model`` cost one API key on one day (UTC)."""

    day: dt.date
    key_name: str | None = Field(description="null: runs without an API key (the CLI).")
    model: str = Field(description="provider:model")
    runs: int
    calls: int = Field(description="Calls that reached the model (cached replies left out).")
    input_tokens: int
    output_tokens: int
    cost_usd: float = Field(description="Sum of the calls whose price is known.")
    unpriced_calls: int = Field(description="Calls whose price is unknown, not in cost_usd.")


def cost_by_day(conn: Connection, *, start: dt.date, end: dt.date) -> list[DailyCost]:
    """Model cost from ``start`` to ``end`` (both included, UTC days of the runs' start),
    by day, API key and ``provider:model``: oldest day first, runs without a key first."""
    since = dt.datetime.combine(start, dt.time(), dt.UTC)
    until = dt.datetime.combine(end + dt.timedelta(days=1), dt.time(), dt.UTC)
    day = _utc_day(RUNS.c.started_at, conn.dialect.name).label("day")
    query = (
        select(
            day,
            RUNS.c.key_name,
            CALLS.c.provider,
            CALLS.c.model,
            func.count(RUNS.c.id.distinct()).label("runs"),
            func.count().label("calls"),
            func.sum(CALLS.c.input_tokens).label("input_tokens"),
            func.sum(CALLS.c.output_tokens).label("output_tokens"),
            func.sum(CALLS.c.cost_usd).label("cost_usd"),
            func.sum(case((CALLS.c.cost_usd.is_(None), 1), else_=0)).label("unpriced_calls"),
        )
        .select_from(RUNS.join(CALLS, CALLS.c.run_id == RUNS.c.id))
        .where(
            RUNS.c.started_at >= since,
            RUNS.c.started_at < until,
            CALLS.c.status != "cached",
        )
        .group_by(day, RUNS.c.key_name, CALLS.c.provider, CALLS.c.model)
        .order_by(day, RUNS.c.key_name.nulls_first(), CALLS.c.provider, CALLS.c.model)
    )
    return [_daily(row) for row in conn.execute(query).mappings()]


def _call_row(run_id: int, position: int, call: CallRecord) -> dict[str, Any]:
    return {
        "run_id": run_id,
        "position": position,
        "provider": call.provider,
        "model": call.model,
        "role": call.role,
        "input_tokens": call.input_tokens,
        "output_tokens": call.output_tokens,
        "cached_input_tokens": call.cached_input_tokens,
        "cost_usd": call.cost_usd,
        "latency_ms": call.latency_ms,
        "status": call.status,
        "error": _cut(call.error, CALLS.c.error),
        "started_at": _call_start(call),
    }


def _call_start(call: CallRecord) -> dt.datetime | None:
    """When the call started (NULL when the record does not say, never a made-up time)."""
    return _utc(call.started_at) if call.started_at is not None else None


def _utc_day(column: ColumnElement[Any], dialect: str) -> ColumnElement[Any]:
    if dialect == "postgresql":  # timestamptz: the session's time zone must not matter
        return cast(func.timezone("UTC", column), Date)
    return func.date(column)  # SQLite keeps the UTC text we wrote


def _daily(row: Any) -> DailyCost:
    day = row["day"]
    return DailyCost(
        day=day if isinstance(day, dt.date) else dt.date.fromisoformat(day),
        key_name=row["key_name"],
        model=f"{row['provider']}:{row['model']}",
        runs=row["runs"],
        calls=row["calls"],
        input_tokens=row["input_tokens"] or 0,
        output_tokens=row["output_tokens"] or 0,
        cost_usd=float(row["cost_usd"] or 0.0),
        unpriced_calls=row["unpriced_calls"] or 0,
    )


def _utc(moment: dt.datetime) -> dt.datetime:
    """Aware and in UTC (a naive time is taken to be UTC already)."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(dt.UTC)


def _cut(text: str | None, column: Any) -> str | None:
    length: int | None = getattr(column.type, "length", None)
    if text is None or length is None:
        return text
    return text[:length]
