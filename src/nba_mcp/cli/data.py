"""``nba-mcp player``, ``team`` and ``game``: the first questions the data answers."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from nba_mcp.cli.context import app_context
from nba_mcp.cli.output import console, emit_json, table
from nba_mcp.cli.tools import write_chart

if TYPE_CHECKING:  # the queries (and pandas) load when a command asks, not for --help
    from nba_mcp.queries.games import GameBox, TeamGame
    from nba_mcp.queries.players import PlayerSeason
    from nba_mcp.queries.teams import TeamSeason

JsonOption = Annotated[bool, typer.Option("--json", help="Print one JSON document.")]
SeasonOption = Annotated[
    str | None,
    typer.Option("--season", help="Season such as 2015-16 (default: the latest loaded)."),
]
SeasonTypeOption = Annotated[
    str, typer.Option("--season-type", help="regular, playoffs or play_in.")
]
PlotOption = Annotated[
    Path | None,
    typer.Option("--plot", help="Also write a chart of the season to this PNG file.",
                 dir_okay=False),
]  # fmt: skip


def register(app: typer.Typer) -> None:
    app.command("player")(player)
    app.command("team")(team)
    app.command("game")(game)


def player(
    ctx: typer.Context,
    name: Annotated[
        str, typer.Argument(help='Player name; accents and suffixes optional ("Nikola Jokic").')
    ],
    season: SeasonOption = None,
    season_type: SeasonTypeOption = "regular",
    advanced: Annotated[
        bool, typer.Option("--advanced", help="Add per-36, per-100 and advanced metrics.")
    ] = False,
    as_json: JsonOption = False,
    plot: PlotOption = None,
) -> None:
    """A player's season: team(s), games, minutes, totals and per-game averages.

    --plot FILE also draws his games (points and rebounds, 5-game averages) as a PNG.
    """
    from nba_mcp.queries.players import player_season

    engine = app_context(ctx).engine()
    with engine.connect() as conn:
        result = player_season(
            conn, player=name, season=season, season_type=season_type, advanced=advanced
        )
    if plot is not None:
        write_chart(ctx, plot, {"kind": "player_games", "player": name,
                                "season": result.season, "season_type": season_type})  # fmt: skip
    if as_json:
        emit_json(result)
    else:
        _print_player(result)


def team(
    ctx: typer.Context,
    abbreviation: Annotated[str, typer.Argument(help="Team abbreviation (GSW), nickname or name.")],
    season: SeasonOption = None,
    season_type: SeasonTypeOption = "regular",
    as_json: JsonOption = False,
    plot: PlotOption = None,
) -> None:
    """A team's season: record, home and away, points for and against per game.

    --plot FILE also draws its season (net rating game by game, the record) as a PNG.
    """
    from nba_mcp.queries.teams import team_season

    engine = app_context(ctx).engine()
    with engine.connect() as conn:
        result = team_season(conn, team=abbreviation, season=season, season_type=season_type)
    if plot is not None:
        write_chart(ctx, plot, {"kind": "team_season", "team": abbreviation,
                                "season": result.season, "season_type": season_type})  # fmt: skip
    if as_json:
        emit_json(result)
        return
    _print_team(result)


def game(
    ctx: typer.Context,
    game_id: Annotated[str, typer.Argument(help="NBA.com game id, e.g. 0021500003.")],
    as_json: JsonOption = False,
) -> None:
    """Both teams' box scores and the score by quarter when known."""
    from nba_mcp.queries.games import game_box

    engine = app_context(ctx).engine()
    with engine.connect() as conn:
        result = game_box(conn, game_id=game_id)
    if as_json:
        emit_json(result)
    else:
        _print_game(result)


def _print_player(result: PlayerSeason) -> None:
    from nba_mcp.catalog.formats import FORMATS, fraction, per_game, show

    title = f"{result.player.name} {result.season} ({result.season_type})"
    counts = ("reb", "ast", "stl", "blk", "tov", "pts")
    console.print(
        table(
            title + " totals",
            ["team", "G", "MP", "FG", "3P", "FT", *(FORMATS[s].label for s in counts),
             "FG%", "3P%", "FT%"],
            [
                (r.team, show("g", r.g), show("mp", r.mp), f"{r.totals.fgm}-{r.totals.fga}",
                 f"{r.totals.fg3m}-{r.totals.fg3a}", f"{r.totals.ftm}-{r.totals.fta}",
                 *(show(s, getattr(r.totals, s)) for s in counts), fraction(r.shooting.fg_pct),
                 fraction(r.shooting.fg3_pct), fraction(r.shooting.ft_pct))
                for r in result.rows
            ],
        )
    )  # fmt: skip
    averages = ("min", "pts", "reb", "ast", "stl", "blk", "tov", "fg3m")
    console.print(
        table(
            title + " per game",
            ["team", "G", *(FORMATS["mp" if s == "min" else s].label for s in averages)],
            [
                (r.team, show("g", r.g),
                 *(per_game("mp" if s == "min" else s, getattr(r.per_game, s)) for s in averages))
                for r in result.rows
            ],
        )
    )  # fmt: skip
    _print_advanced(title, result)


