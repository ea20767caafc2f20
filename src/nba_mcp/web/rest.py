"""The REST mirror of the MCP tools under ``/v1``: one route per tool, no logic of its own.

A route gathers the tool's arguments from the path, the query string (GET) or a JSON
object body (POST), validates them with the tool's own argument model (the one MCP
uses), calls the registered tool function (which calls ``queries/`` and counts in
``tool_calls_total{tool}``), and returns its structured result: the very JSON an MCP
client gets in ``structuredContent``.

Route -> tool: ``route.name`` is the tool's name, and :data:`ROUTE_TOOLS` maps each
route template to its tool (the security layer maps a route to its tool's scope).
"""

from __future__ import annotations

import functools
import json
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, Literal

import anyio.to_thread
from mcp.server.mcpserver import MCPServer
from mcp.server.mcpserver.exceptions import ToolError
from mcp.server.mcpserver.tools import Tool
from mcp_types import CallToolResult
from pydantic import ValidationError
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from nba_mcp.web import problems


@dataclass(frozen=True)
class RestRoute:
    """How one tool is reached over HTTP."""

    method: Literal["GET", "POST"]
    path: str
    tool: str
    rename: dict[str, str] = field(default_factory=dict)  # HTTP name -> tool argument
    hidden: frozenset[str] = frozenset()  # tool arguments the route does not take

    def http_name(self, argument: str) -> str:
        return next((k for k, v in self.rename.items() if v == argument), argument)


ROUTES: tuple[RestRoute, ...] = (
    RestRoute("GET", "/v1/players/search", "find_player"),
    RestRoute("GET", "/v1/players/{player}/season", "player_season_stats", hidden=frozenset({"mode"})),
    RestRoute("GET", "/v1/players/{player}/games", "player_game_log"),
    RestRoute("GET", "/v1/players/{player}/splits/{split}", "player_splits"),
    RestRoute("GET", "/v1/compare", "compare_players"),
    RestRoute("GET", "/v1/teams/search", "find_team", rename={"name": "name_or_abbreviation"}),
    RestRoute("GET", "/v1/teams/{team}/season", "team_season_stats"),
    RestRoute("GET", "/v1/standings", "standings"),
    RestRoute("GET", "/v1/head-to-head", "head_to_head"),
    RestRoute("GET", "/v1/games", "list_games"),
    RestRoute("GET", "/v1/games/{game_id}", "game_box_score", hidden=frozenset({"date", "team"})),
    RestRoute("GET", "/v1/leaders/{stat}", "league_leaders"),
    RestRoute("POST", "/v1/metrics/{metric}", "calculate_metric"),
    RestRoute("GET", "/v1/schema", "describe_schema"),
    RestRoute("POST", "/v1/sql", "run_sql"),
)  # fmt: skip

ROUTE_TOOLS: dict[str, str] = {route.path: route.tool for route in ROUTES}
"""Route template -> the MCP tool it mirrors (and whose scope it needs)."""

JSON_TYPES = ("application/json",)


def registered_tool(server: MCPServer, name: str) -> Tool:
    """The tool as the MCP server registered it: argument model, function, schemas."""
    tool = server._tool_manager.get_tool(name)  # the SDK has no public accessor yet
    if tool is None:
        raise LookupError(f"The MCP server has no tool {name!r} for the REST route.")
    return tool


def array_arguments(tool: Tool) -> frozenset[str]:
    """Arguments whose schema is an array: repeated query parameters (``?players=A&players=B``)."""
    names = set()
    for name, prop in tool.parameters.get("properties", {}).items():
        options = prop.get("anyOf", [prop])
        if any(option.get("type") == "array" for option in options):
            names.add(name)
    return frozenset(names)


def build_routes(server: MCPServer) -> list[Route]:
    """One Starlette route per :data:`ROUTES` entry, named after its tool."""
    return [
        Route(spec.path, _endpoint(spec, registered_tool(server, spec.tool)),
              methods=[spec.method], name=spec.tool)
        for spec in ROUTES
    ]  # fmt: skip


def _endpoint(spec: RestRoute, tool: Tool) -> Callable[[Request], Awaitable[Response]]:
    arrays = array_arguments(tool)
    accepted = set(tool.parameters.get("properties", {})) - spec.hidden

    async def endpoint(request: Request) -> Response:
        rid = problems.request_id_of(request)
        if spec.method == "GET":
            arguments = _query_arguments(request, spec, accepted, arrays)
        else:
            body = await _json_object(request)
            if isinstance(body, Response):
                return body
            arguments = {k: v for k, v in body.items() if k in accepted}
        arguments.update({spec.rename.get(k, k): v for k, v in request.path_params.items()})
        try:
            validated = tool.fn_metadata.validate_arguments(arguments)
        except ValidationError as exc:
            return problems.validation_problem(exc, request_id=rid)
        try:
            result = await anyio.to_thread.run_sync(functools.partial(tool.fn, **validated))
        except Exception as exc:
            answer = problems.from_exception(_domain_error(exc), request)
            if answer is None:
                raise
            return answer
        assert isinstance(result, CallToolResult)
        return JSONResponse(result.structured_content)

    endpoint.__name__ = spec.tool
    endpoint.__doc__ = tool.description
    return endpoint


def _query_arguments(
    request: Request, spec: RestRoute, accepted: set[str], arrays: frozenset[str]
) -> dict[str, Any]:
    """The tool's arguments from the query string; unknown parameters are ignored."""
    arguments: dict[str, Any] = {}
    for key in dict.fromkeys(request.query_params.keys()):
        name = spec.rename.get(key, key)
        if name not in accepted or name in request.path_params:
            continue
        values = request.query_params.getlist(key)
        arguments[name] = values if name in arrays else values[-1]
    return arguments


async def _json_object(request: Request) -> dict[str, Any] | Response:
    """The body as a JSON object, or the problem (415, 400, 422) saying why not."""
    rid = problems.request_id_of(request)
    media_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media_type not in JSON_TYPES and not media_type.endswith("+json"):
        return problems.problem(
            415, f"Send a JSON object with Content-Type application/json, not {media_type!r}.",
            request_id=rid,
        )  # fmt: skip
    raw = await request.body()
    try:
        body = json.loads(raw) if raw.strip() else {}
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        return problems.problem(
            400, f"The body is not valid JSON: {exc}", request_id=rid, slug="malformed-json"
        )
    if not isinstance(body, dict):
        return problems.problem(
            422, "The body must be a JSON object of the tool's arguments.", request_id=rid
        )
    return body


def _domain_error(exc: Exception) -> BaseException:
    """The error a tool error stands for: :func:`nba_mcp.mcp.tooling.tool` raises
    ``ToolError`` from the domain error (its ``__cause__``)."""
    if isinstance(exc, ToolError) and exc.__cause__ is not None:
        return exc.__cause__
    return exc
