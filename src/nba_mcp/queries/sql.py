"""Read-only SQL for power users: the ``run_sql`` tool.

A query reaches the data only through three independent locks, each of which holds on
its own, so that a hole in one does not turn into a read of the keys or a write:

1. **The checker** (:mod:`nba_mcp.queries.sql_guard`): one SELECT over the NBA tables,
   built only from node kinds, functions and casts it knows; the database runs its
   rendering of the checked tree, without comments.
2. **The login** (PostgreSQL, :mod:`nba_mcp.db.readonly`): the query runs on a
   connection of its own whose session user is ``nba_mcp_readonly``, a login that is
   not a superuser, is a member of no role and holds ``SELECT`` on the NBA tables only;
   each new connection proves it before use. On SQLite, an authorizer inside the engine
   denies every action but reading the NBA tables and calling allowed functions.
3. **A read-only, bounded session.** PostgreSQL: a ``READ ONLY`` transaction (the
   login's default too), always rolled back, whose statement, lock and idle timeouts
   are set before every statement to the time left, read through a server-side cursor.
   SQLite: a ``mode=ro``, ``query_only`` connection with length limits (a value can be
   at most the byte cap) and a progress handler that stops it at the deadline.

Every result is bounded: at most ``limit`` rows and ``max_bytes`` of JSON. Rows are read
in batches and the reading stops at either cap (``truncated`` and ``truncated_by`` say
which); on PostgreSQL the server itself blanks every row past the byte budget, so a huge
value never travels, let alone sits in memory.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import sqlite3
import time
import uuid
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Annotated, Any, Final, Literal

import psycopg
from pydantic import BaseModel, Field, JsonValue, WithJsonSchema
from sqlalchemy import Connection, Engine
from sqlalchemy.exc import DBAPIError, SQLAlchemyError

from nba_mcp.db.engine import sqlite_readonly_uri
from nba_mcp.db.models import NBA_TABLES
from nba_mcp.db.readonly import check_login, login_engine, sqlstate, unavailable
from nba_mcp.errors import DependencyUnavailable, InvalidInput

MAX_LIMIT: Final = 10_000
MAX_TIMEOUT_SECONDS: Final = 300.0
#: Default byte cap of one result's rows, as JSON (``NBA_MCP_SQL_MAX_RESULT_BYTES``).
DEFAULT_MAX_BYTES: Final = 4 * 1024 * 1024
MIN_MAX_BYTES: Final = 1024
MAX_MAX_BYTES: Final = 64 * 1024 * 1024
#: Rows read from the database at a time.
BATCH_ROWS: Final = 256

Row = tuple[Any, ...]


#: One value of a result row. Its schema names the JSON types a cell takes (a bare
#: ``JsonValue`` publishes ``{}``, which clients flag as a schema that constrains nothing):
#: arrays and objects come from PostgreSQL arrays and JSON columns.
Cell = Annotated[
    JsonValue,
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "string"},
                {"type": "number"},
                {"type": "boolean"},
                {"type": "null"},
                {"type": "array"},
                {"type": "object", "additionalProperties": True},
            ]
        }
    ),
]


class SqlResult(BaseModel):
    """The answer to one read-only query."""

    columns: list[str] = Field(description="Column names, in the order of the select list.")
    rows: list[list[Cell]] = Field(
        description="At most `limit` rows. Dates and times are ISO strings, decimals are "
        "numbers, blobs are hex strings, NaN and infinities are strings."
    )
    row_count: int = Field(description="Number of rows returned.")
    truncated: bool = Field(
        description="True when the query had more rows than were returned: past `limit`, "
        "or past the byte cap of a result."
    )
    truncated_by: Literal["rows", "bytes"] | None = Field(
        default=None,
        description="Which cap cut the result: `rows` (the limit) or `bytes` (the size cap); "
        "null when nothing was cut.",
    )
    elapsed_ms: float = Field(description="Wall time spent on the query, in milliseconds.")


@dataclass(frozen=True)
class Fetched:
    """What the database gave: the columns and JSON-ready rows, and which cap cut them."""

    columns: list[str]
    rows: list[list[JsonValue]]
    truncated_by: Literal["rows", "bytes"] | None


def check_options(*, limit: object, timeout_seconds: object, max_bytes: object) -> None:
    if isinstance(limit, bool) or not isinstance(limit, int) or not 1 <= limit <= MAX_LIMIT:
        raise InvalidInput(f"limit must be an integer from 1 to {MAX_LIMIT}; got {limit!r}.")
    if (
        isinstance(timeout_seconds, bool)
        or not isinstance(timeout_seconds, int | float)
        or not 0 < timeout_seconds <= MAX_TIMEOUT_SECONDS
    ):
        raise InvalidInput(
            f"timeout_seconds must be above 0 and at most {MAX_TIMEOUT_SECONDS:g}; got {timeout_seconds!r}."
        )
    if (
        isinstance(max_bytes, bool)
        or not isinstance(max_bytes, int)
        or not MIN_MAX_BYTES <= max_bytes <= MAX_MAX_BYTES
    ):
        raise InvalidInput(
            f"max_bytes must be an integer from {MIN_MAX_BYTES} to {MAX_MAX_BYTES}; got {max_bytes!r}."
        )


def run_sql(
    engine: Engine,
    *,
    query: str,
    limit: int = 100,
    timeout_seconds: float = 5.0,
    max_bytes: int = DEFAULT_MAX_BYTES,
    sql_url: str | None = None,
) -> SqlResult:
    """Run one read-only SELECT and return at most ``limit`` rows and ``max_bytes`` of JSON.

    ``engine`` is the service's engine: on SQLite the file is reopened read-only; on
    PostgreSQL the query runs through the read-only login (``sql_url``, else the
    service's URL with that login's name; see :mod:`nba_mcp.db.readonly`). A query that
    is not an allowed SELECT, fails in the database or runs longer than
    ``timeout_seconds`` raises ``InvalidInput``; an unreachable database or a login that
    could do more than read raises ``DependencyUnavailable``.
    """
    check_options(limit=limit, timeout_seconds=timeout_seconds, max_bytes=max_bytes)
    # sqlglot adds ~24 MiB to a worker: it loads with the first query, not at start-up.
    from nba_mcp.queries.sql_guard import check_select

    started = time.perf_counter()
    sqlite = engine.dialect.name == "sqlite"
    statement = check_select(query, dialect="sqlite" if sqlite else "postgres")
    reader = engine if sqlite else login_engine(engine, sql_url=sql_url)
    fetched = execute_readonly(
        reader, statement, limit=limit, timeout_seconds=timeout_seconds, max_bytes=max_bytes
    )
    return SqlResult(
        columns=fetched.columns,
        rows=fetched.rows,
        row_count=len(fetched.rows),
        truncated=fetched.truncated_by is not None,
        truncated_by=fetched.truncated_by,
        elapsed_ms=round((time.perf_counter() - started) * 1000, 1),
    )


def execute_readonly(
    engine: Engine,
    statement: str,
    *,
    limit: int,
    timeout_seconds: float,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> Fetched:
    """Run ``statement`` as is, read-only and bounded; at most ``limit`` rows.

    No parsing happens here: this is the lock that must hold on its own. On
    PostgreSQL ``engine`` must connect as the read-only login (:func:`check_login`).
    """
    if engine.dialect.name == "sqlite":
        return _execute_sqlite(
            engine, statement, limit=limit, timeout_seconds=timeout_seconds, max_bytes=max_bytes
        )
    if engine.dialect.name == "postgresql":
        return _execute_postgres(
            engine, statement, limit=limit, timeout_seconds=timeout_seconds, max_bytes=max_bytes
        )
    raise DependencyUnavailable(f"run_sql does not support {engine.dialect.name} databases.")


def _collect(
    batches: Iterable[Sequence[Row]], *, limit: int, max_bytes: int, fits: int | None = None
) -> tuple[list[list[JsonValue]], Literal["rows", "bytes"] | None]:
    """JSON-ready rows from ``batches`` until the row or the byte cap. ``fits`` is the
    index of a column the server sets false once its own byte budget ran out."""
    rows: list[list[JsonValue]] = []
    size = 2  # the brackets of the JSON array
    for batch in batches:
        for raw in batch:
            if fits is not None and not raw[fits]:
                return rows, "bytes"
            if len(rows) == limit:
                return rows, "rows"
            row = [json_safe(value) for value in (raw[:fits] if fits is not None else raw)]
            size += len(json.dumps(row, ensure_ascii=False, default=str).encode()) + 1
            if size > max_bytes:
                return rows, "bytes"
            rows.append(row)
    return rows, None


def _timeout(timeout_seconds: float) -> InvalidInput:
    return InvalidInput(
        f"The query ran longer than {timeout_seconds:g} s and was stopped; "
        "narrow it down (WHERE, LIMIT) or aggregate less."
    )


def _refused(message: object) -> InvalidInput:
    first = str(message).strip().splitlines()[0] if str(message).strip() else "unknown error"
    return InvalidInput(f"The database refused the query: {first}")


# SQLite -------------------------------------------------------------------

#: Functions SQLite may call for a query (the engine's own names, lower case): the
#: renderings of what the checker allows. The authorizer denies every other.
SQLITE_FUNCTIONS: Final = frozenset(
    {
        "count", "sum", "total", "avg", "min", "max", "group_concat", "string_agg", "median",
        "row_number", "rank", "dense_rank", "percent_rank", "cume_dist", "ntile", "lag",
        "lead", "first_value", "last_value", "nth_value",
        "abs", "ceil", "ceiling", "floor", "round", "trunc", "sqrt", "pow", "power", "exp",
        "ln", "log", "log2", "log10", "sign", "pi", "degrees", "radians", "mod",
        "lower", "upper", "length", "octet_length", "trim", "ltrim", "rtrim", "replace",
        "concat", "concat_ws", "substr", "substring", "instr", "unicode", "char", "hex",
        "like", "glob", "regexp", "coalesce", "ifnull", "iif", "nullif", "typeof",
        "date", "time", "datetime", "julianday", "unixepoch", "strftime", "timediff",
    }
)  # fmt: skip
_SQLITE_READS: Final = frozenset({sqlite3.SQLITE_SELECT})
# Errors of the file or the machine, not of the query (primary result codes).
_SQLITE_UNAVAILABLE: Final = frozenset({5, 6, 7, 10, 11, 13, 14, 26})  # BUSY … NOTADB
_SQLITE_INTERRUPT: Final = 9
#: Engine limits of a run_sql connection besides the value length (the byte cap).
_SQLITE_LIMITS: Final = {
    sqlite3.SQLITE_LIMIT_ATTACHED: 0,
    sqlite3.SQLITE_LIMIT_SQL_LENGTH: 100_000,
    sqlite3.SQLITE_LIMIT_EXPR_DEPTH: 100,
    sqlite3.SQLITE_LIMIT_COMPOUND_SELECT: 50,
    sqlite3.SQLITE_LIMIT_FUNCTION_ARG: 32,
    sqlite3.SQLITE_LIMIT_LIKE_PATTERN_LENGTH: 1_000,
    sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER: 0,
    sqlite3.SQLITE_LIMIT_WORKER_THREADS: 0,
}


def _sqlite_authorizer(
    action: int, arg1: str | None, arg2: str | None, _db: str | None, _trigger: str | None
) -> int:
    if action in _SQLITE_READS:
        return sqlite3.SQLITE_OK
    if action == sqlite3.SQLITE_READ and arg1 is not None and arg1.lower() in NBA_TABLES:
        return sqlite3.SQLITE_OK
    if action == sqlite3.SQLITE_FUNCTION and arg2 is not None and arg2.lower() in SQLITE_FUNCTIONS:
        return sqlite3.SQLITE_OK
    return sqlite3.SQLITE_DENY


def sqlite_readonly_connection(
    engine: Engine, *, timeout_seconds: float, max_bytes: int = DEFAULT_MAX_BYTES
) -> sqlite3.Connection:
    """A new connection to the engine's SQLite file: ``mode=ro``, ``query_only``, limits."""
    database = engine.url.database
    if not database or database == ":memory:" or database.startswith("file:"):
        raise DependencyUnavailable("run_sql needs a SQLite database file given by its path.")
    try:
        conn = sqlite3.connect(sqlite_readonly_uri(database), uri=True, timeout=timeout_seconds)
    except sqlite3.Error as exc:
        raise DependencyUnavailable(f"Cannot open the database read-only: {exc}") from None
    try:
        conn.execute("PRAGMA query_only = ON")
        conn.setlimit(sqlite3.SQLITE_LIMIT_LENGTH, max_bytes)
        for limit, value in _SQLITE_LIMITS.items():
            conn.setlimit(limit, value)
    except sqlite3.Error as exc:
        conn.close()
        raise DependencyUnavailable(f"Cannot open the database read-only: {exc}") from None
    return conn


