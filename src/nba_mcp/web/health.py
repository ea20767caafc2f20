"""``/health`` (liveness) and ``/ready`` (readiness), kept apart.

``/health`` answers from memory: a pod whose database is down is still alive and
must not be restarted for it. ``/ready`` runs the dependency checks of
:mod:`nba_mcp.readiness` (the same ones ``nba-mcp ops health`` runs: database, the read
replica when there is one, object store, cache): a required dependency down gives 503
``down``; only the cache down gives 200 ``degraded``. Each run sets
``nba_mcp_dependency_up{dependency}``.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any, Literal

from pydantic import BaseModel, Field
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from nba_mcp import __version__
from nba_mcp.config import Settings
from nba_mcp.readiness import Check, Component, Status, overall, run_checks


class Health(BaseModel):
    status: Literal["ok"] = "ok"
    version: str = Field(description="The running build's version.")
    uptime_seconds: float


class Readiness(BaseModel):
    status: Status = Field(
        description="ok; degraded: only the optional cache is down (200); down: 503."
    )
    version: str
    components: dict[str, Component] = Field(
        description="database, and database_read / cache / object_store when configured."
    )


def health_endpoint(started: float) -> Callable[[Request], Any]:
    async def health(_request: Request) -> Response:
        """Liveness: the process answers. Touches no dependency."""
        body = Health(version=__version__, uptime_seconds=round(time.monotonic() - started, 3))
        return JSONResponse(body.model_dump())

    return health


def ready_endpoint(settings: Settings, all_checks: list[Check]) -> Callable[[Request], Any]:
    timeout = settings.ready_timeout_seconds

    async def ready(_request: Request) -> Response:
        """Readiness: every dependency asked, concurrently, each within the timeout."""
        components = await run_checks(all_checks, timeout=timeout)
        state = overall(components)
        body = Readiness(status=state, version=__version__, components=components)
        return JSONResponse(body.model_dump(exclude_none=True), 503 if state == "down" else 200)

    return ready
