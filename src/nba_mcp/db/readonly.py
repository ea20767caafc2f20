"""The PostgreSQL login that ``run_sql`` reads through: SELECT on the NBA tables, nothing else.

``run_sql`` never runs as the service's own user. ``nba-mcp db upgrade`` calls
:func:`ensure_readonly_role`, which makes (idempotently, writing the catalogs only when
something is off) the role ``nba_mcp_readonly``:

- ``LOGIN``, not a superuser, no ``CREATEROLE``/``CREATEDB``/``REPLICATION``/``BYPASSRLS``,
  ``NOINHERIT``, and a member of no other role: since its session user is not a superuser,
  ``SET ROLE``, ``set_config('role', …)`` and ``SET SESSION AUTHORIZATION`` reach no
  other role from it;
- ``USAGE`` on the schema and ``SELECT`` on the NBA tables (:data:`NBA_TABLES`) only:
  whatever else it held in the schema is revoked, and a table added later stays
  unreadable until it is added to that list on purpose;
- role defaults as a backstop: read-only transactions, a statement timeout, an idle
  timeout, ``work_mem`` and (when the migrating user is a superuser) ``temp_file_limit``;
- the password of ``NBA_MCP_SQL_DATABASE_URL`` when that URL names this role.

``run_sql`` connects as that login (:func:`login_engine`): ``NBA_MCP_SQL_DATABASE_URL``,
else the service's URL with the user replaced by the role and no password (enough under
``trust``, ``peer`` or a password file). Before a new connection runs anything,
:func:`check_login` proves that its session user is such a login; a superuser or a login
that can read anything but the NBA tables is refused with the fix.
"""

from __future__ import annotations

import re
import threading
import weakref
from typing import Final

from sqlalchemy import Connection, Engine, event, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import DBAPIError

from nba_mcp.db.engine import make_engine
from nba_mcp.db.models import NBA_TABLES
from nba_mcp.errors import DependencyUnavailable, InvalidInput

READONLY_ROLE: Final = "nba_mcp_readonly"
ROLE_NAME = re.compile(r"[a-z_][a-z0-9_]{0,62}")

#: Role defaults (``ALTER ROLE … SET``): a backstop behind the limits ``run_sql`` sets.
ROLE_SETTINGS: Final = {
    "default_transaction_read_only": "on",
    "statement_timeout": "300s",
    "idle_in_transaction_session_timeout": "60s",
    "work_mem": "32MB",
}
#: Settable by a superuser only; skipped (with the rest still applied) otherwise.
SUPERUSER_SETTINGS: Final = {"temp_file_limit": "512MB"}
_UNSAFE_ATTRIBUTES: Final = (
    "rolsuper", "rolcreaterole", "rolcreatedb", "rolreplication", "rolbypassrls", "rolinherit",
)  # fmt: skip


def sqlstate(exc: DBAPIError) -> str:
    orig = exc.orig
    return str(getattr(orig, "sqlstate", None) or getattr(orig, "pgcode", None) or "")


def unavailable(exc: DBAPIError) -> bool:
    state = sqlstate(exc)
    return (
        exc.connection_invalidated or not state or state.startswith(("08", "53", "57P", "58", "XX"))
    )


def check_role_name(role: str) -> str:
    if not ROLE_NAME.fullmatch(role):
        raise InvalidInput(f"Not a role name we use: {role!r} (lower-case letters, digits, _).")
    return role


def _quoted(value: str) -> str:
    """A string literal for a utility statement (``standard_conforming_strings`` is on)."""
    if "\x00" in value:
        raise InvalidInput("A password may not contain NUL characters.")
    return "'" + value.replace("'", "''") + "'"


def ensure_readonly_role(
    engine: Engine, role: str = READONLY_ROLE, *, password: str | None = None
) -> None:
    """Create or repair the login ``run_sql`` reads through (see the module); no-op on SQLite.

    Needs a user that may create roles and grant on the NBA tables (their owner).
    """
    if engine.dialect.name != "postgresql":
        return
    check_role_name(role)
    try:
        with engine.begin() as conn:
            _create_login(conn, role)
            _strip_powers(conn, role)
            _grant_nba_tables(conn, role)
            _apply_settings(conn, role)
            if password is not None:
                conn.exec_driver_sql(f'ALTER ROLE "{role}" PASSWORD {_quoted(password)}')
    except DBAPIError as exc:
        if unavailable(exc):
            raise DependencyUnavailable(f"Cannot reach the database: {exc.orig}") from None
        raise DependencyUnavailable(
            f"Cannot set up the read-only login {role}: {exc.orig}"
        ) from None


