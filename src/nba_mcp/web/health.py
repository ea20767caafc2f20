"""``/health`` (liveness) and ``/ready`` (readiness), kept apart.

``/health`` answers from memory: a pod whose database is down is still alive and
must not be restarted for it. ``/ready`` really asks each dependency, each within
``ready_timeout_seconds``, concurrently:

- database (required): ``SELECT 1`` and the schema at the migrations' head;
- object store (required when ``NBA_MCP_S3_BUCKET`` is set): HEAD of the bucket;
- cache (optional, when ``NBA_MCP_REDIS_URL`` is set): PING; down -> ``degraded``.

A required dependency down gives 503 ``down``; only the cache down gives 200 ``degraded``.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

import anyio
import anyio.to_thread
from pydantic import BaseModel, Field
from sqlalchemy import Engine, text
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from nba_mcp import __version__
from nba_mcp.config import Settings
from nba_mcp.db.migrate import status as migration_status

if TYPE_CHECKING:
    import redis

log = logging.getLogger(__name__)


class Health(BaseModel):
    status: Literal["ok"] = "ok"
    version: str = Field(description="The running build's version.")
    uptime_seconds: float


class Component(BaseModel):
    status: Literal["ok", "down"]
    required: bool = Field(description="Whether the service is not ready without it.")
    latency_ms: float
    detail: str | None = Field(default=None, description="Why it is down.")


class Readiness(BaseModel):
    status: Literal["ok", "degraded", "down"] = Field(
        description="ok; degraded: only the optional cache is down (200); down: 503."
    )
    version: str
    components: dict[str, Component] = Field(
        description="database, and cache / object_store when configured."
    )


def health_endpoint(started: float) -> Callable[[Request], Any]:
    async def health(_request: Request) -> Response:
        """Liveness: the process answers. Touches no dependency."""
        body = Health(version=__version__, uptime_seconds=round(time.monotonic() - started, 3))
        return JSONResponse(body.model_dump())

    return health


@dataclass(frozen=True)
class Check:
    name: str
    required: bool
    probe: Callable[[], None]  # blocking; raises when the dependency is not usable


def checks(settings: Settings, engine: Engine, redis_client: redis.Redis | None) -> list[Check]:
    found = [Check("database", True, lambda: _database(engine))]
    if redis_client is not None:
        found.append(Check("cache", False, lambda: _redis(redis_client)))
    if settings.s3_bucket:
        probe = _object_store(settings)
        found.append(Check("object_store", True, probe))
    return found


def ready_endpoint(settings: Settings, all_checks: list[Check]) -> Callable[[Request], Any]:
    timeout = settings.ready_timeout_seconds
    # The probes' own threads: worker threads all busy with slow queries must not make a
    # healthy Redis look down because its probe waited for a thread.
    probes: list[anyio.CapacityLimiter] = []

    async def ready(_request: Request) -> Response:
        """Readiness: every dependency asked, concurrently, each within the timeout."""
        if not probes:
            probes.append(anyio.CapacityLimiter(2 * max(1, len(all_checks))))
        results: dict[str, Component] = {}
        async with anyio.create_task_group() as group:
            for check in all_checks:
                group.start_soon(_run, check, timeout, results, probes[0])
        if any(c.status == "down" and c.required for c in results.values()):
            overall: Literal["ok", "degraded", "down"] = "down"
        elif any(c.status == "down" for c in results.values()):
            overall = "degraded"
        else:
            overall = "ok"
        ordered = {check.name: results[check.name] for check in all_checks}
        body = Readiness(status=overall, version=__version__, components=ordered)
        return JSONResponse(body.model_dump(exclude_none=True), 503 if overall == "down" else 200)

    return ready


async def _run(
    check: Check, timeout: float, results: dict[str, Component], limiter: anyio.CapacityLimiter
) -> None:
    started = time.perf_counter()
    detail: str | None = None
    try:
        with anyio.fail_after(timeout):
            # A hung connect cannot be interrupted: give up on its thread, not the request.
            await anyio.to_thread.run_sync(check.probe, abandon_on_cancel=True, limiter=limiter)
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
    # message would put the server's address in this unauthenticated body.
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
    import boto3
    from botocore.config import Config

    timeout = settings.ready_timeout_seconds
    client = boto3.client(
        "s3",
        endpoint_url=settings.s3_endpoint_url or None,
        region_name=settings.s3_region,
        aws_access_key_id=_secret(settings.s3_access_key_id),
        aws_secret_access_key=_secret(settings.s3_secret_access_key),
        config=Config(connect_timeout=timeout, read_timeout=timeout, retries={"max_attempts": 1}),
    )
    bucket = settings.s3_bucket
    assert bucket is not None

    def probe() -> None:
        client.head_bucket(Bucket=bucket)

    return probe


def _secret(value: Any) -> str | None:
    return None if value is None else str(value.get_secret_value())
