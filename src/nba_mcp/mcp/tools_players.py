"""Player tools: find_player, player_season_stats."""

from __future__ import annotations

from typing import Annotated, Literal

from mcp.server.mcpserver import MCPServer
from mcp_types import CallToolResult, ToolAnnotations
from pydantic import BaseModel, Field

from nba_mcp.mcp import text
from nba_mcp.mcp.tooling import (
    PlayerName,
    Season,
    SeasonType,
    Services,
    tool_errors,
    tool_result,
)
from nba_mcp.queries.lookup import PlayerRef, player_candidates
from nba_mcp.queries.players import PlayerSeason, player_season

READ_ONLY = ToolAnnotations(read_only_hint=True, idempotent_hint=True, open_world_hint=False)


class PlayerMatches(BaseModel):
    query: str
    candidates: list[PlayerRef] = Field(
        description="Best matches first: exact name matches, then close spellings; "
        "players with games loaded rank above namesakes without."
    )


def register(server: MCPServer, services: Services) -> None:
    @server.tool(annotations=READ_ONLY)
    @tool_errors
    def find_player(
        name: PlayerName,
        limit: Annotated[int, Field(ge=1, le=25, description="How many candidates at most.")] = 10,
    ) -> Annotated[CallToolResult, PlayerMatches]:
        """Find players by name, ignoring accents, case and suffixes; fuzzy for misspellings.

        Returns ranked candidates with their ids and the seasons loaded for each.
        Use the id or the exact name in the other player tools.
        """
        with services.connect() as conn:
            found = player_candidates(conn, name=name, limit=limit)
        return tool_result(
            PlayerMatches(query=name, candidates=found), text.player_candidates(name, found)
        )

    @server.tool(annotations=READ_ONLY)
    @tool_errors
    def player_season_stats(
        player: PlayerName,
        season: Season = None,
        season_type: SeasonType = "regular",
        mode: Annotated[
            Literal["totals", "per_game", "per_36", "per_100", "advanced", "all"],
            Field(
                description="Which figures to stress in the text; the structured result has all."
            ),
        ] = "per_game",
    ) -> Annotated[CallToolResult, PlayerSeason]:
        """A player's season: one row per team and a TOT row for a traded player, with games,
        minutes, totals, per-game averages and shooting percentages (fractions, e.g. 0.504).

        Example: player="Stephen Curry", season="2015-16" gives 79 G and 30.1 PTS per game.
        """
        with services.connect() as conn:
            result = player_season(conn, player=player, season=season, season_type=season_type)
        return tool_result(result, text.player_season(result))
