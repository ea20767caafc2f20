"""Player tools: find_player, player_season_stats, player_game_log, player_splits."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import Field

from nba_mcp.catalog import render
from nba_mcp.catalog.arguments import PlayerName, Season, SeasonType
from nba_mcp.catalog.spec import AnyTool, HttpRoute, Services, ToolArguments, ToolSpec
from nba_mcp.queries import game_log, lookup, players, splits
from nba_mcp.queries.game_log import PlayerGameLog
from nba_mcp.queries.lookup import PlayerMatches
from nba_mcp.queries.players import PlayerSeason
from nba_mcp.queries.splits import PlayerSplits, Split


class FindPlayerArguments(ToolArguments):
    name: PlayerName
    limit: Annotated[int, Field(ge=1, le=25, description="How many candidates at most.")] = 10


def find_player(services: Services, args: FindPlayerArguments) -> PlayerMatches:
    """Find players by name, ignoring accents, case and suffixes; fuzzy for misspellings.

    Returns ranked candidates with their ids and the seasons loaded for each.
    Use the id or the exact name in the other player tools.
    """
    with services.connect() as conn:
        found = lookup.player_candidates(conn, name=args.name, limit=args.limit)
    return PlayerMatches(query=args.name, candidates=found)


class PlayerSeasonStatsArguments(ToolArguments):
    player: PlayerName
    season: Season = None
    season_type: SeasonType = "regular"
    mode: Annotated[
        Literal["totals", "per_game", "per_36", "per_100", "advanced", "all"],
        Field(description="Which figures to stress in the text; the structured result has all."),
    ] = "per_game"


def player_season_stats(services: Services, args: PlayerSeasonStatsArguments) -> PlayerSeason:
    """A player's season as Basketball-Reference shows it: one row per team and a TOT
    row for a traded player, each with totals, per game, per 36 minutes, per 100
    possessions, shooting (fractions, e.g. 0.504) and advanced metrics (PER, TS%, USG%,
    ORtg/DRtg, win shares, BPM, VORP; rate stats in percentage points, e.g. 32.6).
    `mode` picks what the text summary shows; the structured result always has all.
    `player` may also be a player id from find_player.

    Example: player="Stephen Curry", season="2015-16": 79 G, 30.1 PTS per game, PER 31.5.
    """
    with services.connect() as conn:
        return players.player_season(
            conn, player=args.player, season=args.season, season_type=args.season_type,
            advanced=True,
        )  # fmt: skip


class PlayerGameLogArguments(ToolArguments):
    player: PlayerName
    season: Season = None
    season_type: SeasonType = "regular"
    last_n: Annotated[
        int | None, Field(ge=1, le=110, description="Only his latest n games (newest first).")
    ] = None
    opponent: Annotated[
        str | None,
        Field(description="Only games against this team.", examples=["CLE"], max_length=60),
    ] = None
    date_from: Annotated[dt.date | None, Field(description="First date, inclusive.")] = None
    date_to: Annotated[dt.date | None, Field(description="Last date, inclusive.")] = None


def player_game_log(services: Services, args: PlayerGameLogArguments) -> PlayerGameLog:
    """A player's games: date, opponent, result and score, minutes, the full box line and
    Game Score. Filter by his last n games, an opponent or a date range."""
    with services.connect() as conn:
        return game_log.player_game_log(
            conn, player=args.player, season=args.season, season_type=args.season_type,
            last_n=args.last_n, opponent=args.opponent, date_from=args.date_from,
            date_to=args.date_to,
        )  # fmt: skip


class PlayerSplitsArguments(ToolArguments):
    player: PlayerName
    split: Annotated[
        Split, Field(description="home_away, wins_losses, month, opponent or rest_days.")
    ]
    season: Season = None
    season_type: SeasonType = "regular"


def player_splits(services: Services, args: PlayerSplitsArguments) -> PlayerSplits:
    """A player's season split into groups (home/away, wins/losses, month, opponent or
    days of rest, 0 = back-to-back), each with games, per-game figures and shooting."""
    with services.connect() as conn:
        return splits.player_splits(
            conn, player=args.player, season=args.season, season_type=args.season_type,
            split=args.split,
        )  # fmt: skip


def _player_season_text(args: PlayerSeasonStatsArguments, result: PlayerSeason) -> str:
    return render.player_season(result, args.mode)


TOOLS: tuple[AnyTool, ...] = (
    ToolSpec(find_player, FindPlayerArguments, PlayerMatches, render.of_result(render.player_candidates),
             lookup.player_candidates, HttpRoute("GET", "/v1/players/search"), from_memory=True),
    ToolSpec(player_season_stats, PlayerSeasonStatsArguments, PlayerSeason, _player_season_text,
             players.player_season,
             HttpRoute("GET", "/v1/players/{player}/season", hidden=frozenset({"mode"})),
             from_memory=True),
    ToolSpec(player_game_log, PlayerGameLogArguments, PlayerGameLog,
             render.of_result(render.game_log), game_log.player_game_log,
             HttpRoute("GET", "/v1/players/{player}/games")),
    ToolSpec(player_splits, PlayerSplitsArguments, PlayerSplits, render.of_result(render.splits),
             splits.player_splits, HttpRoute("GET", "/v1/players/{player}/splits/{split}")),
)  # fmt: skip
