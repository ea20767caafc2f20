"""``nba-mcp player``, ``team`` and ``game``: the first questions the data answers."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from nba_mcp.cli.context import app_context
from nba_mcp.cli.output import console, emit_json, table

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
) -> None:
    """A player's season: team(s), games, minutes, totals and per-game averages."""
    from nba_mcp.queries.players import player_season

    engine = app_context(ctx).engine()
    with engine.connect() as conn:
        result = player_season(
            conn, player=name, season=season, season_type=season_type, advanced=advanced
        )
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
) -> None:
    """A team's season: record, home and away, points for and against per game."""
    from nba_mcp.queries.teams import team_season

    engine = app_context(ctx).engine()
    with engine.connect() as conn:
        result = team_season(conn, team=abbreviation, season=season, season_type=season_type)
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
    from nba_mcp.catalog.render import pct

    title = f"{result.player.name} {result.season} ({result.season_type})"
    console.print(
        table(
            title + " totals",
            ["team", "G", "MP", "FG", "3P", "FT", "TRB", "AST", "STL", "BLK", "TOV", "PTS", "FG%", "3P%", "FT%"],
            [
                (r.team, r.g, r.mp, f"{r.totals.fgm}-{r.totals.fga}", f"{r.totals.fg3m}-{r.totals.fg3a}",
                 f"{r.totals.ftm}-{r.totals.fta}", r.totals.reb, r.totals.ast, r.totals.stl, r.totals.blk,
                 r.totals.tov, r.totals.pts, pct(r.shooting.fg_pct), pct(r.shooting.fg3_pct), pct(r.shooting.ft_pct))
                for r in result.rows
            ],
        )
    )  # fmt: skip
    console.print(
        table(
            title + " per game",
            ["team", "G", "MIN", "PTS", "TRB", "AST", "STL", "BLK", "TOV", "3PM"],
            [
                (r.team, r.g, r.per_game.min, r.per_game.pts, r.per_game.reb, r.per_game.ast,
                 r.per_game.stl, r.per_game.blk, r.per_game.tov, r.per_game.fg3m)
                for r in result.rows
            ],
        )
    )  # fmt: skip
    _print_advanced(title, result)


def _print_team(r: TeamSeason) -> None:
    from nba_mcp.catalog.render import pct

    off, de = r.four_factors.offense, r.four_factors.defense
    console.print(
        table(
            f"{r.team.name} {r.season} ({r.season_type})",
            ["record", "home", "away", "pts/g", "opp pts/g", "MOV", "SRS", "pace", "ORtg",
             "DRtg", "net", "TS%"],
            [(r.record, r.home, r.away, r.pts_per_game, r.opp_pts_per_game, r.mov, r.srs,
              r.pace, r.ortg, r.drtg, r.net_rtg, pct(r.ts_pct))],
        )
    )  # fmt: skip
    console.print(
        table(
            "Four factors",
            ["side", "eFG%", "TOV%", "ORB% / DRB%", "FT/FGA"],
            [("offense", pct(off.efg_pct), off.tov_pct, off.orb_pct, pct(off.ft_per_fga)),
             ("defense", pct(de.efg_pct), de.tov_pct, de.drb_pct, pct(de.ft_per_fga))],
        )
    )  # fmt: skip


def _print_advanced(title: str, result: PlayerSeason) -> None:
    from nba_mcp.catalog.render import pct

    rows = [(r.team, r.advanced) for r in result.rows if r.advanced is not None]
    if not rows:
        return
    console.print(
        table(
            title + " advanced",
            ["team", "PER", "TS%", "USG%", "ORtg", "DRtg", "OWS", "DWS", "WS", "WS/48", "OBPM",
             "DBPM", "BPM", "VORP"],
            [(team, a.per, pct(a.ts_pct), a.usg_pct, a.ortg, a.drtg, a.ows, a.dws, a.ws,
              pct(a.ws_per_48), a.obpm, a.dbpm, a.bpm, a.vorp) for team, a in rows],
        )
    )  # fmt: skip


def _print_game(result: GameBox) -> None:
    sides = [result.away, result.home]
    console.print(f"{result.date} {result.season} ({result.season_type}) game {result.game_id}")
    if all(side.periods for side in sides):
        console.print(
            table(
                "Score by period",
                ["team", "Q1", "Q2", "Q3", "Q4", "OT", "T"],
                [(s.team, *(s.periods or []), s.score) for s in sides],
            )
        )
    for side in sides:
        _print_box(side)


def _print_box(side: TeamGame) -> None:
    lines = [*side.players, side.totals]
    console.print(
        table(
            f"{side.name} ({'home' if side.is_home else 'away'})",
            ["", "MIN", "FG", "3P", "FT", "ORB", "DRB", "AST", "STL", "BLK", "TOV", "PF", "PTS"],
            [
                (b.name, b.min, f"{b.fgm}-{b.fga}", f"{b.fg3m}-{b.fg3a}", f"{b.ftm}-{b.fta}", b.oreb,
                 b.dreb, b.ast, b.stl, b.blk, b.tov, b.pf, b.pts)
                for b in lines
            ],
        )
    )  # fmt: skip
