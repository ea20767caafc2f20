"""The freshness gauges, read from the database at each scrape of ``/metrics``: the
latest game loaded and the last successful backup (both written by other processes)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Engine, text
from sqlalchemy.exc import SQLAlchemyError

from nba_mcp.observability import metrics


def observe_data_freshness(engine: Engine) -> None:
    """Set ``data_latest_game_timestamp_seconds`` from the database (called per scrape, so a
    load by another process shows at once); a database that cannot answer leaves it as is."""
    try:
        with engine.connect() as conn:
            latest = conn.execute(text("SELECT MAX(game_date) FROM games")).scalar()
    except SQLAlchemyError:
        return
    if latest is None:
        return
    day = latest if isinstance(latest, dt.date) else dt.date.fromisoformat(str(latest))
    metrics.DATA_LATEST_GAME.set(
        dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC).timestamp()
    )


def observe_backup_freshness(engine: Engine) -> None:
    """Set ``backup_last_success_timestamp_seconds`` from the ``backup_runs`` ledger (called
    per scrape: backups run in other processes); a database that cannot answer leaves it."""
    try:
        with engine.connect() as conn:
            latest = conn.execute(
                text("SELECT MAX(finished_at) FROM backup_runs WHERE action = 'create' AND ok")
            ).scalar()
    except SQLAlchemyError:
        return
    if latest is None:
        return
    when = latest if isinstance(latest, dt.datetime) else dt.datetime.fromisoformat(str(latest))
    if when.tzinfo is None:  # SQLite keeps no zone; the ledger writes UTC
        when = when.replace(tzinfo=dt.UTC)
    metrics.BACKUP_LAST_SUCCESS.set(when.timestamp())
