"""Read-only SQL for power users: the ``run_sql`` tool.

A query reaches the data only through three independent locks, so that a hole
in one of them does not turn into a write:

1. **The parser.** sqlglot parses the text in the engine's dialect. It must be
   exactly one ``SELECT`` (``WITH … SELECT``, ``UNION``/``INTERSECT``/``EXCEPT``
   of selects and parenthesised selects included). The whole tree is walked and
   any statement-like node is refused wherever it hides (DML and DDL, ``COPY``,
   ``PRAGMA``, ``ATTACH``, ``SET``, transaction control, ``SELECT … INTO``,
   ``FOR UPDATE``/``FOR SHARE``, data-modifying CTEs, bind parameters), and so
   are functions that reach outside the data (``pg_sleep``, ``pg_read_file``,
   ``lo_import``, ``dblink``, ``set_config``, ``load_extension``, … and every
   ``pg_*`` function that is not on a short allow-list). The database then runs
   sqlglot's rendering of the checked tree without comments, so what runs is
   exactly what was checked, not a text that another tokenizer may read
   differently.
2. **A read-only session.** On PostgreSQL the query runs in a transaction that
   is ``SET TRANSACTION READ ONLY`` with ``SET LOCAL`` statement, lock and
   idle timeouts, through a server-side cursor (``DECLARE … CURSOR`` accepts
   only a ``SELECT`` or ``VALUES``) and is always rolled back. On SQLite it runs
   on its own connection opened with ``file:…?mode=ro`` and
   ``PRAGMA query_only = ON``, with an authorizer that allows only reads and a
   progress handler that aborts it at the deadline.
3. **A role that can only read (PostgreSQL).** :func:`nba_mcp.db.readonly.ensure_readonly_role`
   creates, idempotently, a ``NOLOGIN`` role (default ``nba_mcp_readonly``)
   holding ``USAGE`` on the schema and ``SELECT`` on its tables (now and, by
   default privileges, for tables the same user creates later) and makes the
   connecting user a member. ``run_sql`` does ``SET LOCAL ROLE`` to it inside the
   transaction, so even a superuser connection loses its powers for the query.
   Call it after every ``nba-mcp db upgrade`` (it is cheap and idempotent); if
   the role is missing ``run_sql`` refuses to run (``DependencyUnavailable``)
   rather than run with more rights than intended. A deployment that connects
   through a login that itself holds only ``SELECT`` (e.g. a read replica's
   URL) builds its engine from that URL and passes ``role=None``.

Rows are fetched with one ``fetchmany(limit + 1)``: at most ``limit`` rows are
returned and one more tells whether the answer was cut.
"""

from __future__ import annotations

import datetime as dt
import math
import sqlite3
import time
import uuid
from collections.abc import Sequence
from decimal import Decimal
from typing import Any, Final

from pydantic import BaseModel, Field, JsonValue
from sqlalchemy import Connection, Engine
from sqlalchemy.exc import DBAPIError, SQLAlchemyError

from nba_mcp.db.engine import sqlite_readonly_uri
from nba_mcp.db.models import PRIVATE_TABLES
from nba_mcp.db.readonly import READONLY_ROLE, check_role_name, sqlstate, unavailable
from nba_mcp.errors import DependencyUnavailable, InvalidInput

MAX_LIMIT: Final = 10_000
MAX_TIMEOUT_SECONDS: Final = 300.0
#: Longest string or blob a SQLite query may build (``SQLITE_LIMIT_LENGTH``).
MAX_VALUE_BYTES: Final = 16_000_000

Row = tuple[Any, ...]


class SqlResult(BaseModel):
    """The answer to one read-only query."""

    columns: list[str] = Field(description="Column names, in the order of the select list.")
    rows: list[list[JsonValue]] = Field(
        description="At most `limit` rows. Dates and times are ISO strings, decimals are "
        "numbers, blobs are hex strings, NaN and infinities are strings."
    )
    row_count: int = Field(description="Number of rows returned.")
    truncated: bool = Field(description="True when the query had more rows than `limit`.")
    elapsed_ms: float = Field(description="Wall time spent on the query, in milliseconds.")


# ---------------------------------------------------------------------------
# 2. and 3. Execution


