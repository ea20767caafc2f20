"""Metric tools: compare_players, calculate_metric."""

from __future__ import annotations

from typing import Annotated

from mcp.server.mcpserver import MCPServer
from mcp_types import CallToolResult
from pydantic import Field

from nba_mcp.mcp import text
from nba_mcp.mcp.tooling import Season, SeasonType, Services, tool, tool_result
from nba_mcp.queries import leaders as leader_queries
from nba_mcp.queries.compare import DEFAULT_STATS, Comparison, compare_players
from nba_mcp.queries.leaders import STATS, Leaders
from nba_mcp.queries.metrics import MetricResult, calculate_metric, supported_metrics

METRICS = ", ".join(f"{m.metric}({', '.join(m.inputs)})" for m in supported_metrics())


def register(server: MCPServer, services: Services) -> None:
    @tool(server, services, name="compare_players")
    def compare_players_tool(
        players: Annotated[
            list[str],
            Field(
                min_length=2,
                max_length=10,
                description="2 to 10 player names or ids.",
                examples=[["Stephen Curry", "James Harden"]],
            ),
        ],
        season: Season = None,
        season_type: SeasonType = "regular",
        stats: Annotated[
            list[str] | None,
            Field(
                description="Columns to compare, e.g. pts_per_g, ts_pct, per, ws, bpm "
                f"(default: {', '.join(DEFAULT_STATS)}). Any per-game (_per_g), per-36 "
                "(_per_36), per-100 (_per_100), shooting or advanced column works."
            ),
        ] = None,
    ) -> Annotated[CallToolResult, Comparison]:
        """Compare players' season lines side by side, each figure with its league rank
        among players with enough minutes (500 in the regular season, 100 in the playoffs).
        A traded player is compared on his TOT line."""
        with services.connect() as conn:
            result = compare_players(
                conn, players=players, season=season, season_type=season_type, stats=stats
            )
        return tool_result(result, text.comparison(result))

    @tool(server, services, name="calculate_metric")
    def calculate_metric_tool(
        metric: Annotated[str, Field(description=f"One of: {METRICS}.", examples=["ts_pct"])],
        inputs: Annotated[
            dict[str, float],
            Field(
                description="The metric's inputs by name.",
                examples=[{"pts": 2375, "fga": 1598, "fta": 400}],
            ),
        ],
    ) -> Annotated[CallToolResult, MetricResult]:
        """Calculate a metric from numbers you supply (e.g. TS% from PTS, FGA and FTA, or
        Game Score from a box line). The result carries the formula and its source."""
        result = calculate_metric(metric=metric, inputs=inputs)
        return tool_result(
            result, f"{result.metric} = {result.value} {result.unit} ({result.formula})"
        )

    @tool(server, services)
    def league_leaders(
        stat: Annotated[
            str,
            Field(
                description="Per game: "
                + ", ".join(s for s in STATS if "_" not in s)
                + "; totals: the same with _total; percentages: fg_pct, fg3_pct, ft_pct.",
                examples=["pts", "fg3m_total", "fg_pct"],
            ),
        ],
        season: Season = None,
        season_type: SeasonType = "regular",
        limit: Annotated[int, Field(ge=1, le=100, description="How many leaders.")] = 10,
    ) -> Annotated[CallToolResult, Leaders]:
        """League leaders under the NBA's qualification rules (70% of team games for per-game
        stats, minimum makes for percentages, pro-rated for shorter seasons). A traded player
        counts once, on his season totals."""
        with services.connect() as conn:
            result = leader_queries.league_leaders(
                conn, stat=stat, season=season, season_type=season_type, limit=limit
            )
        return tool_result(result, text.leaders(result))
