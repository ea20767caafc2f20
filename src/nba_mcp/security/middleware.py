"""The ASGI middleware in front of the API: API keys, scopes, rate limits, request log.

A pure ASGI middleware (no ``BaseHTTPMiddleware``): responses stream through
untouched. ``/health``, ``/ready`` and the API's description are open;
``/metrics`` needs an ``admin`` key when ``metrics_require_key`` is set; OAuth discovery
paths (``/.well-known/...``) pass, to be answered 404 (there is no OAuth here);
everything else (``/v1/...``, ``/mcp``) needs ``Authorization: Bearer <key>``
with the scope of the tool called: for ``/v1`` from the route, for ``/mcp``
from the JSON-RPC body (buffered, bounded, then replayed to the app).

While no key exists and ``requires_auth()`` is false (development), requests
without a key pass. Refusals are 401 (with ``WWW-Authenticate``), 403, 429
(with ``Retry-After``), 400/413 for an unreadable MCP body, 503 when the
database is down: problem+json on ``/v1`` and ``/metrics``; on ``/mcp`` a
JSON-RPC error (``application/json``) whose message is the same detail and whose
``data`` is the same problem document, because MCP clients show a JSON-RPC
error's message and drop any other body (the Python SDK then raises
``MCPError`` with it, not a bare ``ExceptionGroup``). A 401's detail says what
to send and how a key is made. Nothing here ever logs a key or its hash.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Final

import anyio.to_thread
from sqlalchemy import Engine
from starlette.types import ASGIApp, Message, Receive, Send
from starlette.types import Scope as AsgiScope

from nba_mcp.asgi import fresh_request_id, replay
from nba_mcp.config import Settings
from nba_mcp.errors import DependencyUnavailable, InvalidInput
from nba_mcp.observability.metrics import AUTH_FAILURES, RATE_LIMITED
from nba_mcp.scopes import Scope
from nba_mcp.security.bind import is_loopback
from nba_mcp.security.key_cache import AuthCache
from nba_mcp.security.keys import AuthFailure, any_active_key, authenticate, utcnow
from nba_mcp.security.ratelimit import RateLimiter
from nba_mcp.security.request_log import RequestEntry, RequestLogWriter
from nba_mcp.security.scopes import SCOPES, ScopeFor, allows, mcp_scope, path_scope

log = logging.getLogger("nba_mcp.auth")

OPEN_PATHS: Final = frozenset({"/health", "/ready", "/openapi.json"})
#: Where OAuth clients look for an authorization server (RFC 8414, RFC 9728, OpenID
#: discovery), at the root and under ``/mcp``. The server has none, so these pass to the
#: app, which has no route there: a 404 at once tells a client such as ``mcp-remote``
#: that there is no OAuth here, where a 401 would read as "sign in first" (and count as
#: an authentication failure).
DISCOVERY_PREFIXES: Final = ("/.well-known/", "/mcp/.well-known/")
#: What a client without a valid key should do, in every 401's detail.
KEY_HELP: Final = (
    "send the header Authorization: Bearer <key>, with a key made by "
    "nba-mcp keys create --name NAME --scopes read (see docs/security.md)"
)
#: JSON-RPC error codes of an MCP request refused before the server saw it: a body that
#: is not JSON is the protocol's parse error; every other refusal is a server-defined one.
MCP_PARSE_ERROR: Final = -32700
MCP_REFUSED: Final = -32001
TITLES: Final = {400: "Bad Request", 401: "Unauthorized", 403: "Forbidden",
                 413: "Content Too Large", 429: "Too Many Requests",
                 503: "Service Unavailable"}  # fmt: skip


@dataclass(frozen=True)
class Refusal:
    status: int
    detail: str
    reason: str | None = None  # the auth_failures_total label, for 401 and 403
    headers: dict[str, str] = field(default_factory=dict)
    key_name: str | None = None  # set when the key was identified (expired, revoked)


@dataclass(frozen=True)
class Admitted:
    key_name: str | None  # None: no key needed (development, no key exists)
    scopes: tuple[Scope, ...]


#: What a request without a key is admitted as while no key is needed.
OPEN: Final = Admitted(key_name=None, scopes=SCOPES)


class AuthMiddleware:
    """See the module's docstring."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        engine: Engine,
        settings: Settings,
        limiter: RateLimiter | None = None,
        invalid_keys: RateLimiter | None = None,
        request_log: RequestLogWriter | None = None,
        scope_for: ScopeFor | None = None,
        clock: Callable[[], dt.datetime] = utcnow,
    ) -> None:
        self.app = app
        self.engine = engine
        self.settings = settings
        self.limiter = limiter
        self.invalid_keys = invalid_keys
        self.request_log = request_log
        self.scope_for: ScopeFor = scope_for or (lambda scope: path_scope(scope["path"]))
        self.clock = clock
        self.verified: AuthCache[Admitted] = AuthCache(settings.auth_cache_seconds)

    async def __call__(self, scope: AsgiScope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not self._protected(scope["path"]):
            await self.app(scope, receive, send)
            return
        started, started_at = time.perf_counter(), self.clock()
        state = scope.setdefault("state", {})
        outcome = {"status": 500, "bytes": 0}
        tool: str | None = None

        async def measured(message: Message) -> None:
            if message["type"] == "http.response.start":
                outcome["status"] = message["status"]
            elif message["type"] == "http.response.body":
                outcome["bytes"] += len(message.get("body", b""))
            await send(message)

        body: bytes | None = None
        try:
            needed, tool, receive, body = await self._needed(scope, receive)
            verdict = await self._in_thread(scope, needed)
        except InvalidInput as exc:  # an MCP body that is not JSON
            verdict = Refusal(400, exc.message)
        except _TooLarge:
            verdict = Refusal(413, f"The body is larger than {self.settings.max_body_bytes} bytes.")
        try:
            if isinstance(verdict, Admitted):
                state["key_name"] = verdict.key_name
                await self.app(scope, receive, measured)
            else:
                self._refused(scope, verdict)
                if _is_mcp(scope["path"]):
                    await _mcp_error(measured, verdict, body)
                else:
                    await _problem(measured, verdict)
        finally:
            self._record(scope, state, started, started_at, tool, outcome)

    def _protected(self, path: str) -> bool:
        if path == "/metrics":
            return self.settings.metrics_require_key
        return path not in OPEN_PATHS and not path.startswith(DISCOVERY_PREFIXES)

    async def _needed(
        self, scope: AsgiScope, receive: Receive
    ) -> tuple[Scope, str | None, Receive, bytes | None]:
        """The scope needed, the tool called, the receive to pass on and, for an MCP
        POST, its body (read here, then replayed to the app)."""
        path = scope["path"]
        if path == "/metrics":
            return "admin", None, receive, None
        if _is_mcp(path) and scope["method"] == "POST":
            body = await _read_body(receive, self.settings.max_body_bytes)
            needed, tool = mcp_scope(body)
            return needed, tool, replay(body, receive), body
        if _is_mcp(path):
            return "read", None, receive, None
        return self.scope_for(scope), None, receive, None

    async def _in_thread(self, scope: AsgiScope, needed: Scope) -> Admitted | Refusal:
        """Authentication and the rate limit do blocking I/O: one hop to a thread for both,
        unless neither needs any (a recently verified key and an in-process limiter)."""
        client = scope.get("client")
        who = client[0] if client else "unknown"
        token = _bearer(_header(scope, b"authorization"))
        # Looked up once: an entry expiring between two lookups would put the database
        # check on the event loop.
        remembered = self.verified.get(token) if token is not None else None
        strict = scope["path"] == "/metrics"
        if token is None and not strict and self._open_without_asking():
            remembered = OPEN
        if remembered is not None and (self.limiter is None or not self.limiter.shared):
            return self._admit(token, remembered, needed, strict, who)
        return await anyio.to_thread.run_sync(self._admit, token, remembered, needed, strict, who)

    def _open_without_asking(self) -> bool:
        """Whether a request without a key passes, known without a database read: no key
        is required and, as recently checked, none exists (development)."""
        return not self.settings.requires_auth() and self.verified.known_any_key() is False

    def _admit(
        self, token: str | None, remembered: Admitted | None, needed: Scope, strict: bool,
        who: str,
    ) -> Admitted | Refusal:  # fmt: skip
        try:
            admitted = (
                remembered if remembered is not None else self._authenticate(token, strict, who)
            )
        except DependencyUnavailable as exc:
            return Refusal(503, exc.message)
        if isinstance(admitted, Refusal):
            return admitted
        # Every request of a key counts, refused ones (403) too. A request without a key
        # from this machine (development, no key exists) is not limited: it is the
        # developer's own load.
        if self.limiter is not None and not (admitted.key_name is None and is_loopback(who)):
            decision = self.limiter.take(admitted.key_name or f"anonymous:{who}")
            if not decision.allowed:
                RATE_LIMITED.inc()
                return Refusal(
                    429, f"Rate limit exceeded; retry in {decision.retry_after_header} s.",
                    headers={"retry-after": decision.retry_after_header},
                    key_name=admitted.key_name,
                )  # fmt: skip
        if not allows(admitted.scopes, needed):
            return Refusal(
                403, f"This key lacks the scope {needed!r} needed here.", reason="forbidden",
                headers={"www-authenticate": f'Bearer error="insufficient_scope", scope="{needed}"'},
                key_name=admitted.key_name,
            )  # fmt: skip
        return admitted

    def _authenticate(self, token: str | None, strict: bool, who: str) -> Admitted | Refusal:
        """Check ``token`` (not remembered) against the database, and remember it.

        An address that sent too many invalid keys gets 429 before any lookup: guessing
        keys costs the database nothing.
        """
        if token is None:
            if (
                not strict
                and not self.settings.requires_auth()
                and not self.verified.any_key(lambda: any_active_key(self.engine, now=self.clock()))
            ):
                return OPEN
            return _unauthorized("missing", f"An API key is needed: {KEY_HELP}.")
        if self.invalid_keys is not None:
            throttled = self.invalid_keys.peek(who)
            if not throttled.allowed:
                RATE_LIMITED.inc()
                return Refusal(
                    429, "Too many invalid API keys from this address; retry in "
                    f"{throttled.retry_after_header} s.", reason="throttled",
                    headers={"retry-after": throttled.retry_after_header},
                )  # fmt: skip
        try:
            principal = authenticate(self.engine, key=token, now=self.clock())
        except AuthFailure as failure:
            if self.invalid_keys is not None:
                self.invalid_keys.take(who)
            details = {"invalid": f"The API key is not valid: {KEY_HELP}.",
                       "expired": "The API key has expired: ask for a new one "
                                  "(nba-mcp keys create, or keys rotate NAME).",
                       "revoked": "The API key was revoked: ask for a new one "
                                  "(nba-mcp keys create).",
                       }  # fmt: skip
            return _unauthorized(failure.reason, details[failure.reason], failure.key_name)
        admitted = Admitted(key_name=principal.name, scopes=principal.scopes)
        self.verified.put(token, admitted)
        return admitted

    def _refused(self, scope: AsgiScope, refusal: Refusal) -> None:
        key_name = scope["state"]["key_name"] = refusal.key_name
        if refusal.reason is None:
            return
        AUTH_FAILURES.labels(reason=refusal.reason).inc()
        log.warning(
            "auth refused: %s %s reason=%s key_name=%s", scope["method"], scope["path"],
            refusal.reason, key_name or "-",
            extra={"auth_reason": refusal.reason, "key_name": key_name, "path": scope["path"]},
        )  # fmt: skip

    def _record(
        self,
        scope: AsgiScope,
        state: dict[str, object],
        started: float,
        started_at: dt.datetime,
        tool: str | None,
        outcome: dict[str, int],
    ) -> None:
        if self.request_log is None or scope["path"] == "/metrics":
            return
        request_id = (
            state.get("request_id") or _header(scope, b"x-request-id") or fresh_request_id()
        )
        key_name = state.get("key_name")
        self.request_log.record(
            RequestEntry(
                started_at=started_at, request_id=str(request_id)[:64],
                key_name=key_name if isinstance(key_name, str) else None,
                method=scope["method"][:8], route=scope["path"][:200], tool=tool,
                status=outcome["status"], bytes=outcome["bytes"],
                latency_ms=round((time.perf_counter() - started) * 1000, 3),
            )
        )  # fmt: skip


class _TooLarge(Exception):
    pass


def _unauthorized(reason: str, detail: str, key_name: str | None = None) -> Refusal:
    challenge = 'Bearer realm="nba-mcp"'
    if reason != "missing":
        challenge += ', error="invalid_token"'
    headers = {"www-authenticate": challenge}
    return Refusal(401, detail, reason=reason, headers=headers, key_name=key_name)


def _is_mcp(path: str) -> bool:
    return path == "/mcp" or path.startswith("/mcp/")


def _header(scope: AsgiScope, name: bytes) -> str | None:
    for key, value in scope.get("headers", []):
        if key.lower() == name:
            return bytes(value).decode("latin-1")
    return None


def _bearer(header: str | None) -> str | None:
    if header is None:
        return None
    scheme, _, token = header.strip().partition(" ")
    token = token.strip()
    return token if scheme.lower() == "bearer" and token else None


async def _read_body(receive: Receive, limit: int) -> bytes:
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] != "http.request":
            break
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > limit:
            raise _TooLarge
        chunks.append(chunk)
        if not message.get("more_body", False):
            break
    return b"".join(chunks)


