"""API keys, scopes, rate limits and the request log, put in front of the HTTP app by
:func:`install`; the result cache goes on ``app.state.cache``. See docs/security.md.

Public API: :mod:`nba_mcp.security.keys` (create, list, revoke, rotate,
authenticate), :mod:`~nba_mcp.security.scopes` (tool -> scope),
:mod:`~nba_mcp.security.ratelimit`, :mod:`~nba_mcp.security.middleware`,
:mod:`~nba_mcp.security.request_log` (the writer and its retention),
:func:`~nba_mcp.security.bind.check_bind`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import Engine
from starlette.applications import Starlette

from nba_mcp.config import Settings
from nba_mcp.result_cache import ResultCache
from nba_mcp.security.bind import check_bind, is_loopback
from nba_mcp.security.middleware import AuthMiddleware
from nba_mcp.security.ratelimit import RateLimiter
from nba_mcp.security.request_log import RequestLogWriter
from nba_mcp.security.scopes import ScopeFor, route_scope_for

if TYPE_CHECKING:
    from redis import Redis

__all__ = ["AuthMiddleware", "check_bind", "install", "is_loopback"]


def install(
    app: Starlette,
    *,
    settings: Settings,
    engine: Engine,
    redis: Redis | None = None,
    scope_for: ScopeFor | None = None,
    cache: ResultCache | None = None,
) -> None:
    """Put the security layer on ``app`` (call before the app starts).

    Adds :class:`AuthMiddleware` (keys, scopes, rate limits, request log), sets
    ``app.state.cache`` (a :class:`ResultCache`), ``app.state.rate_limiter`` and
    ``app.state.request_log``, and registers the request log's ``close`` in
    ``app.state.shutdown_hooks`` so that SIGTERM flushes it. ``scope_for`` decides the
    scope of a ``/v1`` request; by default the route's name is its tool
    (:func:`route_scope_for`). Pass ``cache`` when the MCP server was built with one
    already, so that the app and its tools share it.
    """
    writer = RequestLogWriter(engine, retention_days=settings.request_log_retention_days)
    limiter = RateLimiter.from_settings(settings, redis=redis)
    hooks = getattr(app.state, "shutdown_hooks", None)
    if hooks is None:
        hooks = app.state.shutdown_hooks = []
    hooks.append(writer.close)
    app.state.cache = cache or ResultCache.from_settings(settings, engine=engine, redis=redis)
    app.state.rate_limiter = limiter
    app.state.request_log = writer
    app.add_middleware(
        AuthMiddleware,
        engine=engine,
        settings=settings,
        limiter=limiter,
        invalid_keys=RateLimiter.for_invalid_keys(settings, redis=redis),
        request_log=writer,
        scope_for=scope_for or route_scope_for(app),
    )
