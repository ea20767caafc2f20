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
3. **A role that can only read (PostgreSQL).** :func:`ensure_readonly_role`
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
import re
import sqlite3
import time
import uuid
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any, Final
from urllib.parse import quote

import sqlglot
from pydantic import BaseModel, Field, JsonValue
from sqlalchemy import Connection, Engine, text
from sqlalchemy.exc import DBAPIError, SQLAlchemyError

from nba_mcp.errors import DependencyUnavailable, InvalidInput

READONLY_ROLE: Final = "nba_mcp_readonly"
MAX_LIMIT: Final = 10_000
MAX_TIMEOUT_SECONDS: Final = 300.0
MAX_QUERY_CHARS: Final = 20_000
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
# 1. The parser


def _expression_types(*names: str) -> tuple[type[sqlglot.exp.Expr], ...]:
    # getattr: sqlglot adds and renames node classes between versions.
    found = (getattr(sqlglot.exp, name, None) for name in names)
    return tuple(t for t in found if isinstance(t, type))


_ROOTS = _expression_types("Select", "SetOperation", "Subquery")
_FORBIDDEN_NODES = _expression_types(
    "DML", "DDL", "Insert", "Update", "Delete", "Merge", "Create", "Drop", "Alter",
    "AlterSession", "TruncateTable", "Copy", "Command", "Pragma", "Attach", "Detach",
    "Set", "SetItem", "Transaction", "Commit", "Rollback", "Into", "Lock", "Returning",
    "OnConflict", "Grant", "Revoke", "Analyze", "Use", "Describe", "Show", "LoadData",
    "Cache", "Uncache", "Refresh", "Kill", "Execute", "ExecuteSql", "Declare",
    "Install", "Export", "Put", "Get", "Comment", "StoredProcedure", "Block",
    "IfBlock", "WhileBlock", "LoopBlock", "SwapTable", "Undrop", "Summarize",
    "LockingStatement", "MultitableInserts", "Semicolon",
)  # fmt: skip
_PARAMETERS = _expression_types("Placeholder", "Parameter")

_FORBIDDEN_FUNCTIONS: Final = frozenset(
    {
        # PostgreSQL: settings, files, large objects, sequences, queries in strings.
        "set_config", "current_setting", "copy", "loread", "lowrite",
        "nextval", "setval", "query_to_xml", "query_to_xmlschema",
        "query_to_xml_and_xmlschema", "cursor_to_xml", "cursor_to_xmlschema",
        "brin_summarize_new_values", "brin_summarize_range", "brin_desummarize_range",
        "gin_clean_pending_list", "txid_current", "txid_current_if_assigned",
        # SQLite: extensions and the shell's file functions.
        "load_extension", "readfile", "writefile", "edit", "fts3_tokenizer",
    }
)  # fmt: skip
_FORBIDDEN_PREFIXES: Final = ("pg_", "lo_", "dblink", "binary_upgrade_")
#: ``pg_*`` functions that only describe values.
_ALLOWED_PG_FUNCTIONS: Final = frozenset({"pg_typeof", "pg_column_size", "pg_size_pretty"})


def forbidden_function(name: str) -> bool:
    """Whether a query may not call the function ``name`` (any case, unqualified)."""
    name = name.lower().rsplit(".", 1)[-1].strip('"')
    if name in _FORBIDDEN_FUNCTIONS:
        return True
    return name.startswith(_FORBIDDEN_PREFIXES) and name not in _ALLOWED_PG_FUNCTIONS


def _function_names(node: sqlglot.exp.Func) -> list[str]:
    if isinstance(node, sqlglot.exp.Anonymous | sqlglot.exp.AnonymousAggFunc):
        return [node.name]
    return list(type(node).sql_names())


def _statement_name(node: sqlglot.exp.Expr) -> str:
    if isinstance(node, sqlglot.exp.Lock):
        return "FOR UPDATE/FOR SHARE"
    if isinstance(node, sqlglot.exp.Into):
        return "SELECT … INTO"
    bare = node.copy()
    for key in ("with", "with_"):  # a leading WITH is not what the statement does
        if bare.args.get(key) is not None:
            bare.set(key, None)
    try:
        words = bare.sql(comments=False).split()
    except Exception:  # a name for the message only
        words = []
    return words[0].upper() if words else type(node).__name__.upper()


