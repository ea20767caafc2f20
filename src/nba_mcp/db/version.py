"""The data version: the number every load that changes data increases.

Result caches put it in their keys, so that a load is never answered from what was
cached before it. A server needs it on every cached call, and reading it through
the connection pool costs more than the cached answer itself. So
:class:`DataVersion` keeps one connection of its own that tells, without a
round trip, whether anything was committed since it last read the version:

- **PostgreSQL**: a load that changes data sends ``NOTIFY`` on :data:`CHANNEL`
  inside its transaction (delivered at commit) and the connection ``LISTEN``s; a
  call polls its socket. The notification reaches a server a moment after the
  commit (well under a millisecond on one host); a call in that moment is
  answered as it would have been just before the commit.
- **SQLite**: ``PRAGMA data_version`` changes, on a connection, whenever another
  connection has committed; it reads the shared WAL index, not the tables. It is
  exact: no commit goes unseen. (A file replaced under a running server is seen by
  neither this nor the pool's connections: restore through SQLite, not by copying.)

Until that connection is set up, and whenever it fails, every call reads the
version through the pool (and a new connection is tried every few seconds), so
a failure costs speed, never freshness.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
import time
import weakref
from collections.abc import Callable, Mapping
from functools import partial
from typing import Any, Final, Protocol

import psycopg
from sqlalchemy import Connection, Engine, text

from nba_mcp.db.engine import CONNECT_TIMEOUT_SECONDS, sqlite_readonly_uri

log = logging.getLogger(__name__)

CHANNEL: Final = "nba_mcp_data_version"
_SELECT: Final = "SELECT version FROM data_version WHERE id = 1"
#: TCP keepalives: a listener cut off without a word is noticed in about half a minute.
KEEPALIVES: Final = {"keepalives": 1, "keepalives_idle": 15, "keepalives_interval": 5,
                     "keepalives_count": 3}  # fmt: skip
#: How long the SQLite watch waits on a lock when it polls off the loop.
BUSY_TIMEOUT_MS: Final = int(CONNECT_TIMEOUT_SECONDS * 1000)
#: What a failing watch raises: then calls read through the pool until a new one is up.
WATCH_ERRORS: Final = (psycopg.Error, sqlite3.Error)


def data_version(conn: Connection) -> int:
    """The version in force (0 before the first load)."""
    return int(conn.execute(text(_SELECT)).scalar() or 0)


def announce(conn: Connection, version: int) -> None:
    """Tell listening servers, when ``conn``'s transaction commits, that data changed."""
    if conn.dialect.name == "postgresql":
        conn.execute(text("SELECT pg_notify(:channel, :version)"),
                     {"channel": CHANNEL, "version": str(version)})  # fmt: skip


class Watch(Protocol):
    """A connection that knows the version and tells cheaply when it may have changed."""

    def poll(self) -> int:
        """The version now; raises one of :data:`WATCH_ERRORS` when the watch is broken."""
        ...

    def fresh(self) -> int | None:
        """The version last read, if nothing may have changed since: no query, no wait.
        None when a commit may have happened (the next :meth:`poll` reads again)."""
        ...

    def close(self) -> None: ...


