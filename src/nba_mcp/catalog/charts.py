"""The ``chart`` tool: other tools' numbers drawn as a PNG for a chat or a report.

Three kinds, each built from the result of the tool that answers the same question in
numbers, called through its own ``run`` function (so a chart never disagrees with it):

- ``player_games``: ``player_game_log``; points and a chosen stat game by game, each with
  a rolling average over ``window`` games;
- ``team_season``: :func:`nba_mcp.queries.team_log.team_game_log` for the games (net
  rating of each, season-to-date net rating, the record after each) and
  ``team_season_stats`` for the season's figures, which the last game's equal;
- ``compare_players``: ``compare_players``; advanced metrics side by side, a panel per
  metric and a bar per player.

The structured result is the :class:`~nba_mcp.catalog.plots.Chart` drawn: every plotted
series with its values, so a client can check or redraw them. Kinds take only their own
arguments; a chart of five players and six metrics is the most one picture shows legibly.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import Field

from nba_mcp.catalog import league, players, plots, teams
from nba_mcp.catalog.arguments import PlayerName, Season, SeasonType, TeamName
from nba_mcp.catalog.formats import FORMATS
from nba_mcp.catalog.plots import Chart, Panel, Series
from nba_mcp.catalog.spec import AnyTool, HttpRoute, Services, ToolArguments, ToolSpec
from nba_mcp.errors import InvalidArguments
from nba_mcp.jsonbody import canonical_json
from nba_mcp.queries import team_log

Kind = Literal["player_games", "team_season", "compare_players"]
GameStat = Literal[
    "pts", "reb", "ast", "stl", "blk", "tov", "fgm", "fga", "fg3m", "fg3a", "ftm", "fta",
    "oreb", "dreb", "pf", "min", "game_score",
]  # fmt: skip
AdvancedStat = Literal[
    "per", "ts_pct", "efg_pct", "usg_pct", "ortg", "drtg", "ows", "dws", "ws", "ws_per_48",
    "obpm", "dbpm", "bpm", "vorp", "orb_pct", "drb_pct", "trb_pct", "ast_pct", "stl_pct",
    "blk_pct", "tov_pct",
]  # fmt: skip
NOUNS = {
    "pts": "points", "reb": "rebounds", "ast": "assists", "stl": "steals", "blk": "blocks",
    "tov": "turnovers", "fgm": "field goals", "fga": "field goal attempts",
    "fg3m": "3-pointers", "fg3a": "3-point attempts", "ftm": "free throws",
    "fta": "free throw attempts", "oreb": "offensive rebounds", "dreb": "defensive rebounds",
    "pf": "fouls", "min": "minutes", "game_score": "Game Score",
}  # fmt: skip
DEFAULT_ADVANCED: tuple[AdvancedStat, ...] = (
    "per",
    "ts_pct",
    "usg_pct",
    "ws_per_48",
    "bpm",
    "vorp",
)
MAX_PLAYERS = 5
MAX_METRICS = 6
MAX_WINDOW = 20
#: The arguments each kind takes besides kind, season and season_type.
TAKES: dict[str, frozenset[str]] = {
    "player_games": frozenset({"player", "stat", "window"}),
    "team_season": frozenset({"team"}),
    "compare_players": frozenset({"players", "stats"}),
}
NEEDS = {"player_games": "player", "team_season": "team", "compare_players": "players"}
SEASON_TYPES = {"regular": "regular season", "playoffs": "playoffs", "play_in": "play-in"}
_MONTHS = ("", "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


class ChartArguments(ToolArguments):
    kind: Annotated[
        Kind,
        Field(
            description="player_games (needs player; stat, window), team_season (needs "
            "team) or compare_players (needs players; stats)."
        ),
    ]
    player: PlayerName | None = None
    players: Annotated[
        list[Annotated[str, Field(min_length=1, max_length=80)]] | None,
        Field(
            min_length=2,
            max_length=MAX_PLAYERS,
            description=f"2 to {MAX_PLAYERS} player names or ids (compare_players).",
            examples=[["Stephen Curry", "James Harden"]],
        ),
    ] = None
    team: TeamName | None = None
    season: Season = None
    season_type: SeasonType = "regular"
    stat: Annotated[GameStat, Field(description="The stat drawn under points (player_games).")] = (
        "reb"
    )
    stats: Annotated[
        list[AdvancedStat] | None,
        Field(
            min_length=1,
            max_length=MAX_METRICS,
            description=f"Up to {MAX_METRICS} advanced metrics (compare_players; default: "
            f"{', '.join(DEFAULT_ADVANCED)}).",
        ),
    ] = None
    window: Annotated[
        int,
        Field(ge=1, le=MAX_WINDOW, description="Games in the rolling average (player_games)."),
    ] = 5


def chart(services: Services, args: ChartArguments) -> Chart:
    """A chart as a PNG image, with the plotted numbers: a player's games (points and a
    chosen stat with rolling averages), a team's season (net rating game by game and to
    date, and its record), or players' advanced metrics side by side. The numbers are those
    of player_game_log, team_season_stats and compare_players.

    Example: kind="player_games", player="Stephen Curry", season="2015-16", stat="fg3m".
    """
    _check(args)
    if args.kind == "player_games":
        return _player_games(services, args)
    if args.kind == "team_season":
        return _team_season(services, args)
    return _compare_players(services, args)


def _check(args: ChartArguments) -> None:
    """Each kind needs its subject and refuses the arguments of the other kinds (a value
    other than the default: MCP clients may send every default along)."""
    needed = NEEDS[args.kind]
    if getattr(args, needed) is None:
        raise InvalidArguments([(needed, f"{needed} is required for a {args.kind} chart.")])
    others = sorted(
        name
        for name in set().union(*TAKES.values()) - TAKES[args.kind]
        if getattr(args, name) != ChartArguments.model_fields[name].default
    )
    if others:
        takes = ", ".join(sorted(TAKES[args.kind]))
        raise InvalidArguments(
            [(name, f"{name} is not taken by a {args.kind} chart; it takes {takes}.")
             for name in others]
        )  # fmt: skip


def _player_games(services: Services, args: ChartArguments) -> Chart:
    query = players.PlayerGameLogArguments.model_validate(
        {"player": args.player, "season": args.season, "season_type": args.season_type}
    )
    log = players.player_game_log(services, query)
    games = log.games
    x = [index + 1 for index in range(len(games))]
    ticks = [_day(g.date) for g in games]
    shown = ["pts"] if args.stat == "pts" else ["pts", args.stat]
    panels = []
    for stat in shown:
        values = [float(getattr(g, stat)) for g in games]
        label = FORMATS["mp" if stat == "min" else stat].label
        panels.append(
            Panel(
                title=None,
                x_label="game (date)",
                y_label=label,
                x=x,
                x_ticks=ticks,
                series=[
                    Series(name=f"{label} each game", style="points", values=[*values]),
                    Series(
                        name=f"{label}, {args.window}-game average",
                        style="line",
                        values=[*rolling_mean(values, args.window)],
                    ),
                ],
            )
        )
    what = " and ".join(NOUNS[stat] for stat in shown)
    return Chart(
        kind=args.kind,
        title=f"{log.player.name}, {_season(log.season, log.season_type)}: {what} per game",
        source=_call("player_game_log", query.model_dump(mode="json", exclude_none=True)),
        panels=panels,
    )


def _team_season(services: Services, args: ChartArguments) -> Chart:
    query = teams.TeamSeasonStatsArguments.model_validate(
        {"team": args.team, "season": args.season, "season_type": args.season_type}
    )
    season = teams.team_season_stats(services, query)
    with services.connect() as conn:
        log = team_log.team_game_log(
            conn, team=season.team.abbreviation, season=season.season,
            season_type=season.season_type,
        )  # fmt: skip
    games = log.games
    x = [g.game for g in games]
    ticks = [_day(g.date) for g in games]
    rating = Panel(
        title="Net rating (points per 100 possessions)",
        x_label="game (date)",
        y_label="NRtg",
        x=x,
        x_ticks=ticks,
        series=[
            Series(name="each game", style="signed_bars", values=[g.net_rtg for g in games]),
            Series(name="season to date", style="line",
                   values=[g.season_net_rtg for g in games]),
        ],
    )  # fmt: skip
    record = Panel(
        title="Record",
        x_label="game (date)",
        y_label="games",
        x=x,
        x_ticks=ticks,
        series=[
            Series(name="wins", style="step", values=[float(g.wins) for g in games]),
            Series(name="losses", style="step", values=[float(g.losses) for g in games]),
        ],
    )
    team = season.team.name
    return Chart(
        kind=args.kind,
        title=f"{team}, {_season(season.season, season.season_type)}: net rating and record "
        f"({season.record})",
        source=_call("team_season_stats", query.model_dump(mode="json", exclude_none=True))
        + " and the team's box scores game by game",
        panels=[rating, record],
    )


def _compare_players(services: Services, args: ChartArguments) -> Chart:
    stats = list(args.stats or DEFAULT_ADVANCED)
    query = league.ComparePlayersArguments.model_validate(
        {"players": args.players, "season": args.season, "season_type": args.season_type,
         "stats": stats}
    )  # fmt: skip
    compared = league.compare_players(services, query)
    names = [p.player.name for p in compared.players]
    x = list(range(1, len(names) + 1))
    panels = [
        Panel(
            title=FORMATS[stat].label,
            x_label="",
            y_label=FORMATS[stat].label,
            x=x,
            x_ticks=names,
            series=[
                Series(
                    name=FORMATS[stat].label,
                    style="bars",
                    values=[p.stats[stat].value for p in compared.players],
                )
            ],
        )
        for stat in stats
    ]
    who = " vs ".join(names) if len(names) <= 3 else f"{len(names)} players"
    return Chart(
        kind=args.kind,
        title=f"{who}, {_season(compared.season, compared.season_type)}: advanced metrics",
        source=_call("compare_players", query.model_dump(mode="json", exclude_none=True)),
        panels=panels,
    )


def rolling_mean(values: list[float], window: int) -> list[float]:
    """The mean of each value and the ``window - 1`` before it (fewer at the start), to
    two decimals."""
    means = []
    total = 0.0
    for index, value in enumerate(values):
        total += value
        if index >= window:
            total -= values[index - window]
        means.append(round(total / min(index + 1, window), 2))
    return means


def render(args: ChartArguments, result: Chart) -> str:
    """What the picture shows, in words, and where its numbers come from."""
    points = max((len(panel.x) for panel in result.panels), default=0)
    counted = "games" if args.kind != "compare_players" else "players"
    return (
        f"Chart (PNG image, {result.width_px}x{result.height_px}): {result.title}; "
        f"{points} {counted}, {len(result.panels)} panel{'s' if len(result.panels) > 1 else ''}. "
        f"Numbers from {result.source}; the structured result holds every plotted series."
    )


def _season(season: str, season_type: str) -> str:
    return f"{season} {SEASON_TYPES.get(season_type, season_type)}"


def _day(date: dt.date) -> str:
    return f"{_MONTHS[date.month]} {date.day}"


def _call(tool: str, arguments: dict[str, object]) -> str:
    return f"{tool}({canonical_json(arguments)})"


TOOLS: tuple[AnyTool, ...] = (
    ToolSpec(chart, ChartArguments, Chart, render, team_log.team_game_log,
             HttpRoute("GET", "/v1/charts/{kind}"), draw=plots.draw),
)  # fmt: skip
