"""The one ASGI application that ``nba-mcp serve --transport http`` runs.

====================  ==========================================================
``/mcp``              MCP over streamable HTTP, stateless, JSON responses (a plain
                      ``tools/call`` answered by :mod:`nba_mcp.mcp.fastpath`)
``/v1/...``           the REST mirror of every catalogue tool (:mod:`nba_mcp.web.rest`)
``/openapi.json``     OpenAPI 3.1 of the REST routes (:mod:`nba_mcp.web.openapi`)
``/health``           liveness; ``/ready`` readiness (:mod:`nba_mcp.web.health`)
``/metrics``          Prometheus text format, summed over workers when multiprocess
====================  ==========================================================

This module composes the two surfaces: ``/mcp`` from :mod:`nba_mcp.mcp`, everything
else from :mod:`nba_mcp.web`; both call the tool catalogue, neither the other.
No session lives in the process, so any number of replicas and workers can serve.
:func:`build_app` takes settings and an engine (tests, one worker);
:func:`create_app` is the factory uvicorn's workers import (``--workers N``).
"""

from __future__ import annotations

import inspect
import logging
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING

import anyio.to_thread
from mcp.server.transport_security import TransportSecuritySettings
from sqlalchemy import Engine
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from nba_mcp import readiness, security
from nba_mcp.catalog.spec import Services
from nba_mcp.config import Settings
from nba_mcp.db import freshness
from nba_mcp.mcp.fastpath import ToolCallFastPath
from nba_mcp.mcp.server import build_server
from nba_mcp.observability import metrics
from nba_mcp.redis_client import connect_redis
from nba_mcp.result_cache import ResultCache
from nba_mcp.security.bind import is_loopback
from nba_mcp.web import health, middleware, openapi, problems, rest

if TYPE_CHECKING:
    from redis import Redis

log = logging.getLogger(__name__)

ShutdownHook = Callable[[], Awaitable[None] | None]
#: The host names the MCP SDK guards against DNS rebinding on its own.
LOOPBACK_NAMES = ("127.0.0.1", "localhost", "::1")


