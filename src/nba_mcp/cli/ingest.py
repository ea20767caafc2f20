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
from nba_mcp.ingest.load import Progress as ProgressCallback
from nba_mcp.ingest.validate import ValidationReport, validate

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
    engine = context.engine()
    with _progress(quiet) as on_progress:
        batch = parse()
        result = load_batch(engine, batch, on_progress)
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


@contextmanager
def _progress(quiet: bool) -> Iterator[ProgressCallback]:
    if quiet:
        yield lambda *_: None
        return
    bars = Progress(
        TextColumn("{task.description:<18}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
        console=errors, transient=False,
    )  # fmt: skip
    tasks: dict[str, TaskID] = {}

    def advance(name: str, done: int, total: int) -> None:
        if name not in tasks:
            tasks[name] = bars.add_task(name, total=total)
        bars.update(tasks[name], completed=done)

    with bars:
        yield advance


def _print_summary(batch: Batch, result: LoadResult, report: ValidationReport) -> None:
    console.print(
        f"Loaded {batch.source} ({', '.join(sorted(batch.seasons))}): "
        f"{result.total_changed} rows changed, data version {result.data_version}."
    )
    console.print(
        table(
            "Rows",
            ["table", "in source", "changed", "in database"],
            [(name, result.offered.get(name, ""), result.changed.get(name, ""), count)
             for name, count in report.tables.items()],
        )
    )  # fmt: skip
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
                (c.name, c.severity, c.checked, c.mismatch_count, "; ".join(c.mismatches[:3]))
                for c in report.checks
            ],
        )
    )