def _parse_message(exc: sqlglot.errors.SqlglotError) -> str:
    errors = getattr(exc, "errors", None)
    if errors:
        first = errors[0]
        return f"{first.get('description')} (line {first.get('line')}, column {first.get('col')})"
    return re.sub(r"\x1b\[[0-9;]*m", "", str(exc))


def check_select(query: str, *, dialect: str) -> str:
    """The SQL to run for ``query`` if it is a single read-only SELECT, else ``InvalidInput``.

    ``dialect`` is sqlglot's name: ``"sqlite"`` or ``"postgres"``. The result is
    sqlglot's rendering of the checked tree, without comments.
    """
    if len(query) > MAX_QUERY_CHARS:
        raise InvalidInput(
            f"The query is too long: {len(query)} characters; at most {MAX_QUERY_CHARS}."
        )
    try:
        parsed = sqlglot.parse(query, read=dialect)
    except sqlglot.errors.SqlglotError as exc:
        raise InvalidInput(f"The query does not parse: {_parse_message(exc)}.") from None
    except Exception as exc:  # whatever the parser trips on, it did not accept
        raise InvalidInput(f"The query does not parse: {type(exc).__name__}: {exc}") from None
    statements = [s for s in parsed if s is not None]
    if not statements:
        raise InvalidInput("The query is empty: write one SELECT statement.")
    if len(statements) > 1:
        found = ", ".join(_statement_name(s) for s in statements)
        raise InvalidInput(
            f"Multiple statements are not allowed: found {found}; write one SELECT statement."
        )
    (tree,) = statements
    if not isinstance(tree, _ROOTS):
        raise InvalidInput(f"Only a single SELECT is allowed; found {_statement_name(tree)}.")
    for node in tree.walk():
        if isinstance(node, _FORBIDDEN_NODES):
            raise InvalidInput(
                f"Only a single SELECT is allowed; found {_statement_name(node)} inside the query."
            )
        if isinstance(node, _PARAMETERS):
            raise InvalidInput(
                f"Bind parameters are not supported ({node.sql(dialect=dialect)}): "
                "write the values into the query."
            )
        if isinstance(node, sqlglot.exp.Func):
            for name in _function_names(node):
                if forbidden_function(name):
                    raise InvalidInput(
                        f"Function {name.lower()} is not allowed: run_sql only reads the NBA data."
                    )
    try:
        return tree.sql(dialect=dialect, comments=False)
    except Exception as exc:  # a tree sqlglot cannot render is not run
        raise InvalidInput(f"The query cannot be checked: {type(exc).__name__}: {exc}") from None


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
    if action in _SQLITE_READS:
        return sqlite3.SQLITE_OK
    if action == sqlite3.SQLITE_FUNCTION and arg2 is not None and not forbidden_function(arg2):
        return sqlite3.SQLITE_OK
    return sqlite3.SQLITE_DENY


def sqlite_readonly_connection(engine: Engine, *, timeout_seconds: float) -> sqlite3.Connection:
    """A new connection to the engine's SQLite file: ``mode=ro`` and ``query_only``."""
    database = engine.url.database
    if not database or database == ":memory:" or database.startswith("file:"):
        raise DependencyUnavailable("run_sql needs a SQLite database file given by its path.")
    uri = "file:" + quote(str(Path(database).resolve())) + "?mode=ro"
    try:
        conn = sqlite3.connect(uri, uri=True, timeout=timeout_seconds, check_same_thread=False)
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

_ROLE_NAME = re.compile(r"[a-z_][a-z0-9_]{0,62}")
_PG_TIMEOUT: Final = "57014"  # query_canceled: statement_timeout
_PG_LOCK_TIMEOUT: Final = "55P03"  # lock_not_available: lock_timeout
_PG_NO_ROLE: Final = frozenset({"22023", "42704", "42501"})  # no such role / not a member


