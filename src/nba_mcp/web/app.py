"""The ASGI application that ``nba-mcp serve --transport http`` runs.

MCP is served at ``/mcp`` over streamable HTTP in stateless mode: no session
lives in the process, so any number of replicas can sit behind a load balancer.
"""

from __future__ import annotations

import time

from mcp.server.transport_security import TransportSecuritySettings
from sqlalchemy import Engine
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from nba_mcp import __version__
from nba_mcp.config import Settings
from nba_mcp.mcp.server import build_server

LOOPBACK = ("127.0.0.1", "localhost", "::1")


def build_app(settings: Settings, engine: Engine, *, host: str = "127.0.0.1") -> Starlette:
    """The MCP server's Starlette app with ``/health`` added."""
    server = build_server(settings, engine)
    started = time.monotonic()

    async def health(_request: Request) -> Response:
        """Liveness: the process answers. Touches no dependency."""
        return JSONResponse(
            {
                "status": "ok",
                "version": __version__,
                "uptime_seconds": round(time.monotonic() - started, 3),
            }
        )

    security = None
    if host not in LOOPBACK:
        security = TransportSecuritySettings(
            enable_dns_rebinding_protection=bool(settings.allowed_hosts),
            allowed_hosts=settings.allowed_hosts,
            allowed_origins=settings.allowed_origins,
        )
    app = server.streamable_http_app(
        stateless_http=True,
        json_response=True,
        transport_security=security,
        host=host,
    )
    app.add_route("/health", health, methods=["GET"])
    return app
