"""The ``backup_runs`` ledger: every backup create, verify and restore, and its outcome."""

from __future__ import annotations

import datetime as dt
import logging

from pydantic import BaseModel
from sqlalchemy import Engine, insert, select
from sqlalchemy.exc import SQLAlchemyError

from nba_mcp.db.models import BackupRun, table_of

log = logging.getLogger(__name__)
RUNS = table_of(BackupRun)


class Run(BaseModel):
    backup_id: str
    action: str
    ok: bool
    store: str
    started_at: dt.datetime
    finished_at: dt.datetime
    size_bytes: int | None = None
    detail: str | None = None


def record(engine: Engine | None, run: Run) -> None:
    """Write ``run``; a ledger that cannot be written is logged, never fatal to the backup."""
    if engine is None:
        return
    try:
        with engine.begin() as conn:
            conn.execute(insert(RUNS).values(**run.model_dump() | {"detail": _cut(run.detail)}))
    except SQLAlchemyError as exc:
        log.warning("could not record the %s of backup %s: %s", run.action, run.backup_id, exc)


def last_success(engine: Engine, *, action: str = "create") -> Run | None:
    """The newest successful run of ``action``, or None."""
    query = (
        select(RUNS)
        .where(RUNS.c.action == action, RUNS.c.ok.is_(True))
        .order_by(RUNS.c.finished_at.desc(), RUNS.c.id.desc())
        .limit(1)
    )
    with engine.connect() as conn:
        row = conn.execute(query).mappings().first()
    if row is None:
        return None
    found = Run.model_validate({k: v for k, v in row.items() if k != "id"})
    return found.model_copy(update={"finished_at": _utc(found.finished_at),
                                    "started_at": _utc(found.started_at)})  # fmt: skip


def _utc(moment: dt.datetime) -> dt.datetime:
    return moment.replace(tzinfo=dt.UTC) if moment.tzinfo is None else moment


def _cut(detail: str | None) -> str | None:
    return None if detail is None else detail[:500]
