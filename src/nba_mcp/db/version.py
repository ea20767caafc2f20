"""The data version: the number every load that changes data increases.

Result caches put it in their keys, so that a load is never answered from what was
cached before it. Reading it is one query, and a server needs it on every cached
call; on PostgreSQL that round trip costs more than the cached answer itself. So
a load that changes data also sends ``NOTIFY`` on :data:`CHANNEL` inside its
transaction (PostgreSQL delivers it at commit), and :class:`DataVersion` keeps a
connection that ``LISTEN``s: a call only polls that connection's socket, without a
round trip, and reads the version again when a notification has arrived.

Until the listening connection is set up, and whenever it fails, every call reads
the version from the database (and a new connection is tried every few seconds),
so a failure costs speed, never freshness. The notification reaches a server a
moment after the load commits (well under a millisecond on one host); a call in
that moment is answered as it would have been just before the commit. SQLite has
no notifications, and a query costs it about as little as a poll: it always reads.
"""

from __future__ import annotations

import logging
import threading
import time
import weakref
from collections.abc import Callable
from functools import partial
from typing import Any, Final

import psycopg
from sqlalchemy import Connection, Engine, text

log = logging.getLogger(__name__)

CHANNEL: Final = "nba_mcp_data_version"
CONNECT_TIMEOUT_SECONDS: Final = 5
_SELECT: Final = "SELECT version FROM data_version WHERE id = 1"
#: TCP keepalives: a listener cut off without a word is noticed in about half a minute.
KEEPALIVES: Final = {"keepalives": 1, "keepalives_idle": 15, "keepalives_interval": 5,
                     "keepalives_count": 3}  # fmt: skip


def data_version(conn: Connection) -> int:
    """The version in force (0 before the first load)."""
    return int(conn.execute(text(_SELECT)).scalar() or 0)


def announce(conn: Connection, version: int) -> None:
    """Tell listening servers, when ``conn``'s transaction commits, that data changed."""
    if conn.dialect.name == "postgresql":
        conn.execute(text("SELECT pg_notify(:channel, :version)"),
                     {"channel": CHANNEL, "version": str(version)})  # fmt: skip


class DataVersion:
    """The data version of ``engine``'s database, cheap to ask for; see the module.

    ``listen=False`` reads it on every call: for a URL that goes through a
    transaction-pooling PgBouncer, which does not deliver notifications.

    Call :meth:`close` when done; a listener left open is closed when the object is
    garbage-collected.
    """

    def __init__(
        self,
        engine: Engine,
        *,
        listen: bool = True,
        retry_seconds: float = 5.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.engine = engine
        self.retry_seconds = retry_seconds
        self.clock = clock
        self._listens = listen and engine.dialect.name == "postgresql"
        self._listener: psycopg.Connection[Any] | None = None
        self._release: weakref.finalize[Any, DataVersion] | None = None
        self._version = 0
        self._lost: list[str] = []
        self._next_attempt = 0.0
        self._closed = False
        self._lock = threading.Lock()

    @property
    def listening(self) -> bool:
        """Whether calls are answered from the listening connection (else from queries)."""
        return self._listener is not None

    def current(self) -> int:
        """The version in force. Raises SQLAlchemy's errors when the database is down."""
        if self._listens:
            if self._listener is None:
                self._listen()
            with self._lock:
                if self._listener is not None:
                    try:
                        notified = any(True for _ in self._listener.notifies(timeout=0))
                        if self._lost:  # said before the socket shows it closed
                            raise psycopg.OperationalError(self._lost[0])
                        if notified:
                            self._version = self._read(self._listener)
                        return self._version
                    except psycopg.Error as exc:
                        log.warning(
                            "The data-version listener failed (%s); reading the version per "
                            "call until it is back.", exc,
                        )  # fmt: skip
                        self._unlisten()
                        self._next_attempt = self.clock() + self.retry_seconds
        with self.engine.connect() as conn:
            return data_version(conn)

    def close(self) -> None:
        """Close the listening connection; calls read the version from then on."""
        with self._lock:
            self._closed = True
            self._unlisten()

    def _listen(self) -> None:
        """Open the listening connection, when it is time to try.

        One caller tries at a time, outside the lock, and a failed attempt rests
        ``retry_seconds``: an unreachable server does not hold the other calls for
        its connect timeout; they read the version meanwhile.
        """
        with self._lock:
            if self._closed or self._listener is not None or self.clock() < self._next_attempt:
                return
            self._next_attempt = self.clock() + self.retry_seconds
        _args, params = self.engine.dialect.create_connect_args(self.engine.url)
        params.setdefault("connect_timeout", CONNECT_TIMEOUT_SECONDS)
        params.setdefault("application_name", "nba-mcp data version")
        params.update(KEEPALIVES)
        listener: psycopg.Connection[Any] | None = None
        lost: list[str] = []
        try:
            listener = psycopg.connect(**params, autocommit=True)
            listener.add_notice_handler(partial(_note_loss, lost))
            listener.execute(f"LISTEN {CHANNEL}")
            version = self._read(listener)  # after LISTEN: no load slips between the two
        except psycopg.Error as exc:
            if listener is not None:
                listener.close()
            log.info("No data-version listener yet (%s); reading the version per call.", exc)
            return
        with self._lock:
            if self._closed:
                listener.close()
                return
            self._listener, self._version, self._lost = listener, version, lost
            self._release = weakref.finalize(self, listener.close)

    def _unlisten(self) -> None:
        """Close the listener, if any (under the lock)."""
        if self._release is not None:
            self._release()
        self._listener = self._release = None

    @staticmethod
    def _read(listener: psycopg.Connection[Any]) -> int:
        row = listener.execute(_SELECT).fetchone()
        return int(row[0]) if row else 0


def _note_loss(lost: list[str], diagnostic: psycopg.errors.Diagnostic) -> None:
    """A server that ends a session (shutdown, ``pg_terminate_backend``) says so in a
    FATAL message, which arrives one poll before the socket shows it closed."""
    if diagnostic.severity_nonlocalized in ("FATAL", "PANIC"):
        lost.append(diagnostic.message_primary or "the server ended the session")