def _print_team(r: TeamSeason) -> None:
    from nba_mcp.catalog.formats import FORMATS, show

    off, de = r.four_factors.offense, r.four_factors.defense
    figures = {"pts_per_g": r.pts_per_game, "opp_pts_per_g": r.opp_pts_per_game, "mov": r.mov,
               "srs": r.srs, "pace": r.pace, "ortg": r.ortg, "drtg": r.drtg,
               "net_rtg": r.net_rtg, "ts_pct": r.ts_pct}  # fmt: skip
    console.print(
        table(
            f"{r.team.name} {r.season} ({r.season_type})",
            ["record", "home", "away", *(FORMATS[stat].label for stat in figures)],
            [(str(r.record), str(r.home), str(r.away),
              *(show(stat, value) for stat, value in figures.items()))],
        )
    )  # fmt: skip
    console.print(
        table(
            "Four factors",
            ["side", "eFG%", "TOV%", "ORB% / DRB%", "FT/FGA"],
            [("offense", show("efg_pct", off.efg_pct), show("tov_pct", off.tov_pct),
              show("orb_pct", off.orb_pct), show("ft_per_fga", off.ft_per_fga)),
             ("defense", show("efg_pct", de.efg_pct), show("tov_pct", de.tov_pct),
              show("drb_pct", de.drb_pct), show("ft_per_fga", de.ft_per_fga))],
        )
    )  # fmt: skip


_ADVANCED = ("per", "ts_pct", "usg_pct", "ortg", "drtg", "ows", "dws", "ws", "ws_per_48",
             "obpm", "dbpm", "bpm", "vorp")  # fmt: skip


def _print_advanced(title: str, result: PlayerSeason) -> None:
    from nba_mcp.catalog.formats import FORMATS, show

    rows = [(r.team, r.advanced) for r in result.rows if r.advanced is not None]
    if not rows:
        return
    console.print(
        table(
            title + " advanced",
            ["team", *(FORMATS[stat].label for stat in _ADVANCED)],
            [(team, *(show(stat, getattr(a, stat)) for stat in _ADVANCED)) for team, a in rows],
        )
    )


def _print_game(result: GameBox) -> None:
    from nba_mcp.catalog.render import game_box

    sides = [result.away, result.home]
    console.print(f"Game {result.game_id}: {game_box(result)}", markup=False, highlight=False)
    if all(side.periods for side in sides):
        overtime = ["OT"] if result.overtimes else []  # no OT column without overtime
        console.print(
            table(
                "Score by period",
                ["team", "Q1", "Q2", "Q3", "Q4", *overtime, "T"],
                [(s.team, *(s.periods or [])[: 4 + len(overtime)], s.score) for s in sides],
            )
        )
        if result.overtimes > 1:
            console.print(
                f"OT: the points of all {result.overtimes} overtime periods together "
                "(the data has no split by period).",
                markup=False,
                highlight=False,
            )
    for side in sides:
        _print_box(side)


def _print_box(side: TeamGame) -> None:
    from nba_mcp.catalog.formats import minutes, show

    lines = [(b, minutes(b.min)) for b in side.players]
    lines.append((side.totals, show("mp", side.totals.min)))  # team minutes: 240, 265, ...
    console.print(
        table(
            f"{side.name} ({'home' if side.is_home else 'away'})",
            ["", "MP", "FG", "3P", "FT", "ORB", "DRB", "AST", "STL", "BLK", "TOV", "PF", "PTS"],
            [
                (b.name, mp, f"{b.fgm}-{b.fga}", f"{b.fg3m}-{b.fg3a}", f"{b.ftm}-{b.fta}", b.oreb,
                 b.dreb, b.ast, b.stl, b.blk, b.tov, b.pf, b.pts)
                for b, mp in lines
            ],
        )
    )  # fmt: skip
