"""Team tools: find_team, team_season_stats."""

from __future__ import annotations

from typing import Annotated

from mcp.server.mcpserver import MCPServer
from mcp_types import CallToolResult
from pydantic import BaseModel

from nba_mcp.mcp import text
from nba_mcp.mcp.tooling import Season, SeasonType, Services, TeamName, tool_errors, tool_result
from nba_mcp.mcp.tools_players import READ_ONLY
from nba_mcp.queries import lookup
from nba_mcp.queries.lookup import TeamRef
from nba_mcp.queries.teams import TeamSeason, team_season


class TeamMatch(BaseModel):
    query: str
    team: TeamRef


def register(server: MCPServer, services: Services) -> None:
    @server.tool(annotations=READ_ONLY)
    @tool_errors
    def find_team(name_or_abbreviation: TeamName) -> Annotated[CallToolResult, TeamMatch]:
        """Find a team by abbreviation (GSW), nickname (Warriors), city or full name.

        Returns its NBA.com id, abbreviation, conference and division; an unknown or
        ambiguous name is an error that lists the closest teams.
        """
        with services.connect() as conn:
            team = lookup.find_team(conn, name=name_or_abbreviation)
        return tool_result(TeamMatch(query=name_or_abbreviation, team=team), text.team_line(team))

    @server.tool(annotations=READ_ONLY)
    @tool_errors
    def team_season_stats(
        team: TeamName, season: Season = None, season_type: SeasonType = "regular"
    ) -> Annotated[CallToolResult, TeamSeason]:
        """A team's season: record, home and away records, points for and against per game.

        Example: team="GSW", season="2015-16" gives 73-9.
        """
        with services.connect() as conn:
            result = team_season(conn, team=team, season=season, season_type=season_type)
        return tool_result(result, text.team_season(result))
