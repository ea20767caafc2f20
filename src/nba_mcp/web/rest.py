"""The REST mirror of the tool catalogue under ``/v1``: one route per tool, no logic of its own.

A route gathers the tool's arguments from the path, the query string (GET) or a JSON
object body (POST), calls :func:`nba_mcp.catalog.invoke.invoke` (which validates them
with the tool's model, answers from the result cache or ``queries/``, and counts in
``tool_calls_total{tool}``), and returns the structured result: the very JSON an MCP
client gets in ``structuredContent``. A repeated GET of a cached tool is answered from
the result cache's finished responses (:class:`~nba_mcp.result_cache.WireCache`) on
the event loop. Errors become problems in
:mod:`nba_mcp.web.problems`, with the catalogue's words.

A tool that draws (``chart``) answers with its picture, ``image/png``, unless the
request accepts ``application/json`` and not ``image/png``: then with the plotted series.

Each route is named after its tool (``route.name``), which is how the security layer
finds the scope a request needs.
"""

from __future__ import annotations

import base64
import functools
import json
import time
from collections.abc import Awaitable, Callable
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from nba_mcp.catalog import CATALOG, context
from nba_mcp.catalog.invoke import count_call, invoke
from nba_mcp.catalog.spec import AnyTool, Services
from nba_mcp.db import nowait
from nba_mcp.errors import InvalidArguments, InvalidInput, NbaMcpError
from nba_mcp.jsonbody import parse_json
from nba_mcp.web import problems

JSON_TYPES = ("application/json",)
JSON = "application/json"
PNG = "image/png"


def build_routes(services: Services) -> list[Route]:
    """One Starlette route per catalogue tool, named after the tool."""
    return [
        Route(spec.route.path, _endpoint(spec, services), methods=[spec.route.method],
              name=spec.name)
        for spec in CATALOG
    ]  # fmt: skip


def _endpoint(spec: AnyTool, services: Services) -> Callable[[Request], Awaitable[Response]]:
    # A GET of a cached tool is answered from the finished responses when it was asked
    # before at this data version: the same path and query string, the same bytes.
    wire = services.cache.wire if services.cache and spec.cached else None
    if spec.route.method != "GET":
        wire = None

    async def endpoint(request: Request) -> Response:
        picture = spec.draw is not None and _wants_picture(request)
        media_type = PNG if picture else JSON
        key = ""
        if wire is not None:
            query = request.scope["query_string"].decode("latin-1")
            key = f"rest:{request.scope['path']}?{query}" + ("#png" if picture else "")
            started = time.perf_counter()
            kept = wire.get(key)
            if kept is not None:
                count_call(spec.name, "ok", started)
                return Response(kept, media_type=media_type)
        version = wire.version() if wire is not None else None
        try:
            arguments = await _arguments(request, spec)
            key_name = request.scope.get("state", {}).get("key_name")
            body = await nowait.run(
                functools.partial(_answer_body, key_name, services, spec, arguments, picture),
                from_memory=spec.from_memory,
            )
        except NbaMcpError as exc:
            found = problems.from_exception(exc, request)
            assert found is not None
            return found
        if wire is not None:
            wire.put(key, version, body)
        return Response(body, media_type=media_type)

    endpoint.__name__ = spec.name
    endpoint.__doc__ = spec.description
    return endpoint


def _wants_picture(request: Request) -> bool:
    """Whether a drawing tool's answer goes as its PNG: unless JSON alone is accepted."""
    accepted = {
        kind.split(";")[0].strip().lower() for kind in request.headers.get("accept", "").split(",")
    }
    return JSON not in accepted or PNG in accepted


def _answer_body(
    key_name: str | None,
    services: Services,
    spec: AnyTool,
    arguments: dict[str, Any],
    picture: bool = False,
) -> bytes:
    """The answer's JSON (or its picture's PNG bytes), encoded where the answer was made: a
    worker thread, so that a result of megabytes does not hold the event loop (and every
    other request, /health included) while it is written; or, for a call answered from
    memory (:mod:`nba_mcp.db.nowait`), the loop itself, where results are small."""
    with context.calling(key_name):  # the tool may record who asked (synthesis' ledger)
        answer = invoke(services, spec, arguments)
    if picture and answer.image_png is not None:
        return base64.b64decode(answer.image_png)
    return json.dumps(
        answer.data, ensure_ascii=False, allow_nan=False, separators=(",", ":")
    ).encode()


async def _arguments(request: Request, spec: AnyTool) -> dict[str, Any]:
    """The tool's arguments from the path and the query string or body.

    A parameter the route does not take is refused, never ignored: a misspelt
    ``?seasn=2015-16`` would otherwise answer for the latest season.
    """
    route = spec.route
    path = dict(request.path_params)
    if route.method == "GET":
        given: dict[str, Any] = {}
        for key in dict.fromkeys(request.query_params.keys()):
            values = request.query_params.getlist(key)
            given[key] = values if key in spec.list_arguments else values[-1]
    else:
        given = await _json_object(request)
    hidden = sorted((route.hidden | set(path)) & set(given))
    if hidden:
        taken = "the path" if hidden[0] in path else "this route"
        raise InvalidArguments(
            [(name, f"{name} is not taken by {taken} ({route.method} {route.path}).")
             for name in hidden]
        )  # fmt: skip
    return {**given, **path}


async def _json_object(request: Request) -> dict[str, Any]:
    """The body as a JSON object (415, 400 or 422 problems say why not)."""
    media_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media_type not in JSON_TYPES and not media_type.endswith("+json"):
        raise problems.UnsupportedMediaType(
            f"Send a JSON object with Content-Type application/json, not {media_type!r}."
        )
    raw = await request.body()
    try:
        body = parse_json(raw, what="The body") if raw.strip() else {}
    except InvalidInput as exc:
        raise problems.MalformedBody(exc.message) from None
    if not isinstance(body, dict):
        raise InvalidArguments(
            [("body", "The body must be a JSON object of the tool's arguments.")]
        )
    return body