def _execute_sqlite(
    engine: Engine, statement: str, *, limit: int, timeout_seconds: float, max_bytes: int
) -> Fetched:
    conn = sqlite_readonly_connection(engine, timeout_seconds=timeout_seconds, max_bytes=max_bytes)
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
        batches = iter(lambda: cursor.fetchmany(BATCH_ROWS), [])
        rows, cut = _collect(batches, limit=limit, max_bytes=max_bytes)
        return Fetched(columns=columns, rows=rows, truncated_by=cut)
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
#: Resource limits a query ran into (out of memory, temp_file_limit): the query's doing.
_PG_QUERY_TOO_BIG: Final = frozenset({"53200", "53400"})
#: SQLSTATE classes of a lost connection or a failing server, not of the query.
_PG_UNAVAILABLE: Final = ("08", "53", "57P", "58", "XX")


def _bounded(statement: str, columns: int, max_bytes: int) -> str:
    """``statement`` wrapped so that the server blanks every row from the first one that
    takes the result past ``max_bytes`` (its running size) and says so in a last column."""
    names = "(" + ", ".join(f"c{i}" for i in range(columns)) + ")" if columns else ""
    values = ", ".join(f"CASE WHEN r.fits THEN r.c{i} END" for i in range(columns))
    return (
        f"SELECT {values}{', ' if columns else ''}r.fits FROM ("
        f"SELECT q.*, COALESCE(SUM(pg_column_size(q.*)) OVER (ROWS UNBOUNDED PRECEDING), 0)"
        f" <= {int(max_bytes)} AS fits FROM ({statement}\n) AS q{names}) AS r"
    )


