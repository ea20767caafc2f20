"""``nba-mcp db``: migrations as their own step."""

from __future__ import annotations

from typing import Annotated

import typer

from nba_mcp.cli.context import app_context
from nba_mcp.cli.output import console, emit_json
from nba_mcp.config import redact_url
from nba_mcp.db import migrate

app = typer.Typer(help="Create and upgrade the database schema.", no_args_is_help=True)
JsonOption = Annotated[bool, typer.Option("--json", help="Print one JSON document.")]


@app.command()
def upgrade(ctx: typer.Context, as_json: JsonOption = False) -> None:
    """Apply every migration not yet applied (creates the database if needed)."""
    context = app_context(ctx)
    engine = context.engine(require_schema=False)
    sql_url = context.settings.sql_database_url
    migrate.upgrade(engine, sql_url=sql_url.get_secret_value() if sql_url else None)
    state = migrate.status(engine)
    if as_json:
        emit_json({"database": redact_url(str(engine.url)), "revision": state.current})
        return
    console.print(f"Schema of {redact_url(str(engine.url))} is at revision {state.current}.")


@app.command()
def status(ctx: typer.Context, as_json: JsonOption = False) -> None:
    """Show the schema's revision and the migrations still to apply. Exit 1 if behind."""
    engine = app_context(ctx).engine(require_schema=False)
    state = migrate.status(engine)
    if as_json:
        emit_json(
            {
                "database": redact_url(str(engine.url)),
                "current": state.current,
                "head": state.head,
                "pending": state.pending,
                "up_to_date": state.up_to_date,
            }
        )
    else:
        console.print(f"database: {redact_url(str(engine.url))}")
        console.print(f"current:  {state.current or 'empty'}")
        console.print(f"head:     {state.head}")
        if state.pending:
            console.print(f"pending:  {', '.join(state.pending)} (run `nba-mcp db upgrade`)")
    if not state.up_to_date:
        raise typer.Exit(1)
