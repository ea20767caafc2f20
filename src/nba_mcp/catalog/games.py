"""Game tools: game_box_score, list_games."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from pydantic import Field

from nba_mcp.catalog import render
from nba_mcp.catalog.arguments import Season, SeasonTypeValue
from nba_mcp.catalog.spec import AnyTool, HttpRoute, Services, ToolArguments, ToolSpec
from nba_mcp.errors import InvalidInput
from nba_mcp.queries import games, schedule
from nba_mcp.queries.games import GameBox
from nba_mcp.queries.schedule import GameList


class GameBoxScoreArguments(ToolArguments):
    game_id: Annotated[
        str | None,
        Field(
            description="NBA.com game id (10 digits).",
            examples=["0021500003"],
            max_length=20,
        ),
    ] = None
    date: Annotated[
        dt.date | None, Field(description="Game date, with team, instead of a game id.")
    ] = None
    team: Annotated[
        str | None,
        Field(description="One of the two teams, with date.", examples=["GSW"], max_length=60),
    ] = None


def game_box_score(services: Services, args: GameBoxScoreArguments) -> GameBox:
    """Both teams' box scores of one game and the score by quarter when known.

    Name the game by its NBA.com id, or by date and one of the teams.
    """
    with services.connect() as conn:
        game_id = args.game_id
        if game_id is None:
            if args.date is None or args.team is None:
                raise InvalidInput("Give game_id, or both date and team.")
            game_id = games.game_id_on(conn, date=args.date, team=args.team)
        return games.game_box(conn, game_id=game_id)


class ListGamesArguments(ToolArguments):
    season: Season = None
    team: Annotated[str | None, Field(description="Only this team's games.", max_length=60)] = None
    date_from: Annotated[dt.date | None, Field(description="First date, inclusive.")] = None
    date_to: Annotated[dt.date | None, Field(description="Last date, inclusive.")] = None
    season_type: Annotated[
        SeasonTypeValue | None,
        Field(description="Only this season type; omit for all."),
    ] = None
    limit: Annotated[int, Field(ge=1, le=1500, description="At most this many games.")] = 100


def list_games(services: Services, args: ListGamesArguments) -> GameList:
    """Games with ids, dates, teams and final scores, oldest first; filter by season,
    team, dates and season type. Use a game id with game_box_score."""
    with services.connect() as conn:
        return schedule.list_games(
            conn, season=args.season, team=args.team, date_from=args.date_from,
            date_to=args.date_to, season_type=args.season_type, limit=args.limit,
        )  # fmt: skip


TOOLS: tuple[AnyTool, ...] = (
    ToolSpec(game_box_score, GameBoxScoreArguments, GameBox, render.of_result(render.game_box),
             games.game_box,
             HttpRoute("GET", "/v1/games/{game_id}", hidden=frozenset({"date", "team"}))),
    ToolSpec(list_games, ListGamesArguments, GameList, render.of_result(render.games),
             schedule.list_games, HttpRoute("GET", "/v1/games")),
)  # fmt: skip
