"""A stateless ``tools/call`` answered straight from the tool catalogue.

The SDK serves a stateless streamable-HTTP request by building a transport, a
dispatcher, a connection and a task per request, then dispatching the message through
its middleware to the tool. For the call that is nearly all of our traffic (one
``tools/call`` POST, answered as JSON) that machinery costs several times the answer
itself. :class:`ToolCallFastPath` sits in front of the SDK's ``/mcp`` endpoint and
answers such a call with :func:`nba_mcp.mcp.tools.call`, the very function the SDK's
registered tool runs, so the result is the same JSON; a repeated call is answered from
the result cache's :class:`~nba_mcp.result_cache.WireCache` on the event loop, and a
call a tool answers from memory is run on the event loop too (:mod:`nba_mcp.db.nowait`),
the rest in a worker thread.

Everything else goes to the SDK unchanged: other methods (``initialize``,
``tools/list``, resources, prompts, notifications), batches, a tool that reports
progress, a call asking for progress, tools the catalogue does not have, a session
id, a protocol version outside the handshake versions, a request the SDK would refuse
(``Accept``, ``Content-Type``, DNS-rebinding protection) and any body that is not
exactly a JSON-RPC ``tools/call`` request. ``tests/mcp/test_fastpath.py`` sends every
catalogue tool through both paths and compares the answers.
"""

from __future__ import annotations

import functools
import json
import logging
import time
from collections.abc import Mapping
from typing import Any

from mcp.server.transport_security import TransportSecurityMiddleware, TransportSecuritySettings
from mcp_types.version import HANDSHAKE_PROTOCOL_VERSIONS
from starlette.requests import Request
from starlette.types import ASGIApp, Receive, Scope, Send

from nba_mcp.asgi import replay
from nba_mcp.catalog import BY_NAME
from nba_mcp.catalog.invoke import count_call
from nba_mcp.catalog.spec import AnyTool, Services
from nba_mcp.db import nowait
from nba_mcp.jsonbody import canonical_json
from nba_mcp.mcp.tools import call, wire_json

log = logging.getLogger(__name__)

JSON = "application/json"
#: ``params`` members a plain call may have; anything else is the SDK's to interpret.
CALL_PARAMS = frozenset({"name", "arguments", "_meta"})
HEADERS = [(b"content-type", JSON.encode())]
#: The headers the SDK's transport security reads, and how many passes to remember.
SECURITY_HEADERS = (b"content-type", b"host", b"origin")
MAX_REMEMBERED_PASSES = 64
#: The wire form of every call served here: only handshake-era requests come this way.
HANDSHAKE_ERA = HANDSHAKE_PROTOCOL_VERSIONS[-1]


class ToolCallFastPath:
    """ASGI app for ``/mcp``; see the module's docstring."""

    def __init__(
        self,
        sdk: ASGIApp,
        services: Services,
        *,
        security: TransportSecuritySettings | None,
        max_body_bytes: int,
    ) -> None:
        self.sdk = sdk
        self.services = services
        self.security = TransportSecurityMiddleware(security) if security is not None else None
        self.max_body_bytes = max_body_bytes
        self._passed: set[tuple[bytes | None, ...]] = set()

    async def _secure(self, scope: Scope) -> bool:
        """Whether the request passes the SDK's Content-Type and DNS-rebinding checks.

        They read only the first Content-Type, Host and Origin headers, so a pass is
        remembered for those values (a few dozen at most: anything else is asked again).
        """
        if self.security is None:
            return True
        key = _first(scope, SECURITY_HEADERS)
        if key in self._passed:
            return True
        if await self.security.validate_request(Request(scope), is_post=True) is not None:
            return False
        if len(self._passed) < MAX_REMEMBERED_PASSES:
            self._passed.add(key)
        return True

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "POST" or not _plain(scope):
            await self.sdk(scope, receive, send)
            return
        if not await self._secure(scope):  # the SDK refuses it in its own words
            await self.sdk(scope, receive, send)
            return
        body, more = await _body(receive, self.max_body_bytes)
        if body is None:  # the client left
            return
        found = None if more else _tool_call(body)
        if found is None:
            await self.sdk(scope, replay(body, receive, more=more), send)
            return
        request_id, spec, arguments = found
        result = await self._result(spec, arguments)
        if result is None:
            await self.sdk(scope, replay(body, receive), send)
            return
        wire_id = (
            b"%d" % request_id if isinstance(request_id, int) else json.dumps(request_id).encode()
        )
        envelope = b'{"jsonrpc":"2.0","id":%s,"result":%s}' % (wire_id, result)
        await send({"type": "http.response.start", "status": 200, "headers": HEADERS})
        await send({"type": "http.response.body", "body": envelope})

    async def _result(self, spec: AnyTool, arguments: Mapping[str, Any]) -> bytes | None:
        """The call's result as JSON, or None if the SDK should answer it after all."""
        wire = self.services.cache.wire if self.services.cache and spec.cached else None
        key = f"mcp:{spec.name}:{canonical_json(arguments)}"
        if wire is not None:
            started = time.perf_counter()
            kept = wire.get(key)
            if kept is not None:
                count_call(spec.name, "ok", started)
                return kept
        version = wire.version() if wire is not None else None
        try:
            result, ok = await nowait.run(
                functools.partial(self._answer, spec, arguments), from_memory=spec.from_memory
            )
        except Exception:  # not one of ours: the SDK answers it its way
            log.exception("fast path of %s failed; the SDK answers", spec.name)
            return None
        if ok and wire is not None:
            wire.put(key, version, result)
        return result

    def _answer(self, spec: AnyTool, arguments: Mapping[str, Any]) -> tuple[bytes, bool]:
        answer = call(self.services, spec, arguments)
        return wire_json(answer, HANDSHAKE_ERA), not answer.is_error


