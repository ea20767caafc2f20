"""Housekeeping the guide asks for: the request log's retention, and a copy of the
deployment's ConfigMaps (``kubectl get configmap -o yaml``)."""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path

from pydantic import BaseModel
from sqlalchemy import Engine, delete

from nba_mcp.config import Settings
from nba_mcp.db.models import RequestLog, table_of
from nba_mcp.errors import DependencyUnavailable
from nba_mcp.ops import kube

log = logging.getLogger(__name__)
LOG = table_of(RequestLog)


class Pruned(BaseModel):
    deleted: int
    before: dt.datetime


def prune_request_log(*, engine: Engine, retention_days: int, now: dt.datetime) -> Pruned:
    """Delete the request-log rows older than ``retention_days`` before ``now``."""
    cutoff = now - dt.timedelta(days=retention_days)
    with engine.begin() as conn:
        deleted = conn.execute(delete(LOG).where(LOG.c.started_at < cutoff)).rowcount
    log.info("request log: %d rows before %s deleted", deleted, cutoff.isoformat())
    return Pruned(deleted=deleted, before=cutoff)


def backup_configmaps(*, settings: Settings, directory: Path, now: dt.datetime) -> Path:
    """Write the namespace's ConfigMaps as YAML to ``directory``; needs kubectl."""
    program = kube.find(settings)
    if program is None:
        raise DependencyUnavailable(
            f"kubectl ({settings.kubectl_path or 'unset'}) is not on the PATH: "
            "set NBA_MCP_KUBECTL_PATH."
        )
    text = kube.kubectl(
        program, "get", "configmap", "-o", "yaml", namespace=settings.kube_namespace
    )
    directory.mkdir(parents=True, exist_ok=True)
    target = directory / f"configmaps-{now:%Y%m%dT%H%M%SZ}.yaml"
    target.write_text(text)
    return target
