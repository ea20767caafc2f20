"""Alembic driven from code: ``nba-mcp db upgrade`` and ``nba-mcp db status``.

Migrations are a separate step (a pre-start job), never run on import.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine
from sqlalchemy.exc import OperationalError

from nba_mcp.db.errors import database_unavailable
from nba_mcp.db.readonly import ensure_readonly_role, login_password
from nba_mcp.errors import DependencyUnavailable

MIGRATIONS = Path(__file__).with_name("migrations")


def alembic_config(engine: Engine) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["engine"] = engine
    return config


@dataclass(frozen=True)
class MigrationStatus:
    current: str | None
    head: str
    pending: list[str]

    @property
    def up_to_date(self) -> bool:
        return not self.pending


def upgrade(engine: Engine, revision: str = "head", *, sql_url: str | None = None) -> None:
    """Bring the schema to ``revision`` (default: the newest), then make or repair the
    read-only login of ``run_sql`` (PostgreSQL), with the password of ``sql_url`` when
    that URL names it."""
    try:
        command.upgrade(alembic_config(engine), revision)
    except OperationalError as exc:
        raise database_unavailable(exc) from None
    ensure_readonly_role(engine, password=login_password(sql_url))


def status(engine: Engine) -> MigrationStatus:
    """Where the schema stands against the migrations shipped with this version."""
    script = ScriptDirectory.from_config(alembic_config(engine))
    try:
        with engine.connect() as connection:
            current = MigrationContext.configure(connection).get_current_revision()
    except OperationalError as exc:
        raise database_unavailable(exc) from None
    head = script.get_current_head()
    assert head is not None
    pending = [
        rev.revision
        for rev in reversed(list(script.walk_revisions(base="base", head="heads")))
        if current is None or rev.revision not in _applied(script, current)
    ]
    return MigrationStatus(current=current, head=head, pending=pending)


def _applied(script: ScriptDirectory, current: str) -> set[str]:
    return {rev.revision for rev in script.iterate_revisions(current, "base")}


def require_current(engine: Engine) -> None:
    """Fail fast, with the fix, when the schema is missing or behind."""
    state = status(engine)
    if not state.up_to_date:
        raise DependencyUnavailable(
            f"The database schema is at {state.current or 'nothing'}, this version needs "
            f"{state.head}. Run `nba-mcp db upgrade` first."
        )
