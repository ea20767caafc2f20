"""Team tools: find_team, team_season_stats."""

from __future__ import annotations

from typing import Annotated, Literal

from mcp.server.mcpserver import MCPServer
from mcp_types import CallToolResult
from pydantic import BaseModel, Field

from nba_mcp.mcp import text
from nba_mcp.mcp.tooling import Season, SeasonType, Services, TeamName, tool, tool_result
from nba_mcp.queries import lookup, schedule
from nba_mcp.queries import standings as standing_queries
from nba_mcp.queries.lookup import TeamRef
from nba_mcp.queries.schedule import HeadToHead
from nba_mcp.queries.standings import Standings
from nba_mcp.queries.teams import TeamSeason, team_season


class TeamMatch(BaseModel):
    query: str
    team: TeamRef


def register(server: MCPServer, services: Services) -> None:
    @tool(server, services)
    def find_team(name_or_abbreviation: TeamName) -> Annotated[CallToolResult, TeamMatch]:
        """Find a team by abbreviation (GSW), nickname (Warriors), city or full name.

        Returns its NBA.com id, abbreviation, conference and division; an unknown or
        ambiguous name is an error that lists the closest teams.
        """
        with services.connect() as conn:
            team = lookup.find_team(conn, name=name_or_abbreviation)
        return tool_result(TeamMatch(query=name_or_abbreviation, team=team), text.team_line(team))

    @tool(server, services)
    def team_season_stats(
        team: TeamName, season: Season = None, season_type: SeasonType = "regular"
    ) -> Annotated[CallToolResult, TeamSeason]:
        """A team's season: record, home and away records, points for and against per game.

        Example: team="GSW", season="2015-16" gives 73-9.
        """
        with services.connect() as conn:
            result = team_season(conn, team=team, season=season, season_type=season_type)
        return tool_result(result, text.team_season(result))

    @tool(server, services)
    def standings(
        season: Season = None,
        conference: Annotated[
            Literal["East", "West"] | None, Field(description="East or West; omit for both.")
        ] = None,
    ) -> Annotated[CallToolResult, Standings]:
        """Regular-season standings: seed, W-L, win %, games behind, home and road records,
        conference and division records, last 10 and streak. Ties are broken with the NBA's
        procedure and the deciding step is named."""
        with services.connect() as conn:
            result = standing_queries.standings(conn, season=season, conference=conference)
        return tool_result(result, text.standings(result))

    @tool(server, services)
    def head_to_head(
        team_a: TeamName, team_b: TeamName, season: Season = None
    ) -> Annotated[CallToolResult, HeadToHead]:
        """Two teams' meetings in a season: each game's score and the W-L and points per
        game each way, for the regular season, play-in and playoffs separately."""
        with services.connect() as conn:
            result = schedule.head_to_head(conn, team_a=team_a, team_b=team_b, season=season)
        return tool_result(result, text.head_to_head(result))
