"""The dependency checks behind ``/ready`` and ``nba-mcp ops health``, written once.

Each check really asks its dependency, within ``ready_timeout_seconds``, and all run
concurrently:

- database (required): ``SELECT 1`` and the schema at the migrations' head;
- database_read (required when ``NBA_MCP_DATABASE_READ_URL`` is set): the same on the
  read replica, where the tools read;
- object store (required when ``NBA_MCP_S3_BUCKET`` is set): HEAD of the bucket;
- cache (optional, when ``NBA_MCP_REDIS_URL`` is set): PING; down -> ``degraded``.

A required dependency down makes the whole ``down``; only optional ones down, ``degraded``.
Every run sets ``nba_mcp_dependency_up{dependency}`` (``database``, ``redis``,
``object_store``), which the alert rules ``NbaMcpDatabaseUnavailable`` and
``NbaMcpRedisUnavailable`` read.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

import anyio
import anyio.to_thread
from pydantic import BaseModel, Field
from sqlalchemy import Engine, text

from nba_mcp.config import Settings
from nba_mcp.db.migrate import status as migration_status
from nba_mcp.observability.metrics import DEPENDENCY_UP

if TYPE_CHECKING:
    import redis

log = logging.getLogger(__name__)

Status = Literal["ok", "degraded", "down"]


class Component(BaseModel):
    status: Literal["ok", "down"]
    required: bool = Field(description="Whether the service is not ready without it.")
    latency_ms: float
    detail: str | None = Field(default=None, description="Why it is down.")


@dataclass(frozen=True)
class Check:
    name: str
    required: bool
    probe: Callable[[], None]  # blocking; raises when the dependency is not usable
    dependency: str  # the label of nba_mcp_dependency_up it sets


def checks(
    settings: Settings,
    engine: Engine,
    redis_client: redis.Redis | None,
    *,
    read_engine: Engine | None = None,
) -> list[Check]:
    """The checks that apply under ``settings``: the database always, the others when set."""
    found = [Check("database", True, lambda: _database(engine), "database")]
    if read_engine is not None and read_engine is not engine:
        found.append(Check("database_read", True, lambda: _database(read_engine), "database"))
    if redis_client is not None:
        found.append(Check("cache", False, lambda: _redis(redis_client), "redis"))
    if settings.s3_bucket:
        found.append(Check("object_store", True, _object_store(settings), "object_store"))
    return found


async def run_checks(all_checks: Sequence[Check], *, timeout: float) -> dict[str, Component]:
    """Every check, concurrently, each cut at ``timeout``; results in the checks' order."""
    results: dict[str, Component] = {}
    # The probes' own threads: worker threads all busy with slow queries must not make a
    # healthy Redis look down because its probe waited for one of them.
    probes = anyio.CapacityLimiter(max(1, len(all_checks)))
    async with anyio.create_task_group() as group:
        for check in all_checks:
            group.start_soon(_run, check, timeout, results, probes)
    ordered = {check.name: results[check.name] for check in all_checks}
    _export(all_checks, ordered)
    return ordered


def _export(all_checks: Sequence[Check], results: dict[str, Component]) -> None:
    """``dependency_up``: 0 when any check of that dependency failed, else 1."""
    up: dict[str, bool] = {}
    for check in all_checks:
        ok = results[check.name].status == "ok"
        up[check.dependency] = up.get(check.dependency, True) and ok
    for dependency, ok in up.items():
        DEPENDENCY_UP.labels(dependency=dependency).set(1 if ok else 0)


def overall(components: dict[str, Component]) -> Status:
    """down when a required component is down, degraded when only optional ones are."""
    if any(c.status == "down" and c.required for c in components.values()):
        return "down"
    if any(c.status == "down" for c in components.values()):
        return "degraded"
    return "ok"


async def _run(
    check: Check, timeout: float, results: dict[str, Component], probes: anyio.CapacityLimiter
) -> None:
    started = time.perf_counter()
    detail: str | None = None
    try:
        with anyio.fail_after(timeout):
            # A hung connect cannot be interrupted: give up on its thread, not the caller.
            await anyio.to_thread.run_sync(check.probe, abandon_on_cancel=True, limiter=probes)
    except TimeoutError:
        detail = f"no answer within {timeout:g} s"
    except Exception as exc:
        detail = _reason(exc)
        log.warning("readiness: %s is down: %s", check.name, exc)
    latency = round((time.perf_counter() - started) * 1000, 2)
    results[check.name] = Component(
        status="down" if detail else "ok", required=check.required, latency_ms=latency,
        detail=detail,
    )  # fmt: skip


def _reason(exc: Exception) -> str:
    """A short reason without addresses or credentials: the type, or our own message."""
    from nba_mcp.errors import NbaMcpError

    if isinstance(exc, NbaMcpError):
        return exc.message
    return f"{type(exc).__name__} (see the service log)"


def _database(engine: Engine) -> None:
    from nba_mcp.errors import DependencyUnavailable

    # Reach the database first: its error is reported by type, while migration_status's
    # message would put the server's address in an unauthenticated body.
    with engine.connect() as conn:
        conn.execute(text("SELECT 1"))
    state = migration_status(engine)
    if not state.up_to_date:
        raise DependencyUnavailable(
            f"schema at {state.current or 'nothing'}, needs {state.head}: run `nba-mcp db upgrade`"
        )


def _redis(client: redis.Redis) -> None:
    if not client.ping():
        raise ConnectionError("PING failed")


def _object_store(settings: Settings) -> Callable[[], None]:
    from nba_mcp.objectstore import s3_client

    client = s3_client(settings, timeout=settings.ready_timeout_seconds)
    bucket = settings.s3_bucket
    assert bucket is not None

    def probe() -> None:
        client.head_bucket(Bucket=bucket)

    return probe
