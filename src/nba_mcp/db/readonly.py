"""The PostgreSQL role that ``run_sql`` reads as: ``SELECT`` on the data and nothing else.

:func:`ensure_readonly_role` runs after every migration (``nba-mcp db upgrade``).
"""

from __future__ import annotations

import re
from typing import Final

from sqlalchemy import Engine, inspect, text
from sqlalchemy.exc import DBAPIError

from nba_mcp.db.models import PRIVATE_TABLES
from nba_mcp.errors import DependencyUnavailable, InvalidInput

READONLY_ROLE: Final = "nba_mcp_readonly"
ROLE_NAME = re.compile(r"[a-z_][a-z0-9_]{0,62}")


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


def ensure_readonly_role(engine: Engine, role: str = READONLY_ROLE) -> None:
    """Create (idempotently) the PostgreSQL role ``run_sql`` reads as; a no-op on SQLite.

    The role cannot log in; it has ``USAGE`` on the current schema, ``SELECT``
    on every table in it and, through default privileges, on the tables the
    connecting user creates there later. The connecting user becomes a member
    so that it may ``SET ROLE`` to it. Needs a user that may create roles.
    """
    if engine.dialect.name != "postgresql":
        return
    check_role_name(role)
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
                    if sqlstate(exc) not in ("42710", "23505"):
                        raise
            schema = conn.execute(text("SELECT current_schema()")).scalar_one()
            schema_id = '"' + str(schema).replace('"', '""') + '"'
            conn.exec_driver_sql(f'GRANT USAGE ON SCHEMA {schema_id} TO "{role}"')
            conn.exec_driver_sql(f'GRANT SELECT ON ALL TABLES IN SCHEMA {schema_id} TO "{role}"')
            conn.exec_driver_sql(
                f'ALTER DEFAULT PRIVILEGES IN SCHEMA {schema_id} GRANT SELECT ON TABLES TO "{role}"'
            )
            # The service's own tables (API key hashes, the request log) are not NBA data.
            present = set(inspect(conn).get_table_names(schema=str(schema)))
            for table in sorted(PRIVATE_TABLES & present):
                conn.exec_driver_sql(f'REVOKE SELECT ON {schema_id}."{table}" FROM "{role}"')
            member = conn.execute(
                text("SELECT pg_has_role(current_user, :role, 'MEMBER')"), {"role": role}
            ).scalar_one()
            if not member:
                conn.exec_driver_sql(f'GRANT "{role}" TO CURRENT_USER')
    except DBAPIError as exc:
        if unavailable(exc):
            raise DependencyUnavailable(f"Cannot reach the database: {exc.orig}") from None
        raise DependencyUnavailable(
            f"Cannot set up the read-only role {role}: {exc.orig}"
        ) from None


# ---------------------------------------------------------------------------
# JSON
