"""The tool catalogue: every tool once, for every surface to adapt.

:data:`CATALOG` lists each tool's :class:`~nba_mcp.catalog.spec.AnyTool`: its function
(a top-level ``run(services, arguments)`` that calls ``queries/``), argument and result
models, text renderer, scope and REST route. ``mcp/`` registers it with the MCP SDK,
``web/`` builds the REST routes and OpenAPI from it, the CLI's ``nba-mcp tool NAME``
calls it, and the scopes come from it. Every call goes through
:func:`nba_mcp.catalog.invoke.invoke`.

A new tool is a function, its two models and a renderer in one of the modules below,
one entry in that module's ``TOOLS``, and its tests. ``chart`` draws other tools'
results (:mod:`nba_mcp.catalog.charts`); its picture travels beside the text.
"""

from __future__ import annotations

from nba_mcp.catalog import charts, games, league, players, sql, synthesis, teams
from nba_mcp.catalog.spec import AnyTool
from nba_mcp.errors import NotFound

CATALOG: tuple[AnyTool, ...] = (
    *players.TOOLS,
    *league.TOOLS,
    *teams.TOOLS,
    *games.TOOLS,
    *sql.TOOLS,
    *charts.TOOLS,
    *synthesis.TOOLS,
)
BY_NAME: dict[str, AnyTool] = {spec.name: spec for spec in CATALOG}


def tool(name: str) -> AnyTool:
    """The tool called ``name``, or :class:`NotFound` listing the tools."""
    try:
        return BY_NAME[name]
    except KeyError:
        raise NotFound(f"There is no tool {name!r}; the tools are {', '.join(BY_NAME)}.") from None
