"""The whole content of a database, to show that a load changed nothing."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine, select, text

from nba_mcp.db.models import Base

Snapshot = dict[str, list[tuple[Any, ...]]]


def snapshot(engine: Engine) -> Snapshot:
    """Every row of every table (and the schema revision), in primary-key order."""
    content: Snapshot = {}
    with engine.connect() as conn:
        for table in Base.metadata.sorted_tables:
            rows = conn.execute(select(table).order_by(*table.primary_key.columns))
            content[table.name] = [tuple(row) for row in rows]
        version = conn.execute(text("SELECT version_num FROM alembic_version"))
        content["alembic_version"] = [tuple(row) for row in version]
    return content


def row_counts(content: Snapshot) -> dict[str, int]:
    return {table: len(rows) for table, rows in content.items()}
