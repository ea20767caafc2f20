"""``nba-mcp serve``: the MCP server over stdio (desktop clients) or streamable HTTP."""

from __future__ import annotations

from typing import Annotated, Literal

import typer

from nba_mcp.cli.context import app_context


def serve(
    ctx: typer.Context,
    transport: Annotated[
        str,
        typer.Option(
            "--transport", help="stdio (desktop clients) or http (streamable HTTP at /mcp)."
        ),
    ] = "stdio",
    host: Annotated[str, typer.Option("--host", help="Interface to bind (http).")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="Port to bind (http).")] = 8000,
) -> None:
    """Serve the NBA tools, resources and prompts over MCP."""
    from nba_mcp.errors import InvalidInput

    mode: Literal["stdio", "http"]
    if transport == "stdio":
        mode = "stdio"
    elif transport == "http":
        mode = "http"
    else:
        raise InvalidInput(f"Unknown transport {transport!r}; use stdio or http.")
    context = app_context(ctx)
    engine = context.engine()
    if mode == "stdio":
        from nba_mcp.mcp.server import build_server

        build_server(context.settings, engine).run("stdio")
        return

    import uvicorn

    from nba_mcp.web.app import build_app

    app = build_app(context.settings, engine, host=host)
    uvicorn.run(app, host=host, port=port, log_config=None, access_log=False)