def _execute_postgres(
    engine: Engine, statement: str, *, limit: int, timeout_seconds: float, max_bytes: int
) -> Fetched:
    deadline = time.monotonic() + timeout_seconds
    try:
        conn = engine.connect()
    except DBAPIError as exc:
        raise DependencyUnavailable(
            f"run_sql cannot connect as {engine.url.username}: {str(exc.orig).strip()}. Run "
            "`nba-mcp db upgrade` to create the read-only login, and give its password in "
            "NBA_MCP_SQL_DATABASE_URL where the server asks for one."
        ) from None
    try:
        check_login(conn)
        conn.exec_driver_sql("SET TRANSACTION READ ONLY")
        _set_deadline(conn, deadline, timeout_seconds)
        columns = _describe(conn, statement)
        bounded = _bounded(statement, len(columns), max_bytes)
        rows, cut = _collect(
            _fetch(conn, bounded, deadline, timeout_seconds),
            limit=limit, max_bytes=max_bytes, fits=len(columns),
        )  # fmt: skip
        return Fetched(columns=columns, rows=rows, truncated_by=cut)
    except DBAPIError as exc:
        lost = unavailable(exc)
        raise _pg_error(exc.orig or exc, sqlstate(exc), lost, timeout_seconds) from None
    except SQLAlchemyError as exc:
        raise _refused(exc) from None
    except UnicodeError:
        raise InvalidInput(
            "The query contains characters the database cannot take (a lone surrogate?)."
        ) from None
    except psycopg.Error as exc:  # from the server-side cursors, read without SQLAlchemy
        state = exc.sqlstate or ""
        lost = (
            not state or state.startswith(_PG_UNAVAILABLE) or bool(exc.pgconn and exc.pgconn.status)
        )
        raise _pg_error(exc, state, lost, timeout_seconds) from None
    finally:
        _release(conn)