class DataVersion:
    """The data version of ``engine``'s database, cheap to ask for; see the module.

    ``watch=False`` reads it through the pool on every call: for a PostgreSQL URL that
    goes through a transaction-pooling PgBouncer, which does not deliver notifications.
    Call :meth:`close` when done; a watch left open is closed when the object is
    garbage-collected.
    """

    def __init__(
        self,
        engine: Engine,
        *,
        watch: bool = True,
        retry_seconds: float = 5.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.engine = engine
        self.retry_seconds = retry_seconds
        self.clock = clock
        self._open_watch = _watch_opener(engine) if watch else None
        self._watch: Watch | None = None
        self._release: weakref.finalize[Any, DataVersion] | None = None
        self._next_attempt = 0.0
        self._closed = False
        self._lock = threading.Lock()

    @property
    def watching(self) -> bool:
        """Whether calls are answered by the watch (else by a query through the pool)."""
        return self._watch is not None

    def current(self) -> int:
        """The version in force. Raises SQLAlchemy's errors when the database is down."""
        if self._open_watch is not None:
            if self._watch is None:
                self._start_watch(self._open_watch)
            with self._lock:
                if self._watch is not None:
                    try:
                        return self._watch.poll()
                    except WATCH_ERRORS as exc:
                        log.warning(
                            "The data-version watch failed (%s); reading the version per "
                            "call until it is back.", exc,
                        )  # fmt: skip
                        self._stop_watch()
                        self._next_attempt = self.clock() + self.retry_seconds
        with self.engine.connect() as conn:
            return data_version(conn)

    def fresh(self) -> int | None:
        """The version in force when the watch can tell it without a query, else None.

        For the event loop: never blocks (a watch busy in another thread counts as None)
        and never raises. A caller that gets None asks :meth:`current` off the loop.
        """
        if self._watch is None or not self._lock.acquire(blocking=False):
            return None
        try:
            return self._watch.fresh() if self._watch is not None else None
        except WATCH_ERRORS:
            return None  # current() notices the broken watch and says so
        finally:
            self._lock.release()

    def close(self) -> None:
        """Close the watch; calls read the version through the pool from then on."""
        with self._lock:
            self._closed = True
            self._stop_watch()

    def _start_watch(self, open_watch: Callable[[], Watch]) -> None:
        """Open the watch, when it is time to try.

        One caller tries at a time, outside the lock, and a failed attempt rests
        ``retry_seconds``: an unreachable server does not hold the other calls for
        its connect timeout; they read the version meanwhile.
        """
        with self._lock:
            if self._closed or self._watch is not None or self.clock() < self._next_attempt:
                return
            self._next_attempt = self.clock() + self.retry_seconds
        try:
            watch = open_watch()
        except WATCH_ERRORS as exc:
            log.info("No data-version watch yet (%s); reading the version per call.", exc)
            return
        with self._lock:
            if self._closed:
                watch.close()
                return
            self._watch = watch
            self._release = weakref.finalize(self, watch.close)

    def _stop_watch(self) -> None:
        """Close the watch, if any (under the lock)."""
        if self._release is not None:
            self._release()
        self._watch = self._release = None


def _watch_opener(engine: Engine) -> Callable[[], Watch] | None:
    """How to open a watch on ``engine``'s database, or None where there is none."""
    if engine.dialect.name == "postgresql":
        _args, params = engine.dialect.create_connect_args(engine.url)
        return partial(PostgresWatch.open, params)
    database = engine.url.database
    if engine.dialect.name == "sqlite" and database and database != ":memory:":
        return partial(SqliteWatch.open, database)
    return None


class PostgresWatch:
    """A connection that ``LISTEN``s on :data:`CHANNEL`."""

    def __init__(self, listener: psycopg.Connection[Any], lost: list[str]) -> None:
        self.listener = listener
        self.lost = lost
        self.stale = False  # a notification was taken by fresh(): poll() reads again
        self.version = self._read()

    @classmethod
    def open(cls, params: Mapping[str, Any]) -> PostgresWatch:
        params = {"connect_timeout": CONNECT_TIMEOUT_SECONDS,
                  "application_name": "nba-mcp data version", **params, **KEEPALIVES}  # fmt: skip
        listener = psycopg.connect(**params, autocommit=True)
        try:
            lost: list[str] = []
            listener.add_notice_handler(partial(_note_loss, lost))
            listener.execute(f"LISTEN {CHANNEL}")
            return cls(listener, lost)  # reads after LISTEN: no load slips between the two
        except BaseException:
            listener.close()
            raise

    def poll(self) -> int:
        notified = self._notified()
        if notified or self.stale:
            self.version, self.stale = self._read(), False
        return self.version

    def fresh(self) -> int | None:
        if self._notified():
            self.stale = True
        return None if self.stale else self.version

    def _notified(self) -> bool:
        notified = any(True for _ in self.listener.notifies(timeout=0))
        if self.lost:  # said before the socket shows it closed
            raise psycopg.OperationalError(self.lost[0])
        return notified

    def close(self) -> None:
        self.listener.close()

    def _read(self) -> int:
        row = self.listener.execute(_SELECT).fetchone()
        return int(row[0]) if row else 0


def _note_loss(lost: list[str], diagnostic: psycopg.errors.Diagnostic) -> None:
    """A server that ends a session (shutdown, ``pg_terminate_backend``) says so in a
    FATAL message, which arrives one poll before the socket shows it closed."""
    if diagnostic.severity_nonlocalized in ("FATAL", "PANIC"):
        lost.append(diagnostic.message_primary or "the server ended the session")


class SqliteWatch:
    """A read-only connection whose ``PRAGMA data_version`` tells of other commits."""

    def __init__(self, connection: sqlite3.Connection) -> None:
        self.connection = connection
        self.seen = self._pragma()
        self.version = self._read()

    @classmethod
    def open(cls, path: str) -> SqliteWatch:
        connection = sqlite3.connect(
            sqlite_readonly_uri(path), uri=True, check_same_thread=False,
            timeout=CONNECT_TIMEOUT_SECONDS,
        )  # fmt: skip
        try:
            return cls(connection)
        except BaseException:
            connection.close()
            raise

    def poll(self) -> int:
        seen = self._pragma()
        if seen != self.seen:
            self.seen, self.version = seen, self._read()
        return self.version

    def fresh(self) -> int | None:
        seen = self._pragma()
        if seen == self.seen:
            return self.version
        # Another connection committed: a load, or only the request log. The version row
        # is read at once, but without waiting on a lock (None then: off the loop).
        self.connection.execute("PRAGMA busy_timeout = 0")
        try:
            self.seen, self.version = seen, self._read()
        except sqlite3.OperationalError:
            return None
        finally:
            self.connection.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        return self.version

    def close(self) -> None:
        self.connection.close()

    def _pragma(self) -> int:
        # fetchall: the statement is finished at once, holding no read snapshot open.
        ((value,),) = self.connection.execute("PRAGMA data_version").fetchall()
        return int(value)

    def _read(self) -> int:
        rows = self.connection.execute(_SELECT).fetchall()
        return int(rows[0][0]) if rows else 0