def _document(refusal: Refusal) -> dict[str, object]:
    title = TITLES.get(refusal.status, "Error")
    return {"type": "about:blank", "title": title, "status": refusal.status,
            "detail": refusal.detail}  # fmt: skip


async def _problem(send: Send, refusal: Refusal) -> None:
    await _respond(send, refusal, _document(refusal), b"application/problem+json")


async def _mcp_error(send: Send, refusal: Refusal, request: bytes | None) -> None:
    """The refusal as a JSON-RPC error answering the request's id (``null`` when the body
    has none: a batch, a notification or no JSON at all)."""
    code = MCP_PARSE_ERROR if refusal.status == 400 else MCP_REFUSED
    error = {"code": code, "message": refusal.detail, "data": _document(refusal)}
    document = {"jsonrpc": "2.0", "id": _request_id(request), "error": error}
    await _respond(send, refusal, document, b"application/json")


def _request_id(body: bytes | None) -> str | int | None:
    try:
        message = json.loads(body) if body else None
    except ValueError:
        return None
    found = message.get("id") if isinstance(message, dict) else None
    return found if isinstance(found, str | int) and not isinstance(found, bool) else None


async def _respond(
    send: Send, refusal: Refusal, document: Mapping[str, object], content_type: bytes
) -> None:
    body = json.dumps(document).encode()
    headers = [(b"content-type", content_type),
               (b"content-length", str(len(body)).encode())]  # fmt: skip
    headers += [(k.encode(), v.encode()) for k, v in refusal.headers.items()]
    await send({"type": "http.response.start", "status": refusal.status, "headers": headers})
    await send({"type": "http.response.body", "body": body})
