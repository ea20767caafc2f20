"""The one translation of "the database cannot be reached" into the product's error."""

from __future__ import annotations

from sqlalchemy.exc import OperationalError

from nba_mcp.errors import DependencyUnavailable

MESSAGE = "The database is unavailable."


def database_unavailable(exc: OperationalError) -> DependencyUnavailable:
    """The error every surface reports (MCP ``isError``, HTTP 503, CLI exit 2) for a
    database it cannot reach. The driver's first line (which may name hosts) is kept
    as ``detail`` for operators, never shown to a remote caller."""
    reason = str(exc.orig).strip().splitlines()[0] if exc.orig is not None else None
    return DependencyUnavailable(MESSAGE, detail=reason or None)
