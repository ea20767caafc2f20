"""The MCP server, built by a factory: each domain module registers its own tools.

server = build_server(settings, engine)
server.run("stdio")                      # desktop clients
server.streamable_http_app(stateless_http=True)   # any number of replicas
"""

from __future__ import annotations

from mcp.server.mcpserver import MCPServer
from sqlalchemy import Engine

from nba_mcp import __version__
from nba_mcp.cache import ResultCache
from nba_mcp.config import Settings
from nba_mcp.mcp import (
    prompts,
    resources,
    tools_games,
    tools_metrics,
    tools_players,
    tools_sql,
    tools_teams,
)
from nba_mcp.mcp.tooling import Services

INSTRUCTIONS = """\
NBA data and Basketball-Reference-exact advanced metrics from real box scores.
Seasons are written 2015-16; season types are regular, playoffs and play_in.
Shooting percentages are fractions (0.669); rate stats are percentage points (32.6).
Find a player or team first when a name may be ambiguous; errors list candidates.
"""


def build_server(
    settings: Settings,
    engine: Engine,
    *,
    cache: ResultCache | None = None,
    read_engine: Engine | None = None,
) -> MCPServer:
    """An MCP server whose tools read the database behind ``engine``, through ``cache``.

    With ``read_engine`` (a read replica) the tools read there instead; ``engine``, the
    primary, keeps the writes and the data-version watch (which ``cache`` holds).
    """
    services = Services(settings=settings, engine=read_engine or engine, cache=cache)
    server = MCPServer(
        name="nba-mcp",
        title="NBA MCP Synthesis",
        version=__version__,
        instructions=INSTRUCTIONS,
    )
    modules = (
        tools_players,
        tools_teams,
        tools_games,
        tools_metrics,
        tools_sql,
        resources,
        prompts,
    )
    for module in modules:
        module.register(server, services)
    return server
