"""What every command gets from the entry point: settings, and engines opened from them."""

from __future__ import annotations

from dataclasses import dataclass, field

import typer
from sqlalchemy import Engine

from nba_mcp.config import Settings
from nba_mcp.db.engine import make_engine
from nba_mcp.db.migrate import require_current


@dataclass
class AppContext:
    settings: Settings
    _engine: Engine | None = field(default=None, repr=False)

    def engine(self, *, require_schema: bool = True, serving: bool = False) -> Engine:
        """The database engine; by default checking the schema is current first.

        ``serving``: an engine for answering requests, whose statements time out on the
        server after ``db_statement_timeout_seconds`` (loads and migrations have none).
        """
        if self._engine is None:
            self._engine = make_engine(
                self.settings.resolved_database_url(),
                statement_timeout_seconds=(
                    self.settings.db_statement_timeout_seconds if serving else None
                ),
                network_timeout_seconds=self.settings.db_network_timeout_seconds,
            )
        if require_schema:
            require_current(self._engine)  # an unreachable database: exit 2 (cli/app.py)
        return self._engine

    def close(self) -> None:
        """Close the database connections this command opened."""
        if self._engine is not None:
            self._engine.dispose()
            self._engine = None


def app_context(ctx: typer.Context) -> AppContext:
    obj = ctx.find_root().obj
    assert isinstance(obj, AppContext)
    return obj
