"""Player tools: find_player, player_season_stats."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from mcp.server.mcpserver import MCPServer
from mcp_types import CallToolResult
from pydantic import BaseModel, Field

from nba_mcp.mcp import text
from nba_mcp.mcp.tooling import (
    PlayerName,
    Season,
    SeasonType,
    Services,
    tool,
    tool_result,
)
from nba_mcp.queries import game_log as game_logs
from nba_mcp.queries import splits as split_queries
from nba_mcp.queries.game_log import PlayerGameLog
from nba_mcp.queries.lookup import PlayerRef, player_candidates
from nba_mcp.queries.players import PlayerSeason, player_season
from nba_mcp.queries.splits import PlayerSplits, Split


class PlayerMatches(BaseModel):
    query: str
    candidates: list[PlayerRef] = Field(
        description="Best matches first: exact name matches, then close spellings; "
        "players with games loaded rank above namesakes without."
    )


def register(server: MCPServer, services: Services) -> None:
    @tool(server, services)
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

    @tool(server, services)
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
        """A player's season as Basketball-Reference shows it: one row per team and a TOT
        row for a traded player, each with totals, per game, per 36 minutes, per 100
        possessions, shooting (fractions, e.g. 0.504) and advanced metrics (PER, TS%, USG%,
        ORtg/DRtg, win shares, BPM, VORP; rate stats in percentage points, e.g. 32.6).
        `mode` picks what the text summary shows; the structured result always has all.
        `player` may also be a player id from find_player.

        Example: player="Stephen Curry", season="2015-16": 79 G, 30.1 PTS per game, PER 31.5.
        """
        with services.connect() as conn:
            result = player_season(
                conn, player=player, season=season, season_type=season_type, advanced=True
            )
        return tool_result(result, text.player_season(result, mode))

    @tool(server, services)
    def player_game_log(
        player: PlayerName,
        season: Season = None,
        season_type: SeasonType = "regular",
        last_n: Annotated[
            int | None, Field(ge=1, le=110, description="Only his latest n games (newest first).")
        ] = None,
        opponent: Annotated[
            str | None, Field(description="Only games against this team.", examples=["CLE"])
        ] = None,
        date_from: Annotated[dt.date | None, Field(description="First date, inclusive.")] = None,
        date_to: Annotated[dt.date | None, Field(description="Last date, inclusive.")] = None,
    ) -> Annotated[CallToolResult, PlayerGameLog]:
        """A player's games: date, opponent, result and score, minutes, the full box line and
        Game Score. Filter by his last n games, an opponent or a date range."""
        with services.connect() as conn:
            result = game_logs.player_game_log(
                conn, player=player, season=season, season_type=season_type, last_n=last_n,
                opponent=opponent, date_from=date_from, date_to=date_to,
            )  # fmt: skip
        return tool_result(result, text.game_log(result))

    @tool(server, services)
    def player_splits(
        player: PlayerName,
        split: Annotated[
            Split,
            Field(description="home_away, wins_losses, month, opponent or rest_days."),
        ],
        season: Season = None,
        season_type: SeasonType = "regular",
    ) -> Annotated[CallToolResult, PlayerSplits]:
        """A player's season split into groups (home/away, wins/losses, month, opponent or
        days of rest, 0 = back-to-back), each with games, per-game figures and shooting."""
        with services.connect() as conn:
            result = split_queries.player_splits(
                conn, player=player, season=season, season_type=season_type, split=split
            )
        return tool_result(result, text.splits(result))