def run_sql(
    engine: Engine,
    *,
    query: str,
    limit: int = 100,
    timeout_seconds: float = 5.0,
    role: str | None = READONLY_ROLE,
) -> SqlResult:
    """Run one read-only SELECT and return at most ``limit`` rows (1 to 10,000).

    ``engine`` is the engine to read through: on SQLite the file is reopened
    read-only; on PostgreSQL pass an engine on a read URL where there is one.
    ``role`` is the PostgreSQL role the query runs as (see
    :func:`ensure_readonly_role`); ``None`` keeps the connecting user's role.
    A query that is not a single SELECT, calls a forbidden function, fails in
    the database or runs longer than ``timeout_seconds`` raises ``InvalidInput``;
    an unreachable database raises ``DependencyUnavailable``.
    """
    if isinstance(limit, bool) or not isinstance(limit, int) or not 1 <= limit <= MAX_LIMIT:
        raise InvalidInput(f"limit must be an integer from 1 to {MAX_LIMIT}; got {limit!r}.")
    if not 0 < timeout_seconds <= MAX_TIMEOUT_SECONDS:
        raise InvalidInput(
            f"timeout_seconds must be above 0 and at most {MAX_TIMEOUT_SECONDS:g}; got {timeout_seconds!r}."
        )
    # sqlglot adds ~24 MiB to a worker: it loads with the first query, not at start-up.
    from nba_mcp.queries.sql_guard import check_select

    started = time.perf_counter()
    sqlite = engine.dialect.name == "sqlite"
    statement = check_select(query, dialect="sqlite" if sqlite else "postgres")
    columns, rows = execute_readonly(
        engine, statement, fetch=limit + 1, timeout_seconds=timeout_seconds, role=role
    )
    return SqlResult(
        columns=columns,
        rows=[[json_safe(value) for value in row] for row in rows[:limit]],
        row_count=min(len(rows), limit),
        truncated=len(rows) > limit,
        elapsed_ms=round((time.perf_counter() - started) * 1000, 1),
    )


def execute_readonly(
    engine: Engine,
    statement: str,
    *,
    fetch: int,
    timeout_seconds: float,
    role: str | None = READONLY_ROLE,
) -> tuple[list[str], list[Row]]:
    """Run ``statement`` as is, read-only, and fetch at most ``fetch`` rows.

    No parsing happens here: this is the lock that must hold on its own.
    """
    if engine.dialect.name == "sqlite":
        return _execute_sqlite(engine, statement, fetch=fetch, timeout_seconds=timeout_seconds)
    if engine.dialect.name == "postgresql":
        return _execute_postgres(
            engine, statement, fetch=fetch, timeout_seconds=timeout_seconds, role=role
        )
    raise DependencyUnavailable(f"run_sql does not support {engine.dialect.name} databases.")


def _timeout(timeout_seconds: float) -> InvalidInput:
    return InvalidInput(
        f"The query ran longer than {timeout_seconds:g} s and was stopped; "
        "narrow it down (WHERE, LIMIT) or aggregate less."
    )


def _refused(message: object) -> InvalidInput:
    first = str(message).strip().splitlines()[0] if str(message).strip() else "unknown error"
    return InvalidInput(f"The database refused the query: {first}")


# SQLite -------------------------------------------------------------------

_SQLITE_READS: Final = frozenset(
    {sqlite3.SQLITE_SELECT, sqlite3.SQLITE_READ, sqlite3.SQLITE_RECURSIVE}
)
# Errors of the file or the machine, not of the query (primary result codes).
_SQLITE_UNAVAILABLE: Final = frozenset({5, 6, 7, 10, 11, 13, 14, 26})  # BUSY … NOTADB
_SQLITE_INTERRUPT: Final = 9


def _sqlite_authorizer(
    action: int, arg1: str | None, arg2: str | None, _db: str | None, _trigger: str | None
) -> int:
    if action == sqlite3.SQLITE_READ and arg1 in PRIVATE_TABLES:
        return sqlite3.SQLITE_DENY  # the service's own tables: API keys, request log
    if action in _SQLITE_READS:
        return sqlite3.SQLITE_OK
    from nba_mcp.queries.sql_guard import forbidden_function  # loaded: see run_sql

    if action == sqlite3.SQLITE_FUNCTION and arg2 is not None and not forbidden_function(arg2):
        return sqlite3.SQLITE_OK
    return sqlite3.SQLITE_DENY


def sqlite_readonly_connection(engine: Engine, *, timeout_seconds: float) -> sqlite3.Connection:
    """A new connection to the engine's SQLite file: ``mode=ro`` and ``query_only``."""
    database = engine.url.database
    if not database or database == ":memory:" or database.startswith("file:"):
        raise DependencyUnavailable("run_sql needs a SQLite database file given by its path.")
    try:
        conn = sqlite3.connect(sqlite_readonly_uri(database), uri=True, timeout=timeout_seconds)
    except sqlite3.Error as exc:
        raise DependencyUnavailable(f"Cannot open the database read-only: {exc}") from None
    try:
        conn.execute("PRAGMA query_only = ON")
        conn.setlimit(sqlite3.SQLITE_LIMIT_ATTACHED, 0)
        conn.setlimit(sqlite3.SQLITE_LIMIT_LENGTH, MAX_VALUE_BYTES)
    except sqlite3.Error as exc:
        conn.close()
        raise DependencyUnavailable(f"Cannot open the database read-only: {exc}") from None
    return conn


