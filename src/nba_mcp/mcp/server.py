"""The MCP server, built by a factory: the catalogue's tools, resources and prompts.

server = build_server(Services(settings, engine))
server.run("stdio")                      # desktop clients
server.streamable_http_app(stateless_http=True)   # any number of replicas
"""

from __future__ import annotations

from mcp.server.mcpserver import MCPServer

from nba_mcp import __version__
from nba_mcp.catalog.spec import Services
from nba_mcp.mcp import prompts, resources, tools

INSTRUCTIONS = """\
NBA data and Basketball-Reference-exact advanced metrics from real box scores.
Seasons are written 2015-16; season types are regular, playoffs and play_in.
Shooting percentages are fractions (0.669); rate stats are percentage points (32.6).
Find a player or team first when a name may be ambiguous; errors list candidates.
"""


def build_server(services: Services) -> MCPServer:
    """An MCP server whose tools read what ``services`` holds: the settings, the database
    engine to read (a read replica's when there is one) and the result cache."""
    server = MCPServer(
        name="nba-mcp",
        title="NBA MCP Synthesis",
        version=__version__,
        instructions=INSTRUCTIONS,
    )
    for module in (tools, resources, prompts):
        module.register(server, services)
    return server
