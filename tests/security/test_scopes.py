"""Tool -> scope: run_sql needs sql, synthesize synthesize, the rest read; admin all."""

from __future__ import annotations

import json

import pytest
from mcp import Client
from starlette.applications import Starlette
from starlette.routing import Mount, Route

from nba_mcp.catalog import CATALOG
from nba_mcp.catalog.spec import Services
from nba_mcp.db.engine import make_engine
from nba_mcp.errors import InvalidInput
from nba_mcp.mcp.server import build_server
from nba_mcp.security.scopes import (
    allows,
    mcp_scope,
    parse_scopes,
    path_scope,
    required_scope,
    route_scope_for,
)
from tests.security.apps import ok, settings


@pytest.mark.anyio
async def test_every_registered_tool_needs_read_but_run_sql() -> None:
    engine = make_engine("sqlite://")
    try:
        async with Client(build_server(Services(settings(), engine))) as client:
            names = {t.name for t in (await client.list_tools()).tools}
    finally:
        engine.dispose()
    assert names == {spec.name for spec in CATALOG}
    assert {n: required_scope(n) for n in names if required_scope(n) != "read"} == {
        "run_sql": "sql",
        "synthesize": "synthesize",
    }
    assert required_scope("synthesize") == "synthesize"


@pytest.mark.parametrize(
    ("granted", "required", "allowed"),
    [
        (("read",), "read", True),
        (("read",), "sql", False),
        (("sql",), "read", True),
        (("synthesize",), "sql", False),
        (("admin",), "sql", True),
        (("admin",), "admin", True),
        (("read", "sql", "synthesize"), "admin", False),
    ],
)
def test_allows(granted: tuple[str, ...], required: str, allowed: bool) -> None:
    assert allows(granted, required) is allowed  # type: ignore[arg-type]


def test_scopes_parse_into_canonical_order() -> None:
    assert parse_scopes(" sql, read,sql ") == ("read", "sql")
    with pytest.raises(InvalidInput, match="choose from read, sql, synthesize, admin"):
        parse_scopes("write")


def test_rest_paths_and_named_routes() -> None:
    app = Starlette(
        routes=[
            Route("/v1/query", ok, methods=["POST"], name="run_sql"),
            Mount("/v1/x", routes=[Route("/ask", ok, methods=["POST"], name="synthesize")]),
            Route("/v1/standings", ok, name="standings"),
        ]
    )
    scope_for = route_scope_for(app)

    def needed(method: str, path: str) -> str:
        return scope_for({"type": "http", "method": method, "path": path, "root_path": ""})

    assert needed("POST", "/v1/query") == "sql"
    assert needed("POST", "/v1/x/ask") == "synthesize"
    assert needed("GET", "/v1/standings") == "read"
    assert needed("POST", "/v1/sql") == "sql"  # no route: the path rule still holds
    assert (path_scope("/v1/sqlite"), path_scope("/v1/sql/x")) == ("read", "sql")


def call(name: object) -> dict[str, object]:
    return {"jsonrpc": "2.0", "id": 1, "method": "tools/call", "params": {"name": name}}


def test_mcp_bodies() -> None:
    def scope(document: object) -> tuple[str, str | None]:
        return mcp_scope(json.dumps(document).encode())

    assert scope(call("run_sql")) == ("sql", "run_sql")
    assert scope(call("find_player")) == ("read", "find_player")
    assert scope([call("find_player"), call("synthesize")]) == (
        "synthesize",
        "find_player,synthesize",
    )
    assert scope({"jsonrpc": "2.0", "id": 1, "method": "initialize"}) == ("read", None)
    assert scope(call(42)) == ("read", None)
    assert scope("just a string") == ("read", None)
    assert mcp_scope(b"") == ("read", None)
    with pytest.raises(InvalidInput):
        mcp_scope(b"\xff{")