def _execute_sqlite(
    engine: Engine, statement: str, *, fetch: int, timeout_seconds: float
) -> tuple[list[str], list[Row]]:
    conn = sqlite_readonly_connection(engine, timeout_seconds=timeout_seconds)
    deadline = time.monotonic() + timeout_seconds
    expired = False

    def progress() -> int:
        nonlocal expired
        expired = time.monotonic() > deadline
        return int(expired)

    try:
        conn.set_authorizer(_sqlite_authorizer)
        conn.set_progress_handler(progress, 1000)
        cursor = conn.execute(statement)
        if cursor.description is None:
            raise InvalidInput("The statement returned no rows: only a SELECT is allowed.")
        columns = [str(d[0]) for d in cursor.description]
        return columns, [tuple(row) for row in cursor.fetchmany(fetch)]
    except (sqlite3.Error, sqlite3.Warning) as exc:
        code = getattr(exc, "sqlite_errorcode", 0) & 0xFF
        if expired or code == _SQLITE_INTERRUPT:
            raise _timeout(timeout_seconds) from None
        if code in _SQLITE_UNAVAILABLE:
            raise DependencyUnavailable(f"The database failed: {exc}") from None
        raise _refused(exc) from None
    except (OverflowError, MemoryError, ValueError) as exc:
        raise _refused(exc) from None
    finally:
        conn.close()


# PostgreSQL ---------------------------------------------------------------

_PG_TIMEOUT: Final = "57014"  # query_canceled: statement_timeout
_PG_LOCK_TIMEOUT: Final = "55P03"  # lock_not_available: lock_timeout
_PG_NO_ROLE: Final = frozenset({"22023", "42704", "42501"})  # no such role / not a member


def _execute_postgres(
    engine: Engine, statement: str, *, fetch: int, timeout_seconds: float, role: str | None
) -> tuple[list[str], list[Row]]:
    milliseconds = max(1, math.ceil(timeout_seconds * 1000))
    try:
        conn = engine.connect()
    except DBAPIError as exc:
        raise DependencyUnavailable(f"Cannot reach the database: {exc.orig}") from None
    try:
        conn.exec_driver_sql("SET TRANSACTION READ ONLY")
        for setting in ("statement_timeout", "lock_timeout", "idle_in_transaction_session_timeout"):
            conn.exec_driver_sql(f"SET LOCAL {setting} = {milliseconds}")
        if role is not None:
            _set_role(conn, check_role_name(role))
        # A server-side cursor (DECLARE … CURSOR: a SELECT or VALUES only) that
        # fetches `fetch` rows in one FETCH; no_parameters: a % is not a placeholder.
        result = conn.exec_driver_sql(
            statement, execution_options={"no_parameters": True, "yield_per": fetch}
        )
        if not result.returns_rows:
            raise InvalidInput("The statement returned no rows: only a SELECT is allowed.")
        columns = [str(c) for c in list(result.keys())]
        rows = [tuple(row) for row in result.fetchmany(fetch)]
        result.close()
        return columns, rows
    except DBAPIError as exc:
        state = sqlstate(exc)
        if state in (_PG_TIMEOUT, _PG_LOCK_TIMEOUT):
            raise _timeout(timeout_seconds) from None
        if unavailable(exc):
            raise DependencyUnavailable(f"The database failed: {exc.orig}") from None
        raise _refused(exc.orig) from None
    except SQLAlchemyError as exc:
        raise _refused(exc) from None
    finally:
        _release(conn)


def _release(conn: Connection) -> None:
    """Roll back and drop session state a rollback keeps, before the pool reuses ``conn``."""
    try:
        conn.rollback()
        # Session advisory locks outlive a rollback; the parser forbids taking
        # them, this makes sure a pooled connection never keeps one.
        conn.exec_driver_sql("SELECT pg_advisory_unlock_all()")
        conn.rollback()
    except SQLAlchemyError:
        conn.invalidate()
    finally:
        conn.close()


def _set_role(conn: Connection, role: str) -> None:
    try:
        conn.exec_driver_sql(f'SET LOCAL ROLE "{role}"')
    except DBAPIError as exc:
        if sqlstate(exc) in _PG_NO_ROLE:
            raise DependencyUnavailable(
                f"The read-only role {role} is missing or not granted to the connecting user: "
                "run ensure_readonly_role (after `nba-mcp db upgrade`) or pass role=None "
                "with a login that can only read."
            ) from None
        raise


def json_safe(value: Any) -> JsonValue:
    """``value`` as JSON can carry it: ISO dates, float decimals, hex blobs."""
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, float | Decimal):
        number = float(value)
        if math.isfinite(number):
            return number
        return "NaN" if math.isnan(number) else ("Infinity" if number > 0 else "-Infinity")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, dt.timedelta):
        return value.total_seconds()
    if isinstance(value, bytes | bytearray | memoryview):
        return bytes(value).hex()
    if isinstance(value, dict):
        return {str(k): json_safe(v) for k, v in value.items()}
    if isinstance(value, Sequence):
        return [json_safe(v) for v in value]
    if isinstance(value, uuid.UUID):
        return str(value)
    return str(value)
