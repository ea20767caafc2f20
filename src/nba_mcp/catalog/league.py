"""League-wide tools: league_leaders, compare_players, calculate_metric."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from nba_mcp.catalog import render
from nba_mcp.catalog.arguments import Season, SeasonType
from nba_mcp.catalog.spec import AnyTool, HttpRoute, Services, ToolArguments, ToolSpec
from nba_mcp.queries import calculator, compare, leaders
from nba_mcp.queries.calculator import MetricResult
from nba_mcp.queries.compare import DEFAULT_STATS, Comparison
from nba_mcp.queries.leaders import ADVANCED_TOTALS, STATS, TEAM_STATS, Leaders

METRICS = ", ".join(f"{m.metric}({', '.join(m.inputs)})" for m in calculator.supported_metrics())


class LeagueLeadersArguments(ToolArguments):
    stat: Annotated[
        str,
        Field(
            description="Players, per game: "
            + ", ".join(s for s in STATS if STATS[s].kind == "per_game")
            + "; totals: the same with _total; shooting: fg_pct, fg3_pct, ft_pct, efg_pct, "
            "ts_pct; advanced: "
            + ", ".join(s for s in STATS if STATS[s].kind == "minutes" or s in ADVANCED_TOTALS)
            + ". Teams (scope=team): "
            + ", ".join(TEAM_STATS)
            + ".",
            examples=["pts", "per", "ws", "fg_pct"],
            max_length=40,
        ),
    ]
    season: Season = None
    season_type: SeasonType = "regular"
    limit: Annotated[int, Field(ge=1, le=100, description="How many leaders.")] = 10
    scope: Annotated[
        Literal["player", "team"],
        Field(
            description="player (default) or team leaders; ortg, drtg, efg_pct, tov_pct, "
            "... exist for both."
        ),
    ] = "player"


def league_leaders(services: Services, args: LeagueLeadersArguments) -> Leaders:
    """League leaders in any per-game, total, shooting or advanced player stat (PER, TS%,
    USG%, ORtg, DRtg, win shares, BPM, VORP, ...) or, with scope=team, any team stat (pace,
    ratings, SRS, four factors), under Basketball-Reference's qualification rules: 70% of
    team games for per-game stats, minimum makes for FG%/3P%/FT%, 500 true shooting
    attempts for TS%, 1,500 minutes for the other rates, none for totals; pro-rated by team
    games. Lower-is-better stats (drtg, tov_pct, opponents' shooting) rank lowest first.
    A traded player counts once, on his season totals."""
    with services.connect() as conn:
        return leaders.league_leaders(
            conn, stat=args.stat, season=args.season, season_type=args.season_type,
            limit=args.limit, scope=args.scope,
        )  # fmt: skip


class ComparePlayersArguments(ToolArguments):
    players: Annotated[
        list[Annotated[str, Field(min_length=1, max_length=80)]],
        Field(
            min_length=2,
            max_length=10,
            description="2 to 10 player names or ids.",
            examples=[["Stephen Curry", "James Harden"]],
        ),
    ]
    season: Season = None
    season_type: SeasonType = "regular"
    stats: Annotated[
        list[Annotated[str, Field(max_length=40)]] | None,
        Field(
            max_length=40,
            description="Columns to compare, e.g. pts_per_g, ts_pct, per, ws, bpm "
            f"(default: {', '.join(DEFAULT_STATS)}). Any per-game (_per_g), per-36 "
            "(_per_36), per-100 (_per_100), shooting or advanced column works.",
        ),
    ] = None


def compare_players(services: Services, args: ComparePlayersArguments) -> Comparison:
    """Compare players' season lines side by side, each figure with its league rank
    (1 = best, lowest first for DRtg and turnovers) among the players who qualify for that
    stat under the leaderboard's minimums (70% of team games for per-game figures, makes
    for shooting percentages, 500 true shooting attempts for TS%, 1,500 minutes for
    advanced rates; none for totals). A traded player is compared on his TOT line."""
    with services.connect() as conn:
        return compare.compare_players(
            conn, players=args.players, season=args.season, season_type=args.season_type,
            stats=args.stats,
        )  # fmt: skip


class CalculateMetricArguments(ToolArguments):
    metric: Annotated[
        str, Field(description=f"One of: {METRICS}.", examples=["ts_pct", "per"], max_length=40)
    ]
    inputs: Annotated[
        dict[Annotated[str, Field(max_length=40)], float],
        Field(
            max_length=40,
            description="The metric's inputs by name. For a season metric (per, ortg, drtg, "
            "ows, dws, ws, ws_per_48, obpm, dbpm, bpm, vorp, usg_pct and the rates): the "
            "player's season line g, mp and the 13 counting stats (pts optional).",
            examples=[{"pts": 2375, "fga": 1598, "fta": 400}],
        ),
    ]
    season: Annotated[
        str | None,
        Field(
            description="For a season metric: the season whose league and team totals give "
            "the context, e.g. 2015-16.",
            max_length=7,
        ),
    ] = None
    season_type: SeasonType = "regular"
    team: Annotated[
        str | None,
        Field(description="For a season metric: the player's team that season.", max_length=40),
    ] = None
    player: Annotated[
        str | None,
        Field(
            description="For a season metric: the player whose stint on that team the line "
            "replaces (leave out for a hypothetical extra player).",
            max_length=80,
        ),
    ] = None


def calculate_metric(services: Services, args: CalculateMetricArguments) -> MetricResult:
    """Calculate a metric from numbers you supply: a scalar formula (TS% from PTS, FGA and
    FTA; Game Score from a box line; ...) or a season metric (PER, ORtg, DRtg, win shares,
    BPM, VORP, USG%, ...) from a player's season line plus a season and team, whose league
    and team context is taken from the data. The result has the full-precision value, the
    value rounded as Basketball-Reference shows it, the formula and its source."""
    if args.metric in calculator.SEASON_METRICS and args.season is not None:
        with services.connect() as conn:
            return calculator.calculate_metric(
                conn, metric=args.metric, inputs=args.inputs, season=args.season,
                season_type=args.season_type, team=args.team, player=args.player,
            )  # fmt: skip
    return calculator.calculate_metric(
        metric=args.metric, inputs=args.inputs, season=args.season, team=args.team
    )


TOOLS: tuple[AnyTool, ...] = (
    ToolSpec(compare_players, ComparePlayersArguments, Comparison,
             render.of_result(render.comparison), compare.compare_players,
             HttpRoute("GET", "/v1/compare")),
    ToolSpec(league_leaders, LeagueLeadersArguments, Leaders, render.of_result(render.leaders),
             leaders.league_leaders, HttpRoute("GET", "/v1/leaders/{stat}"), from_memory=True),
    ToolSpec(calculate_metric, CalculateMetricArguments, MetricResult,
             render.of_result(render.metric), calculator.calculate_metric,
             HttpRoute("POST", "/v1/metrics/{metric}")),
)  # fmt: skip