def _sqlstate(exc: DBAPIError) -> str:
    orig = exc.orig
    return str(getattr(orig, "sqlstate", None) or getattr(orig, "pgcode", None) or "")


def _unavailable(exc: DBAPIError) -> bool:
    state = _sqlstate(exc)
    return (
        exc.connection_invalidated or not state or state.startswith(("08", "53", "57P", "58", "XX"))
    )


def _check_role_name(role: str) -> str:
    if not _ROLE_NAME.fullmatch(role):
        raise InvalidInput(f"Not a role name we use: {role!r} (lower-case letters, digits, _).")
    return role


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
            _set_role(conn, _check_role_name(role))
        stream = conn.execution_options(no_parameters=True, yield_per=fetch)
        result = stream.exec_driver_sql(statement)
        if not result.returns_rows:
            raise InvalidInput("The statement returned no rows: only a SELECT is allowed.")
        columns = [str(c) for c in list(result.keys())]
        rows = [tuple(row) for row in result.fetchmany(fetch)]
        result.close()
        return columns, rows
    except DBAPIError as exc:
        state = _sqlstate(exc)
        if state in (_PG_TIMEOUT, _PG_LOCK_TIMEOUT):
            raise _timeout(timeout_seconds) from None
        if _unavailable(exc):
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
        if _sqlstate(exc) in _PG_NO_ROLE:
            raise DependencyUnavailable(
                f"The read-only role {role} is missing or not granted to the connecting user: "
                "run ensure_readonly_role (after `nba-mcp db upgrade`) or pass role=None "
                "with a login that can only read."
            ) from None
        raise


def ensure_readonly_role(engine: Engine, role: str = READONLY_ROLE) -> None:
    """Create (idempotently) the PostgreSQL role ``run_sql`` reads as; a no-op on SQLite.

    The role cannot log in; it has ``USAGE`` on the current schema, ``SELECT``
    on every table in it and, through default privileges, on the tables the
    connecting user creates there later. The connecting user becomes a member
    so that it may ``SET ROLE`` to it. Needs a user that may create roles.
    """
    if engine.dialect.name != "postgresql":
        return
    _check_role_name(role)
    try:
        with engine.begin() as conn:
            exists = conn.execute(
                text("SELECT 1 FROM pg_roles WHERE rolname = :role"), {"role": role}
            ).first()
            if exists is None:
                try:
                    with conn.begin_nested():
                        conn.exec_driver_sql(f'CREATE ROLE "{role}" NOLOGIN')
                except DBAPIError as exc:  # created meanwhile by another process
                    if _sqlstate(exc) not in ("42710", "23505"):
                        raise
            schema = conn.execute(text("SELECT current_schema()")).scalar_one()
            schema_id = '"' + str(schema).replace('"', '""') + '"'
            conn.exec_driver_sql(f'GRANT USAGE ON SCHEMA {schema_id} TO "{role}"')
            conn.exec_driver_sql(f'GRANT SELECT ON ALL TABLES IN SCHEMA {schema_id} TO "{role}"')
            conn.exec_driver_sql(
                f'ALTER DEFAULT PRIVILEGES IN SCHEMA {schema_id} GRANT SELECT ON TABLES TO "{role}"'
            )
            member = conn.execute(
                text("SELECT pg_has_role(current_user, :role, 'MEMBER')"), {"role": role}
            ).scalar_one()
            if not member:
                conn.exec_driver_sql(f'GRANT "{role}" TO CURRENT_USER')
    except DBAPIError as exc:
        if _unavailable(exc):
            raise DependencyUnavailable(f"Cannot reach the database: {exc.orig}") from None
        raise DependencyUnavailable(
            f"Cannot set up the read-only role {role}: {exc.orig}"
        ) from None


# ---------------------------------------------------------------------------
# JSON


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


__all__ = [
    "MAX_LIMIT",
    "READONLY_ROLE",
    "SqlResult",
    "check_select",
    "ensure_readonly_role",
    "execute_readonly",
    "forbidden_function",
    "json_safe",
    "run_sql",
]
