"""Game tools: game_box_score."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from mcp.server.mcpserver import MCPServer
from mcp_types import CallToolResult
from pydantic import Field

from nba_mcp.errors import InvalidInput
from nba_mcp.mcp import text
from nba_mcp.mcp.tooling import Season, Services, tool, tool_result
from nba_mcp.queries import schedule
from nba_mcp.queries.games import GameBox, game_box, game_id_on
from nba_mcp.queries.schedule import GameList


def register(server: MCPServer, services: Services) -> None:
    @tool(server, services)
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

    @tool(server, services)
    def list_games(
        season: Season = None,
        team: Annotated[str | None, Field(description="Only this team's games.")] = None,
        date_from: Annotated[dt.date | None, Field(description="First date, inclusive.")] = None,
        date_to: Annotated[dt.date | None, Field(description="Last date, inclusive.")] = None,
        season_type: Annotated[
            Literal["regular", "playoffs", "play_in"] | None,
            Field(description="Only this season type; omit for all."),
        ] = None,
        limit: Annotated[int, Field(ge=1, le=1500, description="At most this many games.")] = 100,
    ) -> Annotated[CallToolResult, GameList]:
        """Games with ids, dates, teams and final scores, oldest first; filter by season,
        team, dates and season type. Use a game id with game_box_score."""
        with services.connect() as conn:
            result = schedule.list_games(
                conn, season=season, team=team, date_from=date_from, date_to=date_to,
                season_type=season_type, limit=limit,
            )  # fmt: skip
        return tool_result(result, text.games(result))
