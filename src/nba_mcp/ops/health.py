"""``nba-mcp ops health``: one report of everything an operator checks each morning.

Locally (from the settings): the dependency checks of ``/ready`` (:mod:`nba_mcp.readiness`,
the very same code), data freshness, the last successful backup and its age, free disk
space of the data directory. Against a deployment (``url``): ``/health``, ``/ready`` and
``/metrics`` over HTTP, the freshness and backup age read from the metrics. With kubectl:
pods, the HPA and warning events too. Overall: ``down`` when a required check is down,
``degraded`` when any check is not ok, else ``ok`` (exit codes 2, 1, 0).
"""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Callable
from typing import TYPE_CHECKING

import anyio
from pydantic import BaseModel, Field
from sqlalchemy import Engine, text

from nba_mcp.config import Settings
from nba_mcp.ops import kube, ledger
from nba_mcp.ops.findings import Finding, Status, timed
from nba_mcp.readiness import checks, run_checks

if TYPE_CHECKING:
    from redis import Redis

LOW_DISK_FRACTION = 0.10
EXIT_CODES: dict[str, int] = {"ok": 0, "degraded": 1, "down": 2}


class HealthReport(BaseModel):
    status: Status
    target: str = Field(description="local (the settings) or the URL checked.")
    checked_at: dt.datetime
    checks: list[Finding]

    @property
    def exit_code(self) -> int:
        return EXIT_CODES[self.status]


def local_health(*, settings: Settings, engine: Engine) -> HealthReport:
    """The report from this machine's settings: dependencies, data, backups, disk."""
    from nba_mcp.db.engine import make_read_engine
    from nba_mcp.redis_client import connect_redis

    redis_client = connect_redis(settings)
    reads = make_read_engine(
        settings, engine, network_timeout_seconds=settings.db_network_timeout_seconds
    )
    try:
        found = anyio.run(_readiness, settings, engine, redis_client, reads)
    finally:
        if redis_client is not None:
            redis_client.close()
        if reads is not engine:
            reads.dispose()
    database_up = next(f for f in found if f.name == "database").status == "ok"
    if database_up:
        found.append(timed("data_freshness", lambda: _freshness(engine)))
        found.append(timed("last_backup", lambda: _backup_age(engine, settings)))
    found.append(timed("disk", lambda: _disk(settings)))
    found += kube_findings(settings)
    return _report("local", found)


def remote_health(*, settings: Settings, url: str, api_key: str | None = None) -> HealthReport:
    """The report of a running deployment at ``url`` (HTTP only), plus kubectl checks."""
    from nba_mcp.ops.remote import remote_findings

    found = remote_findings(url=url.rstrip("/"), settings=settings, api_key=api_key)
    found += kube_findings(settings)
    return _report(url, found)


def kube_findings(settings: Settings) -> list[Finding]:
    """The guide's pod, HPA and event checks; nothing when kubectl is not available."""
    program = kube.find(settings)
    if program is None:
        return []
    namespace = settings.kube_namespace
    probes: dict[str, Callable[[], tuple[bool, str]]] = {
        "k8s_pods": lambda: kube.pods(program, namespace),
        "k8s_hpa": lambda: kube.hpa(program, namespace),
        "k8s_events": lambda: kube.warning_events(program, namespace, since=dt.timedelta(hours=1)),
    }
    return [timed(name, _verdict(probe)) for name, probe in probes.items()]


async def _readiness(
    settings: Settings, engine: Engine, redis_client: Redis | None, reads: Engine
) -> list[Finding]:
    components = await run_checks(
        checks(settings, engine, redis_client, read_engine=reads),
        timeout=settings.ready_timeout_seconds,
    )
    return [
        Finding(name=name, latency_ms=c.latency_ms, detail=c.detail or "answers",
                status="ok" if c.status == "ok" else "down" if c.required else "degraded")
        for name, c in components.items()
    ]  # fmt: skip


def _verdict(probe: Callable[[], tuple[bool, str]]) -> Callable[[], tuple[Status, str]]:
    def run() -> tuple[Status, str]:
        good, detail = probe()
        return ("ok" if good else "degraded"), detail

    return run


def _freshness(engine: Engine) -> tuple[Status, str]:
    with engine.connect() as conn:
        latest = conn.execute(text("SELECT MAX(game_date) FROM games")).scalar()
    if latest is None:
        return "degraded", "no game loaded"
    return "ok", f"latest game {latest}"


def _backup_age(engine: Engine, settings: Settings) -> tuple[Status, str]:
    last = ledger.last_success(engine)
    if last is None:
        return "degraded", "no successful backup recorded"
    age = dt.datetime.now(dt.UTC) - last.finished_at
    hours = age.total_seconds() / 3600
    detail = f"{last.backup_id}, {hours:.1f} h ago"
    return ("ok" if hours <= settings.backup_max_age_hours else "degraded"), detail


def _disk(settings: Settings) -> tuple[Status, str]:
    directory = settings.data_dir if settings.data_dir.exists() else settings.data_dir.parent
    usage = shutil.disk_usage(directory.resolve())
    free = usage.free / usage.total
    detail = f"{usage.free / 2**30:.1f} GiB free ({free:.0%}) at {directory}"
    return ("ok" if free >= LOW_DISK_FRACTION else "degraded"), detail


def _report(target: str, found: list[Finding]) -> HealthReport:
    if any(f.status == "down" for f in found):
        status: Status = "down"
    elif any(f.status != "ok" for f in found):
        status = "degraded"
    else:
        status = "ok"
    return HealthReport(status=status, target=target, checked_at=dt.datetime.now(dt.UTC),
                        checks=found)  # fmt: skip