def _create_login(conn: Connection, role: str) -> None:
    exists = conn.execute(text("SELECT 1 FROM pg_roles WHERE rolname = :r"), {"r": role}).first()
    if exists is not None:
        return
    try:
        with conn.begin_nested():
            conn.exec_driver_sql(f'CREATE ROLE "{role}" LOGIN NOINHERIT')
    except DBAPIError as exc:  # created meanwhile by another process
        if sqlstate(exc) not in ("42710", "23505"):
            raise


def _strip_powers(conn: Connection, role: str) -> None:
    """Role attributes and memberships: changed only when they are not already safe."""
    columns = ", ".join(("rolcanlogin", *_UNSAFE_ATTRIBUTES))
    found = conn.execute(
        text(f"SELECT {columns} FROM pg_roles WHERE rolname = :r"), {"r": role}
    ).one()
    if not found.rolcanlogin or any(getattr(found, name) for name in _UNSAFE_ATTRIBUTES):
        conn.exec_driver_sql(
            f'ALTER ROLE "{role}" LOGIN NOSUPERUSER NOCREATEROLE NOCREATEDB NOREPLICATION '
            "NOBYPASSRLS NOINHERIT"
        )
    memberships = conn.execute(
        text(
            "SELECT g.rolname FROM pg_auth_members m JOIN pg_roles g ON g.oid = m.roleid "
            "JOIN pg_roles r ON r.oid = m.member WHERE r.rolname = :r"
        ),
        {"r": role},
    ).scalars()
    for group in memberships:
        conn.exec_driver_sql(f'REVOKE "{str(group).replace(chr(34), chr(34) * 2)}" FROM "{role}"')


def _grant_nba_tables(conn: Connection, role: str) -> None:
    schema = str(conn.execute(text("SELECT current_schema()")).scalar_one())
    schema_id = '"' + schema.replace('"', '""') + '"'
    readable = set(
        conn.execute(
            text(
                "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                "WHERE n.nspname = :s AND c.relkind IN ('r', 'v', 'm', 'p', 'f') "
                "AND has_table_privilege(:r, c.oid, 'SELECT')"
            ),
            {"s": schema, "r": role},
        ).scalars()
    )
    present = set(
        conn.execute(
            text("SELECT tablename FROM pg_tables WHERE schemaname = :s"), {"s": schema}
        ).scalars()
    )
    wanted = NBA_TABLES & present
    if readable - wanted:
        conn.exec_driver_sql(f'REVOKE ALL ON ALL TABLES IN SCHEMA {schema_id} FROM "{role}"')
        # Earlier versions granted SELECT on future tables by default privileges.
        conn.exec_driver_sql(
            f'ALTER DEFAULT PRIVILEGES IN SCHEMA {schema_id} REVOKE ALL ON TABLES FROM "{role}"'
        )
        readable = set()
    conn.exec_driver_sql(f'GRANT USAGE ON SCHEMA {schema_id} TO "{role}"')
    for table in sorted(wanted - readable):
        conn.exec_driver_sql(f'GRANT SELECT ON {schema_id}."{table}" TO "{role}"')


def _apply_settings(conn: Connection, role: str) -> None:
    current = dict(
        setting.split("=", 1)
        for setting in conn.execute(
            text(
                "SELECT unnest(s.setconfig) FROM pg_db_role_setting s "
                "JOIN pg_roles r ON r.oid = s.setrole WHERE r.rolname = :r AND s.setdatabase = 0"
            ),
            {"r": role},
        ).scalars()
    )
    superuser = bool(
        conn.execute(text("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")).scalar()
    )
    wanted = {**ROLE_SETTINGS, **(SUPERUSER_SETTINGS if superuser else {})}
    for name, value in wanted.items():
        if current.get(name) != value:
            conn.exec_driver_sql(f"ALTER ROLE \"{role}\" SET {name} = '{value}'")


