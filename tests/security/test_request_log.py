"""The request log: batched off the request path, flushed on close, pruned by age, and
never blocking while the database is down."""

from __future__ import annotations

import datetime as dt
import time

from sqlalchemy import Engine, func, select

from nba_mcp.db.engine import make_engine
from nba_mcp.db.models import RequestLog, table_of
from nba_mcp.security.keys import create_key
from nba_mcp.security.request_log import RequestEntry, RequestLogWriter, prune
from tests.security.apps import bearer, client
from tests.security.helpers import Clock

TABLE = table_of(RequestLog)


def entry(at: dt.datetime, n: int = 0) -> RequestEntry:
    return RequestEntry(started_at=at, request_id=f"r{n}", key_name="app", method="GET",
                        route="/v1/standings", tool=None, status=200, latency_ms=1.5,
                        bytes=120)  # fmt: skip


def rows(engine: Engine) -> int:
    with engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(TABLE)).scalar_one())


def test_entries_are_written_in_batches_and_on_flush(engine: Engine, clock: Clock) -> None:
    writer = RequestLogWriter(engine, flush_interval=3600, batch_size=10, clock=clock)
    try:
        for n in range(25):
            writer.record(entry(clock.now, n))
        assert writer.flush()
        assert rows(engine) == 25
    finally:
        writer.close()


def test_close_writes_what_is_queued(engine: Engine, clock: Clock) -> None:
    writer = RequestLogWriter(engine, flush_interval=3600, batch_size=1000, clock=clock)
    for n in range(7):
        writer.record(entry(clock.now, n))

    writer.close()

    assert rows(engine) == 7
    writer.record(entry(clock.now))  # after close: dropped, not raised
    assert writer.dropped == 1


def test_prune_deletes_what_is_older_than_the_retention(engine: Engine, clock: Clock) -> None:
    writer = RequestLogWriter(engine, retention_days=365, clock=clock)
    for days in (40, 31, 29, 0):
        writer.record(entry(clock.now - dt.timedelta(days=days)))
    writer.close()

    deleted = prune(engine, now=clock.now, retention_days=30)

    assert (deleted, rows(engine)) == (2, 2)


def test_the_writer_prunes_on_its_timer(engine: Engine, clock: Clock) -> None:
    writer = RequestLogWriter(engine, retention_days=1, prune_interval=0, clock=clock)
    writer.record(entry(clock.now - dt.timedelta(days=3)))
    writer.flush()
    writer.record(entry(clock.now))
    writer.flush()  # the next cycle prunes the old row

    writer.close()

    assert rows(engine) == 1


def test_a_database_outage_never_blocks_and_drops_beyond_the_queue() -> None:
    down = make_engine("postgresql+psycopg://postgres@127.0.0.1:1/x")
    writer = RequestLogWriter(down, flush_interval=3600, batch_size=5, max_queue=20)
    now = dt.datetime.now(dt.UTC)
    started = time.perf_counter()
    for n in range(200):
        writer.record(entry(now, n))
    elapsed = time.perf_counter() - started
    writer.close(timeout=30)
    down.dispose()

    assert elapsed < 0.5  # recording never waits for the database
    assert writer.written == 0
    assert writer.dropped == 200


class CountedWriter(RequestLogWriter):
    """Counts its attempts to write to the database."""

    attempts = 0

    def _write(self, entries: list[RequestEntry]) -> bool:
        self.attempts += 1
        return super()._write(entries)


def test_an_outage_costs_one_write_attempt_per_flush_interval_not_per_request() -> None:
    down = make_engine("postgresql+psycopg://postgres@127.0.0.1:1/x")
    writer = CountedWriter(down, flush_interval=3600, batch_size=5, max_queue=1000)
    now = dt.datetime.now(dt.UTC)
    for n in range(200):
        writer.record(entry(now, n))
        time.sleep(0.001)  # requests arriving over time, not in one burst
    time.sleep(0.2)
    attempts = writer.attempts
    writer.close(timeout=30)
    down.dispose()

    assert attempts == 1  # the first full batch; the rest wait for the hour's flush


def test_the_middleware_logs_each_request_with_key_status_and_bytes(
    engine: Engine, clock: Clock
) -> None:
    new = create_key(engine, name="reader", scopes="read", now=clock.now)
    writer = RequestLogWriter(engine, clock=clock)
    with client(engine, clock, request_log=writer) as http:
        http.get("/v1/players/search", headers={**bearer(new.key), "X-Request-Id": "abc-1"})
        http.post("/v1/sql", json={}, headers=bearer(new.key))
        http.get("/health")
    writer.close()

    with engine.connect() as conn:
        logged = conn.execute(select(TABLE).order_by(TABLE.c.id)).all()
    assert [(r.request_id, r.key_name, r.route, r.status) for r in logged] == [
        ("abc-1", "reader", "/v1/players/search", 200),
        (logged[1].request_id, "reader", "/v1/sql", 403),
    ]
    assert logged[0].bytes > 0 and logged[0].latency_ms >= 0
