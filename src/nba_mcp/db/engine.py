"""Engines for SQLite (the embedded default) and PostgreSQL.

SQLite is opened in WAL mode with foreign keys on: one writer, many readers.
:func:`make_read_engine` gives the tools' reads their own engine when a read replica
is configured (``NBA_MCP_DATABASE_READ_URL``).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import quote

from sqlalchemy import Dialect, Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, InvalidatePoolError

from nba_mcp.config import Settings
from nba_mcp.db.nowait import memory_only_now, refuse_wait
from nba_mcp.observability.metrics import DB_QUERY_DURATION

CONNECT_TIMEOUT_SECONDS = 5
#: How long PostgreSQL may leave a request unanswered at the network level by default.
NETWORK_TIMEOUT_SECONDS = 5.0
OPERATIONS = frozenset(
    {"select", "insert", "update", "delete", "with", "copy", "create", "analyze"}
)


def make_engine(
    url: str,
    *,
    statement_timeout_seconds: float | None = None,
    network_timeout_seconds: float = NETWORK_TIMEOUT_SECONDS,
    **kwargs: Any,
) -> Engine:
    """Create the engine for ``url``, preparing SQLite files and pragmas.

    On PostgreSQL a connection is pinged when it is checked out of the pool, so that one
    left dead by a restarted server is replaced before a request uses it; not inside
    :func:`nba_mcp.db.nowait.memory_only`, where it runs no statement, and there no new
    connection is opened (both would wait on the network). Every connection gives up on a
    silent server: connecting within
    :data:`CONNECT_TIMEOUT_SECONDS`, and at the network level (TCP keepalives and
    ``tcp_user_timeout``) within about ``network_timeout_seconds``, so a partitioned
    database fails a request instead of holding it for the operating system's minutes.
    ``statement_timeout_seconds`` bounds every statement on the server (the serving
    engine sets it; loads and migrations do not).
    """
    from nba_mcp.errors import InvalidInput

    try:
        parsed = make_url(url)
    except ArgumentError as exc:
        raise InvalidInput(f"Not a database URL: {exc}") from None
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(parsed, **kwargs)
        event.listen(engine, "connect", _sqlite_pragmas)
    else:
        connect_args = postgres_connect_args(network_timeout_seconds)
        if statement_timeout_seconds is not None:
            milliseconds = max(1, round(statement_timeout_seconds * 1000))
            connect_args["options"] = f"-c statement_timeout={milliseconds}"
        kwargs["connect_args"] = {**connect_args, **kwargs.get("connect_args", {})}
        engine = create_engine(parsed, **kwargs)
        event.listen(engine, "do_connect", _connecting)
        event.listen(engine, "checkout", _pinger(engine.dialect))
    event.listen(engine, "before_cursor_execute", _started)
    event.listen(engine, "after_cursor_execute", _finished)
    return engine


def postgres_connect_args(
    network_timeout_seconds: float = NETWORK_TIMEOUT_SECONDS,
) -> dict[str, Any]:
    """libpq parameters that bound connecting and a silent network (see :func:`make_engine`)."""
    seconds = max(1, round(network_timeout_seconds))
    return {
        "connect_timeout": CONNECT_TIMEOUT_SECONDS,
        "keepalives": 1,
        "keepalives_idle": seconds,
        "keepalives_interval": max(1, seconds // 3),
        "keepalives_count": 3,
        "tcp_user_timeout": seconds * 1000,
    }


def make_read_engine(settings: Settings, primary: Engine, **kwargs: Any) -> Engine:
    """The engine for the tools' reads: ``NBA_MCP_DATABASE_READ_URL``'s (a streaming
    replica), or ``primary`` itself when it is unset. Writes, migrations and the
    data-version watch always use ``primary``: a replica can neither write nor ``LISTEN``."""
    if settings.database_read_url is None:
        return primary
    return make_engine(settings.database_read_url.get_secret_value(), **kwargs)


def _connecting(*_: Any) -> None:
    refuse_wait("a new database connection")


def _pinger(dialect: Dialect) -> Callable[[Any, Any, Any], None]:
    """The pool's pessimistic ping (``pool_pre_ping``, but skipped for a call from memory):
    a dead connection is discarded with every other one opened before it (a restarted
    server left them all dead), and the checkout tried again with a new one."""

    def ping(dbapi_connection: Any, _record: Any, _proxy: Any) -> None:
        if memory_only_now():
            return
        try:
            dialect.do_ping(dbapi_connection)
        except Exception as exc:
            raise InvalidatePoolError(f"the database connection is gone: {exc}") from exc

    return ping


def _started(conn: Any, _cursor: Any, _statement: str, *_: Any) -> None:
    refuse_wait("a SQL statement")  # before it is sent: see nba_mcp.db.nowait
    conn.info.setdefault("query_started", []).append(time.perf_counter())


def _finished(conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
    """Time every statement in ``db_query_duration_seconds`` by its operation."""
    started = conn.info["query_started"].pop()
    operation = statement.lstrip().split(None, 1)[0].lower() if statement.strip() else "other"
    if operation not in OPERATIONS:
        operation = "other"
    DB_QUERY_DURATION.labels(operation=operation).observe(time.perf_counter() - started)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.close()


def sqlite_readonly_uri(database: str) -> str:
    """The URI that opens the SQLite file ``database`` read-only (``mode=ro``)."""
    return "file:" + quote(str(Path(database).resolve())) + "?mode=ro"


def is_sqlite(engine: Engine) -> bool:
    return engine.dialect.name == "sqlite"