def build_app(settings: Settings, engine: Engine, *, host: str = "127.0.0.1") -> Starlette:
    """The HTTP service over the database behind ``engine``.

    ``app.state`` holds ``settings``, ``engine``, ``read_engine`` (the read replica's
    when ``NBA_MCP_DATABASE_READ_URL`` is set, else ``engine``), ``redis`` (a client, or
    None when ``NBA_MCP_REDIS_URL`` is unset) and ``shutdown_hooks``: callables (sync or
    async) run in order after in-flight requests have drained.
    """
    from nba_mcp.db.engine import make_read_engine

    redis_client = connect_redis(settings)
    reads = make_read_engine(
        settings,
        engine,
        pool_size=settings.worker_threads,
        statement_timeout_seconds=settings.db_statement_timeout_seconds,
        network_timeout_seconds=settings.db_network_timeout_seconds,
    )
    cache = ResultCache.from_settings(settings, engine=engine, redis=redis_client)
    services = Services(settings=settings, engine=reads, cache=cache, primary=engine)
    server = build_server(services)
    transport_security = _transport_security(settings, host)
    mcp_app = server.streamable_http_app(
        stateless_http=True,
        json_response=True,
        transport_security=transport_security,
        host=host,
        max_request_body_size=settings.max_body_bytes,
    )
    mcp_routes = list(mcp_app.routes)
    if settings.mcp_fast_path:
        mcp_routes = [_fast_tool_calls(route, services, transport_security, settings)
                      for route in mcp_routes]  # fmt: skip
    document = openapi.openapi_document()

    async def openapi_json(_request: Request) -> Response:
        return JSONResponse(document)

    def scrape() -> tuple[bytes, str]:
        freshness.observe_data_freshness(engine)
        freshness.observe_backup_freshness(engine)
        return metrics.render()

    async def metrics_text(_request: Request) -> Response:
        body, content_type = await anyio.to_thread.run_sync(scrape)
        return Response(body, media_type=content_type)

    routes: list[BaseRoute] = [
        Route("/health", health.health_endpoint(time.monotonic()), methods=["GET"]),
        Route("/ready", health.ready_endpoint(settings, readiness.checks(
            settings, engine, redis_client, read_engine=reads)),
              methods=["GET"]),
        Route("/metrics", metrics_text, methods=["GET"]),
        Route("/openapi.json", openapi_json, methods=["GET"]),
        *mcp_routes,
        *rest.build_routes(services),
    ]  # fmt: skip

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        anyio.to_thread.current_default_thread_limiter().total_tokens = settings.worker_threads
        async with server.session_manager.run():
            yield
        await _run_hooks(app.state.shutdown_hooks)
        cache.close()
        if redis_client is not None:
            redis_client.close()
        if reads is not engine:
            reads.dispose()

    app = Starlette(
        routes=routes,
        middleware=[
            Middleware(middleware.RequestContext, routes=routes),
            Middleware(middleware.BodyLimit, limit=settings.max_body_bytes),
        ],
        exception_handlers=dict(problems.EXCEPTION_HANDLERS),
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.engine = engine
    app.state.read_engine = reads
    app.state.redis = redis_client
    app.state.shutdown_hooks = []
    _install_security(app, settings, engine, redis_client, cache)
    return app


def create_app() -> Starlette:
    """The factory each uvicorn worker calls: settings from the environment (NBA_MCP_*)."""
    from nba_mcp.db.engine import make_engine
    from nba_mcp.observability.logging import configure_logging

    settings = Settings()
    configure_logging(settings.log_level, json_lines=settings.log_json)
    middleware.configure_access_log(json_root=settings.log_json, enabled=settings.access_log)
    # A connection for every worker thread and the request-log writer: a smaller pool
    # opens and closes an overflow connection per request under load.
    engine = make_engine(
        settings.resolved_database_url(),
        pool_size=settings.worker_threads + 2,
        statement_timeout_seconds=settings.db_statement_timeout_seconds,
        network_timeout_seconds=settings.db_network_timeout_seconds,
    )
    return build_app(settings, engine, host=settings.host)


def _fast_tool_calls(
    route: BaseRoute,
    services: Services,
    security: TransportSecuritySettings | None,
    settings: Settings,
) -> BaseRoute:
    """The SDK's ``/mcp`` route with :class:`~nba_mcp.mcp.fastpath.ToolCallFastPath` in
    front of its endpoint (any other route as it is)."""
    if not isinstance(route, Route) or route.path != "/mcp":
        return route
    fast = ToolCallFastPath(
        route.endpoint, services, security=security, max_body_bytes=settings.max_body_bytes
    )
    return Route("/mcp", endpoint=fast, methods=route.methods, name=route.name)


def _transport_security(settings: Settings, host: str) -> TransportSecuritySettings | None:
    """Loopback: the SDK's DNS-rebinding protection. Beyond it: the configured hosts.

    For the loopback names the SDK protects by itself, its settings are spelt out here,
    so that the fast path of :mod:`nba_mcp.mcp.fastpath` checks the very same ones.
    """
    if is_loopback(host):
        if host not in LOOPBACK_NAMES:
            return None
        return TransportSecuritySettings(
            enable_dns_rebinding_protection=True,
            allowed_hosts=["127.0.0.1:*", "localhost:*", "[::1]:*"],
            allowed_origins=["http://127.0.0.1:*", "http://localhost:*", "http://[::1]:*"],
        )
    return TransportSecuritySettings(
        enable_dns_rebinding_protection=bool(settings.allowed_hosts),
        allowed_hosts=settings.allowed_hosts,
        allowed_origins=settings.allowed_origins,
    )


def _install_security(
    app: Starlette,
    settings: Settings,
    engine: Engine,
    redis_client: Redis | None,
    cache: ResultCache,
) -> None:
    """API keys, scopes, rate limits and the request log (:func:`nba_mcp.security.install`).

    Their middleware goes inside :class:`~nba_mcp.web.middleware.RequestContext`, so a
    401 or 429 still carries a request id, a metric and an access-log line.
    """
    security.install(app, settings=settings, engine=engine, redis=redis_client, cache=cache)
    ours: list[object] = [middleware.RequestContext, middleware.BodyLimit]
    app.user_middleware.sort(key=lambda m: ours.index(m.cls) if m.cls in ours else len(ours))


async def _run_hooks(hooks: list[ShutdownHook]) -> None:
    for hook in hooks:
        try:
            outcome = hook()
            if inspect.isawaitable(outcome):
                await outcome
        except Exception:
            log.exception("shutdown hook %r failed", hook)
