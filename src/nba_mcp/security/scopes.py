"""Which scope each tool and route needs, and what a key's scopes allow.

``read`` covers every tool that reads NBA data; ``sql`` is needed for
``run_sql``, ``synthesize`` for ``synthesize`` (both also grant ``read``, since
a client that may run SQL or synthesis must also initialise an MCP session and
list tools); ``admin`` grants everything, ``/metrics`` when it is protected
included.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Mapping
from typing import Any, Final, TypeAlias, cast, get_args

from starlette.routing import Match, Mount, Route
from starlette.types import ASGIApp
from starlette.types import Scope as AsgiScope

from nba_mcp.errors import InvalidInput
from nba_mcp.jsonbody import parse_json
from nba_mcp.scopes import Scope

SCOPES: Final[tuple[Scope, ...]] = get_args(Scope)


@functools.cache
def tool_scopes() -> Mapping[str, Scope]:
    """Tools that need more than ``read``, from the catalogue; every other tool needs ``read``.
    (Read at the first request: the catalogue loads every query, which a command such as
    ``nba-mcp keys list`` should not pay for.)"""
    from nba_mcp.catalog import CATALOG

    return {spec.name: spec.scope for spec in CATALOG if spec.scope != "read"}


#: Scopes that include others (``admin`` includes all of them).
IMPLIED: Final[Mapping[Scope, frozenset[Scope]]] = {
    "read": frozenset({"read"}),
    "sql": frozenset({"sql", "read"}),
    "synthesize": frozenset({"synthesize", "read"}),
    "admin": frozenset(SCOPES),
}
#: How strict a scope is: the strictest of several needed scopes wins.
_RANK: Final[Mapping[Scope, int]] = {"read": 0, "sql": 1, "synthesize": 1, "admin": 2}
#: REST paths whose tool needs more than ``read``, when no route names the tool.
PATH_SCOPES: Final[tuple[tuple[str, Scope], ...]] = (
    ("/v1/sql", "sql"),
    ("/v1/run_sql", "sql"),
    ("/v1/synthesize", "synthesize"),
)

ScopeFor: TypeAlias = Callable[[AsgiScope], Scope]


def required_scope(tool: str) -> Scope:
    """The scope a call of ``tool`` needs."""
    return tool_scopes().get(tool, "read")


def allows(granted: Iterable[str], required: Scope) -> bool:
    """Whether a key holding ``granted`` may do what needs ``required``."""
    return any(required in IMPLIED.get(cast(Scope, s), frozenset()) for s in granted)


def parse_scopes(text: str) -> tuple[Scope, ...]:
    """``"read,sql"`` -> ``("read", "sql")``, in canonical order; unknown names refused."""
    names = {part.strip() for part in text.split(",") if part.strip()}
    unknown = sorted(names - set(SCOPES))
    if unknown or not names:
        raise InvalidInput(
            f"Unknown scope(s) {', '.join(unknown) or '(none given)'}: "
            f"choose from {', '.join(SCOPES)}."
        )
    return tuple(s for s in SCOPES if s in names)


def strictest(scopes: Iterable[Scope]) -> Scope:
    return max(scopes, key=lambda s: _RANK[s], default="read")


def path_scope(path: str) -> Scope:
    """The default rule for REST paths: ``/v1/sql`` needs ``sql``, ... , others ``read``."""
    for prefix, scope in PATH_SCOPES:
        if path == prefix or path.startswith(prefix + "/"):
            return scope
    return "read"


KNOWN_PATHS = 4096


def route_scope_for(app: ASGIApp | None) -> ScopeFor:
    """A ``scope_for`` that finds the REST route a request goes to and, when the route is
    named after its tool (``Route(..., name="run_sql")``), asks for that tool's scope;
    the stricter of that and :func:`path_scope` wins."""
    routes = list(getattr(app, "routes", []) or [])
    # Matching a path against every route costs more than a cached answer: the scope of
    # a (method, path) is remembered, for a bounded number of them.
    known: dict[tuple[str, str], Scope] = {}

    def scope_for(scope: AsgiScope) -> Scope:
        key = (scope.get("method", ""), scope.get("path", ""))
        found = known.get(key)
        if found is None:
            tool = _route_name(routes, scope)
            named = required_scope(tool) if tool else "read"
            found = strictest((named, path_scope(key[1])))
            if len(known) >= KNOWN_PATHS:
                known.clear()
            known[key] = found
        return found

    return scope_for


def _route_name(routes: list[Any], scope: AsgiScope) -> str | None:
    for route in routes:
        if not isinstance(route, Route | Mount):
            continue
        match, child = route.matches(scope)
        if match != Match.FULL:
            continue
        if isinstance(route, Mount):
            inner = {**scope, **child}
            return _route_name(list(route.routes), inner)
        return route.name
    return None


def mcp_scope(body: bytes) -> tuple[Scope, str | None]:
    """The scope a JSON-RPC body sent to ``/mcp`` needs, and the tool(s) it calls.

    A ``tools/call`` needs its tool's scope; anything else (initialize,
    tools/list, ...) needs ``read``; a batch needs the strictest of its calls.
    An empty body (GET, DELETE) needs ``read``. A body that is not JSON is
    refused with :class:`InvalidInput` rather than guessed at, so that no
    parser difference can let a call through with too little scope.
    """
    if not body.strip():
        return "read", None
    message = parse_json(body, what="The body of an MCP request")
    messages = message if isinstance(message, list) else [message]
    needed: list[Scope] = ["read"]
    tools: list[str] = []
    for item in messages:
        if not isinstance(item, dict) or item.get("method") != "tools/call":
            continue
        params = item.get("params")
        name = params.get("name") if isinstance(params, dict) else None
        if isinstance(name, str):
            tools.append(name)
            needed.append(required_scope(name))
    return strictest(needed), ",".join(tools)[:64] or None
