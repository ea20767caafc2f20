"""Prompts: scouting_report, game_recap and compare.

Each prompt embeds the data it is about (fetched through ``queries``), so the
assistant writes from real figures and cites them, and names the tools to call
for more.
"""

from __future__ import annotations

from typing import Annotated

from mcp.server.mcpserver import MCPServer
from pydantic import Field

from nba_mcp.catalog.spec import Services
from nba_mcp.queries.compare import compare_players
from nba_mcp.queries.games import game_box
from nba_mcp.queries.players import player_season

GROUNDING = (
    "Use only the figures given here or returned by the NBA tools; cite each figure's "
    "source (the tool and season). Shooting percentages are fractions (0.669 = 66.9%); "
    "rate stats are percentage points."
)


def register(server: MCPServer, services: Services) -> None:
    @server.prompt(title="Scouting report")
    def scouting_report(
        player: Annotated[str, Field(description="Player name or id.")],
        season: Annotated[str | None, Field(description="Season like 2015-16.")] = None,
    ) -> str:
        """A scouting report on one player's season: strengths, weaknesses, role, value."""
        with services.connect() as conn:
            data = player_season(conn, player=player, season=season, advanced=True)
        return (
            f"Write a scouting report on {data.player.name} for the {data.season} regular "
            "season: role and usage, scoring efficiency, playmaking, rebounding, defense, "
            "and overall value (PER, win shares, BPM, VORP) against the league average "
            "(PER 15, TS% around the league mark). Use player_game_log and player_splits "
            f"for trends. {GROUNDING}\n\nplayer_season_stats result:\n"
            + data.model_dump_json(indent=1, exclude_none=True)
        )

    @server.prompt(title="Game recap")
    def game_recap(
        game_id: Annotated[str, Field(description="NBA.com game id, e.g. 0021500003.")],
    ) -> str:
        """A recap of one game from its box score and score by quarter."""
        with services.connect() as conn:
            data = game_box(conn, game_id=game_id)
        return (
            f"Write a short recap of game {data.game_id} ({data.away.name} at {data.home.name}, "
            f"{data.date}): the result, how the game swung by quarter, the top performers "
            f"and the stats that decided it. {GROUNDING}\n\ngame_box_score result:\n"
            + data.model_dump_json(indent=1, exclude_none=True)
        )

    @server.prompt(title="Compare players")
    def compare(
        players: Annotated[str, Field(description="Player names separated by commas.")],
        season: Annotated[str | None, Field(description="Season like 2018-19.")] = None,
    ) -> str:
        """A side-by-side comparison of players' seasons with league ranks."""
        names = [name.strip() for name in players.split(",") if name.strip()]
        with services.connect() as conn:
            data = compare_players(conn, players=names, season=season)
        return (
            f"Compare {', '.join(p.player.name for p in data.players)} in {data.season}: "
            "volume, efficiency, playmaking, defense and overall value, using the league "
            f"ranks given. Say who had the better season and why. {GROUNDING}\n\n"
            "compare_players result:\n" + data.model_dump_json(indent=1, exclude_none=True)
        )
