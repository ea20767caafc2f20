"""The catalogue's tools on the MCP server, through the SDK's public API.

Each tool is registered with ``MCPServer.add_tool``: a function whose signature is
generated from the tool's argument model (so the published ``inputSchema`` has the
model's fields, types, limits and descriptions) and whose return annotation names the
result model (the ``outputSchema``). The function calls
:func:`nba_mcp.catalog.invoke.invoke` and returns the answer as a ``CallToolResult``:
the text beside the structured result (and a chart's picture as image content), or
``isError`` with the catalogue's message.

The SDK validates arguments before a tool function runs and words its own errors
(``Error executing tool X: 1 validation error ...``). :class:`CatalogueArguments`, a
server middleware, validates a ``tools/call`` first with the catalogue's model, so
bad arguments get the same words on MCP as on REST and the CLI.
"""

from __future__ import annotations

import asyncio
import inspect
import logging
from collections.abc import Callable, Mapping
from typing import Annotated, Any

import anyio.from_thread
from mcp.server.context import CallNext, HandlerResult, ServerRequestContext
from mcp.server.mcpserver import Context, MCPServer
from mcp_types import CallToolResult, ImageContent, TextContent, ToolAnnotations
from mcp_types.version import MODERN_PROTOCOL_VERSIONS
from pydantic import Field

from nba_mcp.catalog import BY_NAME, CATALOG, context
from nba_mcp.catalog.invoke import invoke, parse_arguments
from nba_mcp.catalog.spec import AnyTool, Services
from nba_mcp.errors import InvalidArguments, NbaMcpError

log = logging.getLogger(__name__)

#: How long a progress notification may take to go out before the call goes on without it.
PROGRESS_TIMEOUT_SECONDS = 2.0
PNG = "image/png"
#: The parameter through which the SDK hands a tool its request context.
CONTEXT = "mcp_context"
READ_ONLY = ToolAnnotations(read_only_hint=True, idempotent_hint=True, open_world_hint=False)
#: A tool that asks services beyond this one (LLM providers): not idempotent, open world.
OPEN_WORLD = ToolAnnotations(read_only_hint=True, idempotent_hint=False, open_world_hint=True)


def register(server: MCPServer, services: Services) -> None:
    """Every tool of the catalogue, and the middleware that words argument errors."""
    for spec in CATALOG:
        server.add_tool(
            entry_point(spec, services),
            name=spec.name,
            description=spec.description,
            annotations=OPEN_WORLD if spec.open_world else READ_ONLY,
            structured_output=True,
        )
    server.middleware.append(CatalogueArguments())


def call(services: Services, spec: AnyTool, arguments: Mapping[str, Any]) -> CallToolResult:
    """One call as MCP answers it: a result, or ``isError`` with the error's message."""
    try:
        answer = invoke(services, spec, arguments)
    except NbaMcpError as exc:
        return error_result(exc.message)
    content: list[TextContent | ImageContent] = [TextContent(type="text", text=answer.text)]
    if answer.image_png is not None:  # a chart: the picture after the words
        content.append(ImageContent(type="image", data=answer.image_png, mime_type=PNG))
    return CallToolResult(content=content, structured_content=answer.data)


def error_result(message: str) -> CallToolResult:
    return CallToolResult(content=[TextContent(type="text", text=message)], is_error=True)


def wire_result(result: CallToolResult, protocol_version: str) -> dict[str, Any]:
    """``result`` as it goes on the wire in ``protocol_version``: 2026-era results carry
    ``resultType``, handshake-era ones do not (the SDK shapes a tool's result so)."""
    return result.model_dump(
        by_alias=True, mode="json", exclude_none=True, exclude=_not_on_wire(protocol_version)
    )


def wire_json(result: CallToolResult, protocol_version: str) -> bytes:
    """:func:`wire_result` as JSON, in one pass of pydantic's serializer (a fifth of the
    cost of building the dict and encoding it with :mod:`json`)."""
    return result.model_dump_json(
        by_alias=True, exclude_none=True, exclude=_not_on_wire(protocol_version)
    ).encode()


def _not_on_wire(protocol_version: str) -> set[str] | None:
    return None if protocol_version in MODERN_PROTOCOL_VERSIONS else {"result_type"}


def entry_point(spec: AnyTool, services: Services) -> Callable[..., CallToolResult]:
    """The function the SDK registers for ``spec``: keyword arguments as the model has them
    (and, for a tool that reports progress, the SDK's request context, which carries the
    progress notifications to the client)."""

    def tool(**arguments: Any) -> CallToolResult:
        ctx = arguments.pop(CONTEXT, None)
        if ctx is None:
            return call(services, spec, arguments)

        server_loop = anyio.from_thread.run_sync(asyncio.get_running_loop)

        def reporter(stage: str, fraction: float) -> None:
            # Called from wherever the tool runs (synthesis has a loop of its own): the
            # notification goes out on the server's loop, before the call goes on.
            sent = asyncio.run_coroutine_threadsafe(
                ctx.report_progress(fraction, 1.0, stage), server_loop
            )
            try:
                sent.result(timeout=PROGRESS_TIMEOUT_SECONDS)
            except Exception:  # a slow or gone client must not stop the call
                log.debug("progress of %s not sent", spec.name, exc_info=True)

        with context.calling(_key_name(ctx), reporter=reporter):
            return call(services, spec, arguments)

    parameters = [
        inspect.Parameter(
            name,
            inspect.Parameter.KEYWORD_ONLY,
            default=inspect.Parameter.empty if field.is_required() else field.default,
            annotation=Annotated[
                field.annotation,
                *field.metadata,
                Field(description=field.description, examples=field.examples),
            ],
        )
        for name, field in spec.arguments.model_fields.items()
    ]
    if spec.reports_progress:
        parameters.append(
            inspect.Parameter(CONTEXT, inspect.Parameter.KEYWORD_ONLY, annotation=Context)
        )
        tool.__annotations__ = {CONTEXT: Context}  # where the SDK looks for its parameter
    tool.__signature__ = inspect.Signature(  # type: ignore[attr-defined]
        parameters, return_annotation=Annotated[CallToolResult, spec.result]
    )
    tool.__name__ = tool.__qualname__ = spec.name
    tool.__doc__ = spec.description
    return tool


def _key_name(ctx: Context[Any, Any]) -> str | None:
    """The API key's name the security layer found for this HTTP request (None on stdio)."""
    request = getattr(ctx.request_context, "request", None)
    state = getattr(request, "scope", {}).get("state", {}) if request is not None else {}
    name = state.get("key_name") if isinstance(state, dict) else None
    return name if isinstance(name, str) else None


class CatalogueArguments:
    """Server middleware: a ``tools/call`` of a catalogue tool whose arguments do not fit
    its model is answered with the catalogue's message (``isError``) before the SDK
    validates them; every other message goes on unchanged."""

    async def __call__(
        self, ctx: ServerRequestContext[Any, Any], call_next: CallNext
    ) -> HandlerResult:
        if ctx.method != "tools/call" or not isinstance(ctx.params, Mapping):
            return await call_next(ctx)
        spec = BY_NAME.get(str(ctx.params.get("name")))
        if spec is None:
            return await call_next(ctx)
        arguments = ctx.params.get("arguments")
        try:
            parse_arguments(spec, {} if arguments is None else arguments)
        except InvalidArguments as exc:
            log.info("Tool %r refused arguments: %r", spec.name, [p for p, _ in exc.problems])
            # A middleware that answers owns the wire form: shaped as the SDK shapes a result.
            return wire_result(error_result(exc.message), ctx.protocol_version)
        return await call_next(ctx)
