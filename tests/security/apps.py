"""A small Starlette app behind :class:`AuthMiddleware`, shaped like the real one: open
probes, REST routes named after their tools, and an ``/mcp`` that echoes its body."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Route
from starlette.testclient import TestClient

from nba_mcp.config import Settings
from nba_mcp.security.middleware import AuthMiddleware
from nba_mcp.security.ratelimit import RateLimiter
from nba_mcp.security.request_log import RequestLogWriter
from nba_mcp.security.scopes import route_scope_for
from tests.security.helpers import Clock


async def ok(_request: Request) -> Response:
    return PlainTextResponse("ok")


async def echo(request: Request) -> Response:
    body = await request.body()
    return JSONResponse({"key_name": request.state.key_name, "body": body.decode()})


ROUTES = [
    Route("/health", ok),
    Route("/ready", ok),
    Route("/metrics", ok),
    Route("/v1/players/search", echo, name="find_player"),
    Route("/v1/players/{player}/season", echo, name="player_season_stats"),
    Route("/v1/sql", echo, methods=["POST"], name="run_sql"),
    Route("/v1/ask", echo, methods=["POST"], name="synthesize"),
    Route("/mcp", echo, methods=["GET", "POST"]),
]


def settings(**values: Any) -> Settings:
    """Test settings; keys are checked against the database on every request unless a
    test asks for the short-lived memory of verified keys (``auth_cache_seconds``)."""
    values.setdefault("environment", "test")
    values.setdefault("auth_cache_seconds", 0)
    return Settings(_env_file=None, **values)


def client(
    engine: Engine,
    clock: Clock,
    *,
    limiter: RateLimiter | None = None,
    invalid_keys: RateLimiter | None = None,
    request_log: RequestLogWriter | None = None,
    **values: Any,
) -> TestClient:
    app = Starlette(routes=ROUTES)
    app.add_middleware(
        AuthMiddleware,
        engine=engine,
        settings=settings(**values),
        limiter=limiter,
        invalid_keys=invalid_keys,
        request_log=request_log,
        scope_for=route_scope_for(app),
        clock=clock,
    )
    return TestClient(app)


def bearer(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


def tools_call(name: str) -> dict[str, Any]:
    return {"jsonrpc": "2.0", "id": 1, "method": "tools/call",
            "params": {"name": name, "arguments": {}}}  # fmt: skip
