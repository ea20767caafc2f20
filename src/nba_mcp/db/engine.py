"""Engines for SQLite (the embedded default) and PostgreSQL.

SQLite is opened in WAL mode with foreign keys on: one writer, many readers.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any
from urllib.parse import quote

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from nba_mcp.observability.metrics import DB_QUERY_DURATION

CONNECT_TIMEOUT_SECONDS = 5
OPERATIONS = frozenset(
    {"select", "insert", "update", "delete", "with", "copy", "create", "analyze"}
)


def make_engine(url: str, **kwargs: Any) -> Engine:
    """Create the engine for ``url``, preparing SQLite files and pragmas."""
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
        kwargs.setdefault("pool_pre_ping", True)
        # A blackholed server must not hold a request (or /ready) for the OS's minutes.
        kwargs.setdefault("connect_args", {"connect_timeout": CONNECT_TIMEOUT_SECONDS})
        engine = create_engine(parsed, **kwargs)
    event.listen(engine, "before_cursor_execute", _started)
    event.listen(engine, "after_cursor_execute", _finished)
    return engine


def _started(conn: Any, _cursor: Any, _statement: str, *_: Any) -> None:
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