def _plain(scope: Scope) -> bool:
    """Whether the headers are those of a call the SDK answers in a JSON response with
    no session: JSON body and accepted, no session id, a handshake-era protocol version."""
    content_type = accept = version = None
    for name, value in scope["headers"]:
        if name == b"content-type":
            content_type = value
        elif name == b"accept":
            accept = value
        elif name == b"mcp-protocol-version":
            version = value
        elif name == b"mcp-session-id":
            return False
    if content_type is None or content_type.split(b";")[0].strip().lower() != JSON.encode():
        return False
    if version is not None and version.decode("latin-1") not in HANDSHAKE_PROTOCOL_VERSIONS:
        return False
    accepted = {t.split(b";")[0].strip().lower() for t in (accept or b"").split(b",")}
    return bool(accepted & {b"application/json", b"application/*", b"*/*"})


def _first(scope: Scope, names: tuple[bytes, ...]) -> tuple[bytes | None, ...]:
    """The first value of each header in ``names`` (None where absent), as Starlette reads them."""
    found: dict[bytes, bytes] = {}
    for name, value in scope["headers"]:
        if name in names:
            found.setdefault(name, value)
    return tuple(found.get(name) for name in names)


def _tool_call(body: bytes) -> tuple[int | str, AnyTool, Mapping[str, Any]] | None:
    """(id, tool, arguments) of a plain JSON-RPC ``tools/call`` of a catalogue tool."""
    try:
        message = json.loads(body)
    except ValueError:
        return None
    if not isinstance(message, dict) or set(message) != {"jsonrpc", "id", "method", "params"}:
        return None
    request_id, params = message["id"], message["params"]
    if (
        message["jsonrpc"] != "2.0"
        or message["method"] != "tools/call"
        or isinstance(request_id, bool)
        or not isinstance(request_id, int | str)
        or not isinstance(params, dict)
        or not set(params) <= CALL_PARAMS
    ):
        return None
    meta = params.get("_meta", {})
    if not isinstance(meta, dict) or "progressToken" in meta:
        return None
    spec = BY_NAME.get(params.get("name"))  # type: ignore[arg-type]
    arguments = params.get("arguments", {})
    if spec is None or spec.reports_progress or not isinstance(arguments, dict):
        return None
    return request_id, spec, arguments


async def _body(receive: Receive, limit: int) -> tuple[bytes | None, bool]:
    """(the body read so far, whether more follows): whole unless it grew past ``limit``;
    None if the client disconnected."""
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] != "http.request":
            return None, False
        chunk = message.get("body", b"")
        chunks.append(chunk)
        size += len(chunk)
        more = bool(message.get("more_body", False))
        if not more or size > limit:
            return b"".join(chunks), more
