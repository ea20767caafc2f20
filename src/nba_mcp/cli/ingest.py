"""``nba-mcp ingest``: load a source atomically, then print the validation summary."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)

from nba_mcp.cli.context import AppContext, app_context
from nba_mcp.cli.output import console, emit_json, errors, table
from nba_mcp.ingest import bref, nba_stats
from nba_mcp.ingest.batch import Batch
from nba_mcp.ingest.load import LoadResult, load_batch
from nba_mcp.ingest.validate import CheckResult, ValidationReport, validate

app = typer.Typer(
    help="Load NBA data into the database (atomic and idempotent).", no_args_is_help=True
)

SeasonOption = Annotated[
    str | None, typer.Option("--season", help="Only this season, e.g. 2018-19.")
]
QuietOption = Annotated[bool, typer.Option("--quiet", "-q", help="No progress bars.")]
JsonOption = Annotated[bool, typer.Option("--json", help="Print the summary as one JSON document.")]
DirArgument = Annotated[
    Path, typer.Argument(exists=True, file_okay=False, help="Directory holding the source files.")
]


@app.command("bref")
def ingest_bref(
    ctx: typer.Context, directory: DirArgument, season: SeasonOption = None,
    quiet: QuietOption = False, as_json: JsonOption = False,
) -> None:  # fmt: skip
    """Basketball-Reference box scores (games_, players_, team_box_scores_, player_box_scores_ files)."""
    _run(
        app_context(ctx),
        lambda: bref.parse(directory, season),
        quiet=quiet or as_json,
        as_json=as_json,
    )


@app.command("nba-stats")
def ingest_nba_stats(
    ctx: typer.Context, directory: DirArgument, season: SeasonOption = None,
    quiet: QuietOption = False, as_json: JsonOption = False,
) -> None:  # fmt: skip
    """NBA.com team game logs, line scores and advanced summaries, merged by game id."""
    _run(
        app_context(ctx),
        lambda: nba_stats.parse(directory, season),
        quiet=quiet or as_json,
        as_json=as_json,
    )


@app.command("nba-api")
def ingest_nba_api(
    ctx: typer.Context,
    season: Annotated[str, typer.Option("--season", help="Season to fetch, e.g. 2023-24.")],
    playoffs: Annotated[
        bool, typer.Option("--playoffs/--no-playoffs", help="Also fetch playoff games.")
    ] = False,
    quiet: QuietOption = False,
    as_json: JsonOption = False,
) -> None:
    """Live from NBA.com's stats API (LeagueGameLog for players and teams), paced and retried."""
    from nba_mcp.ingest import nba_api_live

    context = app_context(ctx)
    settings = context.settings
    types = ("regular", "playoffs") if playoffs else ("regular",)
    _run(
        context,
        lambda: nba_api_live.fetch(
            season,
            season_types=types,
            timeout=settings.nba_api_timeout_seconds,
            pause=settings.nba_api_pause_seconds,
            retries=settings.nba_api_retries,
        ),
        quiet=quiet or as_json,
        as_json=as_json,
    )


def _run(context: AppContext, parse: Callable[[], Batch], *, quiet: bool, as_json: bool) -> None:
    from nba_mcp.queries import advanced_tables  # pandas and the analytics: only to load

    engine = context.engine()
    with _progress(quiet) as bars:
        batch = parse()
        result = load_batch(engine, batch, bars.advance, derive=advanced_tables.rebuild)
        bars.finish(result.offered)
    report = validate(engine)
    if as_json:
        emit_json(
            {
                "source": batch.source,
                "files": batch.files,
                "seasons": sorted(batch.seasons),
                "changed": result.changed,
                "offered": result.offered,
                "data_version": result.data_version,
                "validation": report.model_dump(),
                "ok": report.ok,
            }
        )
    else:
        _print_summary(batch, result, report)
    if not report.ok:
        errors.print(
            "[yellow]warning:[/yellow] the loaded data fails a consistency check (see above)."
        )


class _Bars:
    """The progress bars of one load (none with --quiet). When the load is done each bar
    shows the rows the load offered to its table, the figure the summary's table shows."""

    def __init__(self, bars: Progress | None) -> None:
        self.bars = bars
        self.tasks: dict[str, TaskID] = {}

    def advance(self, name: str, done: int, total: int) -> None:
        if self.bars is None:
            return
        if name not in self.tasks:
            self.tasks[name] = self.bars.add_task(name, total=total)
        self.bars.update(self.tasks[name], completed=done, total=total)

    def finish(self, offered: dict[str, int]) -> None:
        if self.bars is None:
            return
        for name, task in self.tasks.items():
            if name in offered:
                self.bars.update(task, completed=offered[name], total=offered[name])


@contextmanager
def _progress(quiet: bool) -> Iterator[_Bars]:
    if quiet:
        yield _Bars(None)
        return
    bars = Progress(
        TextColumn("{task.description:<18}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
        console=errors, transient=False,
    )  # fmt: skip
    with bars:
        yield _Bars(bars)


#: How many mismatches of a check the table shows (``--json`` lists up to 25).
SHOWN_MISMATCHES = 1


def _print_summary(batch: Batch, result: LoadResult, report: ValidationReport) -> None:
    console.print(
        f"Loaded {batch.source} ({', '.join(sorted(batch.seasons))}): "
        f"{result.total_changed} rows changed, data version {result.data_version}."
    )
    rows = table(
        "Rows",
        ["table", "offered", "changed", "in database"],
        [(name, result.offered.get(name, ""), result.changed.get(name, ""), count)
         for name, count in report.tables.items()],
    )  # fmt: skip
    rows.caption = (
        "offered: rows this load wrote or found unchanged "
        "(teams and players include the reference lists)"
    )
    console.print(rows)
    console.print(
        table(
            "Seasons",
            ["season", "type", "games", "teams", "players"],
            [
                (s.season, s.season_type, s.games, s.teams, s.players_with_box_scores)
                for s in report.seasons
            ],
        )
    )
    console.print(
        table(
            "Consistency checks",
            ["check", "kind", "checked", "mismatches", "first mismatches"],
            [
                (c.name, KINDS[c.severity], c.checked, c.mismatch_count, _first(c))
                for c in report.checks
            ],
        )
    )
    _print_known_differences(report)


def _print_known_differences(report: ValidationReport) -> None:
    """Why the ``info`` checks that found mismatches found them, one line per reason."""
    reasons: dict[str, list[CheckResult]] = {}
    for check in report.checks:
        if check.expected is not None and check.mismatch_count:
            reasons.setdefault(check.expected, []).append(check)
    if not reasons:
        return
    console.print("Known differences between the sources, expected and not errors:")
    for reason, checks in reasons.items():
        named = ", ".join(f"{c.name} ({c.mismatch_count} of {c.checked})" for c in checks)
        console.print(f"  {named}: {reason}.", highlight=False)


#: What a check's kind means to a reader of the summary.
KINDS = {"error": "must pass", "info": "known difference"}


def _first(check: CheckResult) -> str:
    """The first mismatches with their values named: ``game 0021500002, team 1610612739:
    team total 11, players' sum 10``."""
    shown = []
    for mismatch in check.mismatches[:SHOWN_MISMATCHES]:
        values = mismatch.split(" ")
        named = [f"{label} {value}" for label, value in zip(check.columns, values, strict=False)]
        shown.append(", ".join(named[:2]) + (": " + ", ".join(named[2:]) if named[2:] else ""))
    more = check.mismatch_count - len(shown)
    return "; ".join(shown) + (f"; {more} more" if more > 0 and shown else "")