# ---------------------------------------------------------------------------
# The login's engine

_LOGINS: weakref.WeakKeyDictionary[Engine, dict[str | None, Engine]] = weakref.WeakKeyDictionary()
_LOGINS_LOCK = threading.Lock()
#: Connections of the login per process: ``run_sql`` calls hold one each, briefly.
LOGIN_POOL_SIZE: Final = 2
LOGIN_MAX_OVERFLOW: Final = 6


def login_url(service_url: URL, sql_url: str | None, role: str = READONLY_ROLE) -> URL:
    """The URL ``run_sql`` connects with: ``sql_url``, else the service's own URL with the
    user replaced by the read-only role and no password."""
    if sql_url:
        return make_url(sql_url)
    return service_url.set(username=role, password=None)


def login_password(sql_url: str | None, role: str = READONLY_ROLE) -> str | None:
    """The password ``sql_url`` gives the read-only login, if it names that login."""
    if not sql_url:
        return None
    url = make_url(sql_url)
    return url.password if url.username == role and url.password else None


def login_engine(engine: Engine, *, sql_url: str | None = None) -> Engine:
    """The engine of the read-only login beside the service's ``engine`` (PostgreSQL),
    made once per service engine and ``sql_url``; on SQLite ``engine`` itself."""
    if engine.dialect.name != "postgresql":
        return engine
    with _LOGINS_LOCK:
        logins = _LOGINS.get(engine)
        if logins is None:
            logins = _LOGINS[engine] = {}
            # The login's connections close with the service's engine.
            event.listen(engine, "engine_disposed", _dispose_logins)
        found = logins.get(sql_url)
        if found is None:
            url = login_url(engine.url, sql_url)
            found = make_engine(
                url.render_as_string(hide_password=False),
                pool_size=LOGIN_POOL_SIZE,
                max_overflow=LOGIN_MAX_OVERFLOW,
            )
            logins[sql_url] = found
        return found


def _dispose_logins(engine: Engine) -> None:
    with _LOGINS_LOCK:
        logins = _LOGINS.pop(engine, {})
    for login in logins.values():
        login.dispose()


_CHECK: Final = """
SELECT r.rolname, r.rolsuper, r.rolcreaterole, r.rolcreatedb, r.rolreplication, r.rolbypassrls,
       (SELECT count(*) FROM pg_auth_members m WHERE m.member = r.oid) AS memberships,
       (SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
         WHERE c.relowner = r.oid AND n.nspname = current_schema()) AS owned,
       ARRAY(SELECT c.relname::text FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
              WHERE n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast')
                AND c.relkind IN ('r', 'v', 'm', 'p', 'f')
                AND has_table_privilege(c.oid, 'SELECT')
              ORDER BY 1) AS readable,
       current_user = session_user AS same_user
FROM pg_roles r WHERE r.rolname = session_user
"""


def check_login(conn: Connection) -> None:
    """Refuse, with the fix, a connection whose session user could do more than read the
    NBA tables. Runs once per new connection (remembered in the connection's ``info``)."""
    if conn.info.get("nba_mcp_login_checked"):
        return
    found = conn.exec_driver_sql(_CHECK).one()
    conn.rollback()
    problems = [
        label
        for label, bad in (
            ("is a superuser", found.rolsuper),
            ("may create roles", found.rolcreaterole),
            ("may create databases", found.rolcreatedb),
            ("may replicate", found.rolreplication),
            ("bypasses row security", found.rolbypassrls),
            ("is a member of other roles", found.memberships),
            ("owns tables", found.owned),
            ("runs as another role", not found.same_user),
        )
        if bad
    ]
    extra = sorted(set(found.readable) - NBA_TABLES)
    if extra:
        problems.append(f"can read {', '.join(extra[:5])}")
    if problems:
        raise DependencyUnavailable(
            f"run_sql refuses to run as {found.rolname}: it {'; it '.join(problems)}. Give it "
            f"the read-only login that `nba-mcp db upgrade` creates ({READONLY_ROLE}) through "
            "NBA_MCP_SQL_DATABASE_URL (see docs/security.md)."
        )
    conn.info["nba_mcp_login_checked"] = True
