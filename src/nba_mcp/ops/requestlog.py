"""Reading the ``request_log`` table by SQL for incidents and reports (never its writer)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import BaseModel
from sqlalchemy import Connection, Select, select

from nba_mcp.db.models import RequestLog, table_of

LOG = table_of(RequestLog)


class LoggedRequest(BaseModel):
    started_at: dt.datetime
    request_id: str
    key_name: str | None
    method: str
    route: str
    tool: str | None
    status: int
    latency_ms: float


def recent_errors(conn: Connection, *, since: dt.datetime, limit: int = 20) -> list[LoggedRequest]:
    """The newest requests answered 5xx since ``since``."""
    query = (
        _columns()
        .where(LOG.c.started_at >= since, LOG.c.status >= 500)
        .order_by(LOG.c.started_at.desc(), LOG.c.id.desc())
        .limit(limit)
    )
    return [LoggedRequest.model_validate(dict(r)) for r in conn.execute(query).mappings()]


def slowest(conn: Connection, *, since: dt.datetime, limit: int = 10) -> list[LoggedRequest]:
    """The slowest requests since ``since``."""
    query = (
        _columns()
        .where(LOG.c.started_at >= since)
        .order_by(LOG.c.latency_ms.desc(), LOG.c.id)
        .limit(limit)
    )
    return [LoggedRequest.model_validate(dict(r)) for r in conn.execute(query).mappings()]


def _columns() -> Select[Any]:
    c = LOG.c
    return select(c.started_at, c.request_id, c.key_name, c.method, c.route, c.tool, c.status,
                  c.latency_ms)  # fmt: skip
