"""Game tools: game_box_score."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from mcp.server.mcpserver import MCPServer
from mcp_types import CallToolResult
from pydantic import Field

from nba_mcp.errors import InvalidInput
from nba_mcp.mcp import text
from nba_mcp.mcp.tooling import Services, tool_errors, tool_result
from nba_mcp.mcp.tools_players import READ_ONLY
from nba_mcp.queries.games import GameBox, game_box, game_id_on


def register(server: MCPServer, services: Services) -> None:
    @server.tool(annotations=READ_ONLY)
    @tool_errors
    def game_box_score(
        game_id: Annotated[
            str | None,
            Field(description="NBA.com game id (10 digits).", examples=["0021500003"]),
        ] = None,
        date: Annotated[
            dt.date | None, Field(description="Game date, with team, instead of a game id.")
        ] = None,
        team: Annotated[
            str | None, Field(description="One of the two teams, with date.", examples=["GSW"])
        ] = None,
    ) -> Annotated[CallToolResult, GameBox]:
        """Both teams' box scores of one game and the score by quarter when known.

        Name the game by its NBA.com id, or by date and one of the teams.
        """
        with services.connect() as conn:
            if game_id is None:
                if date is None or team is None:
                    raise InvalidInput("Give game_id, or both date and team.")
                game_id = game_id_on(conn, date=date, team=team)
            result = game_box(conn, game_id=game_id)
        return tool_result(result, text.game_box(result))
