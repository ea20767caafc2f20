"""ASGI middleware of the HTTP service: pure ASGI (no per-request task), outermost first.

:class:`RequestContext` gives every request an id (``X-Request-ID``, echoed back),
measures it (``http_requests_total``, ``http_request_duration_seconds`` by route
TEMPLATE), writes one JSON access-log line to the ``nba_mcp.access`` logger and turns
an unexpected exception into a 500 problem carrying only the request id.
:class:`BodyLimit` refuses bodies over ``max_body_bytes`` with 413.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Sequence
from typing import Any

from starlette.datastructures import MutableHeaders
from starlette.routing import BaseRoute, Match
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from nba_mcp.asgi import fresh_request_id
from nba_mcp.observability import metrics
from nba_mcp.web import problems

access_log = logging.getLogger("nba_mcp.access")
log = logging.getLogger(__name__)

REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{1,128}$")
UNMATCHED = "unmatched"


class BodyTooLarge(Exception):
    """The request body exceeds ``max_body_bytes``."""


def request_id(header: str | None) -> str:
    """The caller's ``X-Request-ID`` when it is safe to log and echo, else a fresh one."""
    if header and REQUEST_ID.match(header):
        return header
    return fresh_request_id()


def route_template(scope: Scope, routes: Sequence[BaseRoute]) -> str:
    """The route's template (``/v1/players/{player}/season``), never the raw path."""
    route = scope.get("route")
    if route is None:  # answered before routing (a 413 on Content-Length): match it here
        route = next((r for r in routes if r.matches(scope)[0] is not Match.NONE), None)
    path = getattr(route, "path", None)
    return path if isinstance(path, str) else UNMATCHED


class RequestContext:
    def __init__(self, app: ASGIApp, routes: Sequence[BaseRoute] = ()) -> None:
        self.app = app
        self.routes = routes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        headers = dict(scope.get("headers") or [])
        rid = request_id(headers.get(b"x-request-id", b"").decode("latin-1") or None)
        scope.setdefault("state", {})["request_id"] = rid
        sent: dict[str, Any] = {"status": 500, "bytes": 0, "started": False}

        async def send_wrapper(message: Message) -> None:
            if message["type"] == "http.response.start":
                sent["status"] = message["status"]
                sent["started"] = True
                MutableHeaders(scope=message)["X-Request-ID"] = rid
            elif message["type"] == "http.response.body":
                sent["bytes"] += len(message.get("body", b""))
            await send(message)

        try:
            await self.app(scope, receive, send_wrapper)
        except BodyTooLarge:
            if sent["started"]:
                raise
            await _problem(scope, receive, send_wrapper, 413, "The request body is too large.")
        except Exception:
            log.exception(
                "unhandled error in %s %s (request %s)", scope["method"], scope["path"], rid
            )
            if sent["started"]:
                raise
            detail = f"An unexpected error occurred; quote request id {rid}."
            await _problem(scope, receive, send_wrapper, 500, detail)
        finally:
            self._record(scope, rid, sent, time.perf_counter() - started)

    def _record(self, scope: Scope, rid: str, sent: dict[str, Any], elapsed: float) -> None:
        route = route_template(scope, self.routes)
        method = scope["method"]
        metrics.HTTP_REQUESTS.labels(method=method, route=route, status=str(sent["status"])).inc()
        metrics.HTTP_DURATION.labels(method=method, route=route).observe(elapsed)
        if not access_log.isEnabledFor(logging.INFO):
            return
        state = scope.get("state", {})
        access_log.info(
            "%s %s %s", method, route, sent["status"],
            extra={
                "request_id": rid, "key_name": state.get("key_name"), "method": method,
                "route": route, "path": scope["path"], "status": sent["status"],
                "latency_ms": round(elapsed * 1000, 2), "bytes": sent["bytes"],
            },
        )  # fmt: skip


async def _problem(scope: Scope, receive: Receive, send: Send, status: int, detail: str) -> None:
    rid = scope.get("state", {}).get("request_id")
    response = problems.problem(status, detail, request_id=rid)
    await response(scope, receive, send)


class BodyLimit:
    """413 for a body over ``limit`` bytes: at once from Content-Length, else while reading."""

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        for name, value in scope["headers"]:
            if name == b"content-length" and value.isdigit() and int(value) > self.limit:
                raise BodyTooLarge
        seen = 0

        async def limited() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.limit:
                    raise BodyTooLarge
            return message

        await self.app(scope, limited, send)


def configure_access_log(*, json_root: bool, enabled: bool = True) -> None:
    """The access log is JSON lines on stderr whatever the root logger's format and level:
    when the root already writes JSON it simply propagates there, else it gets its own
    handler. ``enabled=False`` (``NBA_MCP_ACCESS_LOG=false``) silences it."""
    from nba_mcp.observability.logging import JsonFormatter

    access_log.setLevel(logging.INFO if enabled else logging.CRITICAL + 1)
    if json_root:
        access_log.propagate = True
        access_log.handlers.clear()
        return
    handler = logging.StreamHandler()
    handler.setFormatter(JsonFormatter())
    access_log.handlers[:] = [handler]
    access_log.propagate = False
