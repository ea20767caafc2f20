"""The request log: every API request and tool call, written to ``request_log`` in batches
by a background thread, off the request path.

:meth:`RequestLogWriter.record` only appends the entry to a bounded deque (no lock,
and no wake-up of the writer but once per batch: a request costs the event loop a
list append). The writer thread inserts what has gathered every ``flush_interval``
seconds or every ``batch_size`` entries, one transaction per batch, and prunes rows
older than the retention on a timer. While the database is down the batch is kept
and retried; once the queue is full new entries are dropped (and counted, and
logged once a minute): a request never waits for the log.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
import time
from collections import deque
from collections.abc import Callable
from typing import NamedTuple

from sqlalchemy import Engine, delete
from sqlalchemy.exc import SQLAlchemyError

from nba_mcp.db.models import RequestLog, table_of

log = logging.getLogger(__name__)

_TABLE = table_of(RequestLog)
#: SQLAlchemy's own text form of an SQLite DATETIME, which reads the column back.
SQLITE_DATETIME = "%Y-%m-%d %H:%M:%S.%f"


def _insert_sql(paramstyle: str) -> str:
    """One INSERT for the driver's executemany: a batch goes to the driver as tuples,
    without SQLAlchemy's per-row work (which held the GIL ~60 ms per 500 rows)."""
    names = RequestEntry._fields
    marks = ", ".join("?" if paramstyle == "qmark" else "%s" for _ in names)
    return f"INSERT INTO {_TABLE.name} ({', '.join(names)}) VALUES ({marks})"


def _rows(entries: list[RequestEntry], dialect: str) -> list[tuple[object, ...]]:
    if dialect == "sqlite":  # stored as SQLAlchemy stores a DateTime there
        return [(r[0].astimezone(dt.UTC).strftime(SQLITE_DATETIME), *r[1:]) for r in entries]
    return list(entries)


class RequestEntry(NamedTuple):
    """One request: what was asked, by which key, with what outcome (a tuple: the row the
    driver inserts, with no copy)."""

    started_at: dt.datetime
    request_id: str
    key_name: str | None
    method: str
    route: str
    tool: str | None
    status: int
    latency_ms: float
    bytes: int


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def prune(engine: Engine, *, now: dt.datetime, retention_days: int = 30) -> int:
    """Delete requests older than ``retention_days`` before ``now``; the number deleted."""
    cutoff = now - dt.timedelta(days=retention_days)
    with engine.begin() as conn:
        return conn.execute(delete(_TABLE).where(_TABLE.c.started_at < cutoff)).rowcount


class RequestLogWriter:
    """Batches :class:`RequestEntry` into ``request_log``; see the module's docstring."""

    def __init__(
        self,
        engine: Engine,
        *,
        retention_days: int = 30,
        flush_interval: float = 0.5,
        batch_size: int = 500,
        max_queue: int = 10_000,
        prune_interval: float = 3600.0,
        clock: Callable[[], dt.datetime] = utcnow,
    ) -> None:
        self.engine = engine
        self.retention_days = retention_days
        self.flush_interval = flush_interval
        self.batch_size = batch_size
        self.max_queue = max_queue
        self.prune_interval = prune_interval
        self.clock = clock
        self.dropped = 0
        self.written = 0
        self._entries: deque[RequestEntry] = deque()
        self._flushes: deque[threading.Event] = deque()
        self._wake = threading.Event()
        self._closed = False
        self._started = False
        self._logged_at: dict[str, float] = {}
        self._lock = threading.Lock()
        self._thread = threading.Thread(target=self._run, name="request-log", daemon=True)

    def start(self) -> RequestLogWriter:
        """Start the writer thread (the first :meth:`record` does it if need be)."""
        with self._lock:
            if not self._started and not self._closed:
                self._started = True
                self._thread.start()
        return self

    def record(self, entry: RequestEntry) -> None:
        """Queue ``entry`` for writing; never blocks (drops it when the queue is full)."""
        if self._closed:
            self._drop(1)
            return
        if not self._started:
            self.start()
        if len(self._entries) >= self.max_queue:
            self._drop(1)
            return
        self._entries.append(entry)
        if len(self._entries) % self.batch_size == 0:
            self._wake.set()

    def flush(self, timeout: float = 5.0) -> bool:
        """Write everything queued so far; False if that took longer than ``timeout``."""
        if not self._thread.is_alive():
            return False
        done = threading.Event()
        self._flushes.append(done)
        self._wake.set()
        return done.wait(timeout)

    def close(self, timeout: float = 10.0) -> None:
        """Write what is queued, then stop the thread (the web app's shutdown hook)."""
        if self._closed:
            return
        self._closed = True
        if self._thread.is_alive():
            self._wake.set()
            self._thread.join(timeout)

    def _run(self) -> None:
        pending: list[RequestEntry] = []
        waiting: list[threading.Event] = []
        next_flush = time.monotonic() + self.flush_interval
        next_prune = time.monotonic()
        stopping = failing = False
        while True:
            self._wake.wait(timeout=max(0.0, next_flush - time.monotonic()))
            self._wake.clear()
            stopping = self._closed
            while self._entries:
                pending.append(self._entries.popleft())
            while self._flushes:
                waiting.append(self._flushes.popleft())
            due = time.monotonic() >= next_flush
            # After a failed write a full batch waits for the next flush: an outage costs
            # one attempt per flush interval, not one per request.
            full = len(pending) >= self.batch_size and not failing
            if not (stopping or waiting or due or full):
                continue
            failing = bool(pending) and not self._write(pending)
            if not failing:
                pending = []
            elif len(pending) > self.max_queue:
                self._drop(len(pending) - self.max_queue)
                del pending[: len(pending) - self.max_queue]
            for event in waiting:
                event.set()
            waiting.clear()
            next_flush = time.monotonic() + self.flush_interval
            if time.monotonic() >= next_prune:
                self._prune()
                next_prune = time.monotonic() + self.prune_interval
            if stopping:
                if pending:
                    self._drop(len(pending))
                return

    def _write(self, entries: list[RequestEntry]) -> bool:
        try:
            with self.engine.begin() as conn:
                conn.exec_driver_sql(
                    _insert_sql(conn.dialect.paramstyle), _rows(entries, conn.dialect.name)
                )
        except SQLAlchemyError as exc:
            self._complain("Cannot write %d request log entries (kept for a retry): %s",
                           len(entries), exc)  # fmt: skip
            return False
        self.written += len(entries)
        return True

    def _prune(self) -> None:
        try:
            deleted = prune(self.engine, now=self.clock(), retention_days=self.retention_days)
        except SQLAlchemyError as exc:
            self._complain("Cannot prune the request log: %s", exc)
            return
        if deleted:
            log.info("Pruned %d request log entries older than %d days.", deleted,
                     self.retention_days)  # fmt: skip

    def _drop(self, count: int) -> None:
        with self._lock:
            self.dropped += count
        self._complain("The request log is full or closed: %d entries dropped so far.",
                       self.dropped)  # fmt: skip

    def _complain(self, message: str, *args: object) -> None:
        """Log each kind of error at most once a minute: an outage must not flood the log."""
        now = time.monotonic()
        with self._lock:
            last = self._logged_at.get(message)
            quiet = last is not None and now - last < 60.0
            if not quiet:
                self._logged_at[message] = now
        if not quiet:
            log.error(message, *args)
