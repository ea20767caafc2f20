"""The synthesis ledger on SQLite and PostgreSQL: a run and its calls in one transaction,
cost by day, key and model, and tables that ``run_sql`` never reads; and the metrics of
a call, read back from the Prometheus registry (each test with a model name of its own)."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from prometheus_client import REGISTRY
from sqlalchemy import Engine, delete, func, select, text
from sqlalchemy.exc import SQLAlchemyError

from nba_mcp.db.readonly import login_engine
from nba_mcp.errors import InvalidInput
from nba_mcp.queries.sql import execute_readonly, run_sql
from nba_mcp.synthesis.ledger import (
    CALLS,
    RUNS,
    DailyCost,
    cost_by_day,
    observe_call,
    record_run,
)
from nba_mcp.synthesis.types import CallRecord, NumberCheck, SynthesisResult

MORNING = dt.datetime(2026, 12, 9, 9, 0, tzinfo=dt.UTC)
TABLES = ["synthesis_runs", "synthesis_calls"]


def call(model: str = "gpt-4.1-mini", **changes: object) -> CallRecord:
    fields: dict[str, object] = {
        "provider": "openai", "model": model, "role": "answer", "input_tokens": 1_000,
        "output_tokens": 200, "cached_input_tokens": 0, "cost_usd": 0.01, "latency_ms": 850.0,
        "status": "ok",
    }  # fmt: skip
    return CallRecord.model_validate(fields | changes)


def result(*calls: CallRecord, **changes: object) -> SynthesisResult:
    fields: dict[str, object] = {
        "answer": "Curry scored 30.1 points a game [1].", "status": "ok", "mode": "verify",
        "calls": list(calls), "checks": NumberCheck(numbers=2, matched=1, unmatched=["31.2"]),
        "cost_usd": sum(c.cost_usd or 0 for c in calls),
    }  # fmt: skip
    return SynthesisResult.model_validate(fields | changes)


def record(engine: Engine, found: SynthesisResult, *, at: dt.datetime = MORNING,
           key_name: str | None = "analytics", question: str = "How many points?") -> int:  # fmt: skip
    return record_run(engine, found, question=question, started_at=at,
                      finished_at=at + dt.timedelta(seconds=4), key_name=key_name,
                      tool_calls=3)  # fmt: skip


def test_a_run_and_its_two_calls_are_stored(engine: Engine) -> None:
    draft = call(role="draft", cached_input_tokens=400, cost_usd=0.0125)
    check = call(provider="anthropic", model="claude-sonnet-4-20250514", role="verify",
                 input_tokens=3_000, output_tokens=50, cost_usd=None, latency_ms=1_200.5)  # fmt: skip

    run_id = record(engine, result(draft, check, cost_usd=None))

    with engine.connect() as conn:
        run = conn.execute(select(RUNS).where(RUNS.c.id == run_id)).mappings().one()
        calls = conn.execute(
            select(CALLS).where(CALLS.c.run_id == run_id).order_by(CALLS.c.position)
        ).mappings().all()  # fmt: skip
    assert {k: v for k, v in run.items() if k not in ("id", "started_at", "finished_at")} == {
        "question": "How many points?", "mode": "verify", "status": "ok", "stopped_by": None,
        "key_name": "analytics", "answer_chars": 36, "numbers": 2, "matched": 1,
        "unmatched": 1, "cost_usd": None, "input_tokens": 4_000, "output_tokens": 250,
        "tool_calls": 3,
    }  # fmt: skip
    assert run["started_at"].replace(tzinfo=dt.UTC) == MORNING
    assert [dict(c) | {"id": None} for c in calls] == [
        {"id": None, "run_id": run_id, "position": 0, "provider": "openai",
         "model": "gpt-4.1-mini", "role": "draft", "input_tokens": 1_000, "output_tokens": 200,
         "cached_input_tokens": 400, "cost_usd": 0.0125, "latency_ms": 850.0, "status": "ok",
         "error": None, "started_at": None},
        {"id": None, "run_id": run_id, "position": 1, "provider": "anthropic",
         "model": "claude-sonnet-4-20250514", "role": "verify", "input_tokens": 3_000,
         "output_tokens": 50, "cached_input_tokens": 0, "cost_usd": None,
         "latency_ms": 1_200.5, "status": "ok", "error": None, "started_at": None},
    ]  # fmt: skip


def test_long_texts_are_cut_to_their_columns(engine: Engine) -> None:
    failed = call(status="error", cost_usd=None, error="x" * 2_000)

    run_id = record(engine, result(failed, status="partial", stopped_by="max_cost_usd"),
                    question="q" * 5_000)  # fmt: skip

    with engine.connect() as conn:
        question, stopped_by = conn.execute(
            select(RUNS.c.question, RUNS.c.stopped_by).where(RUNS.c.id == run_id)
        ).one()  # fmt: skip
        error = conn.execute(select(CALLS.c.error).where(CALLS.c.run_id == run_id)).scalar_one()
    assert (len(question), stopped_by, len(error)) == (2_000, "max_cost_usd", 500)


def test_a_failed_write_stores_nothing_and_raises(engine: Engine) -> None:
    with engine.begin() as conn:
        conn.execute(text("DROP TABLE synthesis_calls"))

    with pytest.raises(SQLAlchemyError):
        record(engine, result(call(), call()))

    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(RUNS)).scalar_one() == 0


def test_deleting_a_run_deletes_its_calls(engine: Engine) -> None:
    run_id = record(engine, result(call(), call()))

    with engine.begin() as conn:
        conn.execute(delete(RUNS).where(RUNS.c.id == run_id))
        assert conn.execute(select(func.count()).select_from(CALLS)).scalar_one() == 0


def test_cost_by_day_sums_by_day_key_and_model(engine: Engine) -> None:
    claude = {"provider": "anthropic", "model": "claude-sonnet-4-0"}
    record(engine, result(call(cost_usd=0.25), call(**claude, cost_usd=0.5)))
    record(engine, result(call(cost_usd=0.125), call(cost_usd=None)), at=MORNING.replace(hour=23))
    record(engine, result(call(cost_usd=1.0)), key_name=None)
    record(engine, result(call(cost_usd=2.0), call(status="cached", cost_usd=None)),
           at=MORNING + dt.timedelta(days=1))  # fmt: skip
    # 23:30 in New York on the 9th is the 10th in UTC
    new_york = dt.timezone(dt.timedelta(hours=-5))
    record(engine, result(call(cost_usd=4.0)), at=dt.datetime(2026, 12, 9, 23, 30, tzinfo=new_york))
    record(engine, result(call(cost_usd=8.0)), at=MORNING + dt.timedelta(days=2))  # out of range

    with engine.connect() as conn:
        if engine.dialect.name == "postgresql":  # days are UTC days whatever the session says
            conn.execute(text("SET TIME ZONE 'America/New_York'"))
        found = cost_by_day(conn, start=MORNING.date(), end=MORNING.date() + dt.timedelta(days=1))

    day, next_day = MORNING.date(), MORNING.date() + dt.timedelta(days=1)
    gpt = "openai:gpt-4.1-mini"
    assert found == [
        DailyCost(day=day, key_name=None, model=gpt, runs=1, calls=1, input_tokens=1_000,
                  output_tokens=200, cost_usd=1.0, unpriced_calls=0),
        DailyCost(day=day, key_name="analytics", model="anthropic:claude-sonnet-4-0", runs=1,
                  calls=1, input_tokens=1_000, output_tokens=200, cost_usd=0.5,
                  unpriced_calls=0),
        DailyCost(day=day, key_name="analytics", model=gpt, runs=2, calls=3,
                  input_tokens=3_000, output_tokens=600, cost_usd=0.375, unpriced_calls=1),
        DailyCost(day=next_day, key_name="analytics", model=gpt, runs=2, calls=2,
                  input_tokens=2_000, output_tokens=400, cost_usd=6.0, unpriced_calls=0),
    ]  # fmt: skip


def test_cost_by_day_of_an_empty_ledger_is_empty(engine: Engine) -> None:
    with engine.connect() as conn:
        assert cost_by_day(conn, start=MORNING.date(), end=MORNING.date()) == []


@pytest.mark.parametrize("table", TABLES)
def test_the_ledger_is_not_readable_through_run_sql(engine: Engine, table: str) -> None:
    record(engine, result(call()))

    with pytest.raises(InvalidInput, match=f"Table {table} is not readable"):
        run_sql(engine, query=f"SELECT * FROM {table}")
    # The database refuses it too, without the checker: SQLite's authorizer, and
    # PostgreSQL's read-only login that holds SELECT on the NBA tables only.
    with pytest.raises(InvalidInput, match=r"prohibited|permission denied"):
        execute_readonly(login_engine(engine), f"SELECT * FROM {table}", limit=1,
                         timeout_seconds=5)  # fmt: skip


# --------------------------------------------------------------------------- metrics


def sample(name: str, **labels: str) -> float:
    return REGISTRY.get_sample_value(f"nba_mcp_{name}", labels) or 0.0


def test_a_call_counts_its_tokens_cost_and_latency() -> None:
    model = f"model-{uuid.uuid4().hex[:8]}"
    labels = {"provider": "openai", "model": model}

    observe_call(call(model, input_tokens=1_200, output_tokens=300, cached_input_tokens=200,
                      cost_usd=0.0125, latency_ms=1_500.0))  # fmt: skip

    assert sample("synthesis_tokens_total", kind="input", **labels) == 1_200
    assert sample("synthesis_tokens_total", kind="cached", **labels) == 200
    assert sample("synthesis_tokens_total", kind="output", **labels) == 300
    assert sample("synthesis_cost_usd_total", **labels) == 0.0125
    assert sample("synthesis_call_duration_seconds_count", **labels) == 1
    assert sample("synthesis_call_duration_seconds_sum", **labels) == 1.5


def test_a_failed_call_counts_its_latency_and_no_unknown_cost() -> None:
    model = f"model-{uuid.uuid4().hex[:8]}"
    labels = {"provider": "openai", "model": model}

    observe_call(call(model, input_tokens=0, output_tokens=0, cost_usd=None,
                      latency_ms=30_000.0, status="error", error="timeout"))  # fmt: skip

    assert sample("synthesis_cost_usd_total", **labels) == 0
    assert sample("synthesis_tokens_total", kind="input", **labels) == 0
    assert sample("synthesis_call_duration_seconds_sum", **labels) == 30.0


def test_a_cached_reply_counts_in_no_metric() -> None:
    model = f"model-{uuid.uuid4().hex[:8]}"
    labels = {"provider": "openai", "model": model}

    observe_call(call(model, cost_usd=0.0, latency_ms=2.0, status="cached"))

    assert sample("synthesis_tokens_total", kind="input", **labels) == 0
    assert sample("synthesis_call_duration_seconds_count", **labels) == 0
