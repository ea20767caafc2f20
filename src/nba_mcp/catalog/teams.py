"""Team tools: find_team, team_season_stats, standings, head_to_head."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from nba_mcp.catalog import render
from nba_mcp.catalog.arguments import Season, SeasonType, TeamName
from nba_mcp.catalog.spec import AnyTool, HttpRoute, Services, ToolArguments, ToolSpec
from nba_mcp.queries import lookup, schedule, teams
from nba_mcp.queries import standings as standing_queries
from nba_mcp.queries.lookup import TeamMatch
from nba_mcp.queries.schedule import HeadToHead
from nba_mcp.queries.standings import Standings
from nba_mcp.queries.teams import TeamSeason


class FindTeamArguments(ToolArguments):
    name: TeamName


def find_team(services: Services, args: FindTeamArguments) -> TeamMatch:
    """Find a team by abbreviation (GSW), nickname (Warriors), city or full name.

    Returns its NBA.com id, abbreviation, conference and division; an unknown or
    ambiguous name is an error that lists the closest teams.
    """
    with services.connect() as conn:
        return TeamMatch(query=args.name, team=lookup.find_team(conn, name=args.name))


class TeamSeasonStatsArguments(ToolArguments):
    team: TeamName
    season: Season = None
    season_type: SeasonType = "regular"


def team_season_stats(services: Services, args: TeamSeasonStatsArguments) -> TeamSeason:
    """A team's season: record, home and away records, points for and against per game,
    margin, SRS, pace, offensive and defensive ratings and the four factors.

    Example: team="GSW", season="2015-16" gives 73-9.
    """
    with services.connect() as conn:
        return teams.team_season(
            conn, team=args.team, season=args.season, season_type=args.season_type
        )


class StandingsArguments(ToolArguments):
    season: Season = None
    conference: Annotated[
        Literal["East", "West"] | None, Field(description="East or West; omit for both.")
    ] = None


def standings(services: Services, args: StandingsArguments) -> Standings:
    """Regular-season standings: seed, W-L, win %, games behind, home and road records,
    conference and division records, last 10 and streak. Ties are broken with the NBA's
    procedure and the deciding step is named."""
    with services.connect() as conn:
        return standing_queries.standings(conn, season=args.season, conference=args.conference)


class HeadToHeadArguments(ToolArguments):
    team_a: TeamName
    team_b: TeamName
    season: Season = None


def head_to_head(services: Services, args: HeadToHeadArguments) -> HeadToHead:
    """Two teams' meetings in a season: each game's score and the W-L and points per
    game each way, for the regular season, play-in and playoffs separately."""
    with services.connect() as conn:
        return schedule.head_to_head(
            conn, team_a=args.team_a, team_b=args.team_b, season=args.season
        )


TOOLS: tuple[AnyTool, ...] = (
    ToolSpec(find_team, FindTeamArguments, TeamMatch, render.of_result(render.team_match),
             lookup.find_team, HttpRoute("GET", "/v1/teams/search")),
    ToolSpec(team_season_stats, TeamSeasonStatsArguments, TeamSeason,
             render.of_result(render.team_season), teams.team_season,
             HttpRoute("GET", "/v1/teams/{team}/season")),
    ToolSpec(standings, StandingsArguments, Standings, render.of_result(render.standings),
             standing_queries.standings, HttpRoute("GET", "/v1/standings")),
    ToolSpec(head_to_head, HeadToHeadArguments, HeadToHead,
             render.of_result(render.head_to_head), schedule.head_to_head,
             HttpRoute("GET", "/v1/head-to-head")),
)  # fmt: skip