def _pg_error(
    error: BaseException, state: str, lost: bool, timeout_seconds: float
) -> InvalidInput | DependencyUnavailable:
    if state in (_PG_TIMEOUT, _PG_LOCK_TIMEOUT):
        return _timeout(timeout_seconds)
    if state in _PG_QUERY_TOO_BIG or state.startswith("54"):  # the query asked too much
        return _refused(error)
    if lost:
        return DependencyUnavailable(f"The database failed: {error}")
    return _refused(error)


def _set_deadline(conn: Connection, deadline: float, timeout_seconds: float) -> None:
    """Statement, lock and idle timeouts for the next statement: the time left."""
    left = deadline - time.monotonic()
    if left <= 0:
        raise _timeout(timeout_seconds)
    milliseconds = max(1, math.ceil(left * 1000))
    for setting in ("statement_timeout", "lock_timeout", "idle_in_transaction_session_timeout"):
        conn.exec_driver_sql(f"SET LOCAL {setting} = {milliseconds}")


def _describe(conn: Connection, statement: str) -> list[str]:
    """The column names of ``statement``, from a cursor declared and described, not run."""
    cursor = conn.connection.dbapi_connection.cursor(name="nba_mcp_sql_describe")  # type: ignore[union-attr]
    try:
        cursor.execute(statement)
        if cursor.description is None:
            raise InvalidInput("The statement returned no rows: only a SELECT is allowed.")
        return [str(column[0]) for column in cursor.description]
    finally:
        cursor.close()


def _fetch(
    conn: Connection, statement: str, deadline: float, timeout_seconds: float
) -> Iterator[list[Row]]:
    """Batches of rows through a server-side cursor (``DECLARE … CURSOR``: a SELECT or
    VALUES only), each ``FETCH`` timed out at the run's deadline."""
    cursor = conn.connection.dbapi_connection.cursor(name="nba_mcp_sql")  # type: ignore[union-attr]
    try:
        _set_deadline(conn, deadline, timeout_seconds)
        cursor.execute(statement)
        while True:
            _set_deadline(conn, deadline, timeout_seconds)
            batch = cursor.fetchmany(BATCH_ROWS)
            if not batch:
                return
            yield [tuple(row) for row in batch]
    finally:
        cursor.close()


def _release(conn: Connection) -> None:
    """Roll back and drop what a rollback keeps (session advisory locks) before the pool
    reuses ``conn``; a connection that cannot is dropped."""
    try:
        conn.rollback()
        conn.exec_driver_sql("SELECT pg_advisory_unlock_all()")
        conn.rollback()
    except SQLAlchemyError:
        conn.invalidate()
    finally:
        conn.close()


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
