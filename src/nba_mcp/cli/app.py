"""Entry point of ``nba-mcp``: builds the settings, wires the sub-commands and turns
domain errors into messages and exit codes (1: bad input, 2: a dependency is down)."""

from __future__ import annotations

import os
import sys
from typing import Annotated, NoReturn

import typer
from pydantic import ValidationError
from rich.text import Text
from sqlalchemy.exc import OperationalError

from nba_mcp import __version__
from nba_mcp.cli import ask, data, db, ingest, keys, ops, serve, tools
from nba_mcp.cli.context import AppContext, app_context
from nba_mcp.cli.output import emit_json, errors, table
from nba_mcp.config import Settings
from nba_mcp.db.errors import database_unavailable
from nba_mcp.errors import DependencyUnavailable, NbaMcpError
from nba_mcp.observability.logging import configure_logging

app = typer.Typer(
    name="nba-mcp",
    help="NBA data and Basketball-Reference-exact metrics for AI assistants and programs.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
config_app = typer.Typer(help="Show the configuration in force.", no_args_is_help=True)
app.add_typer(config_app, name="config")
app.add_typer(db.app, name="db")
app.add_typer(ingest.app, name="ingest")
app.add_typer(keys.app, name="keys")
app.add_typer(ops.app, name="ops")
data.register(app)
tools.register(app)
app.command("ask")(ask.ask)
app.command("serve")(serve.serve)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"nba-mcp {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    ctx: typer.Context,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version.")
    ] = False,
) -> None:
    """Settings come from NBA_MCP_* environment variables and a .env file."""
    try:
        settings = Settings()
    except ValidationError as exc:
        raise NbaMcpError(f"Invalid configuration: {exc}") from None
    configure_logging(settings.log_level, json_lines=settings.log_json)
    context = AppContext(settings=settings)
    ctx.obj = context
    ctx.call_on_close(context.close)


@config_app.command("show")
def config_show(
    ctx: typer.Context, as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False
) -> None:
    """Print the effective settings, secrets redacted."""
    shown = app_context(ctx).settings.redacted()
    if as_json:
        emit_json(shown)
        return
    from nba_mcp.cli.output import console

    console.print(table("Settings (NBA_MCP_*)", ["setting", "value"], shown.items()))


def main() -> None:
    """Run the CLI: exit 0 on success, 1 on bad input (usage included), 2 when a
    dependency is down. Errors are one line on stderr, never a traceback. A reader that
    stops early (``nba-mcp ... | head``) ends the command quietly with exit 0."""
    stdout, was_devnull = sys.stdout, _stdout_is_devnull()
    try:
        code = app(standalone_mode=False)
        sys.stdout.flush()
    except BrokenPipeError:
        _reader_gone()
    except SystemExit as exc:
        # A closed pipe is the reader's choice, not an error of the command. Click answers
        # it by swapping in a quiet stdout, Rich's consoles (typer's help) by pointing
        # stdout at /dev/null, both then exiting 1.
        if exc.code == 1 and (
            sys.stdout is not stdout or (_stdout_is_devnull() and not was_devnull)
        ):
            _reader_gone()
        raise
    except typer.Abort:
        _fail("aborted", 1)
    except typer.TyperException as exc:  # bad option, missing argument, unknown command, ...
        _fail(_usage(exc), 1)
    except NbaMcpError as exc:
        _fail(_said(exc), exc.exit_code)
    except OperationalError as exc:
        _fail(_said(database_unavailable(exc)), 2)
    sys.exit(code if isinstance(code, int) else 0)


def _stdout_is_devnull() -> bool:
    try:
        return os.path.samestat(os.fstat(1), os.stat(os.devnull))
    except OSError:
        return False


def _reader_gone() -> NoReturn:
    """The reader of stdout left (``| head`` had its lines): not an error. What is still
    buffered goes to /dev/null, so that the last flush at exit cannot fail either."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    os.close(devnull)
    sys.exit(0)


def _usage(exc: typer.TyperException) -> str:
    """A usage error as one line, with the command whose help explains it."""
    format_message = getattr(exc, "format_message", None)
    message = format_message() if callable(format_message) else str(exc)
    ctx = getattr(exc, "ctx", None)
    where = getattr(ctx, "command_path", None) or "nba-mcp"
    return f"{message} (see {where} --help)"


def _said(exc: NbaMcpError) -> str:
    """The error's message; for an outage also the driver's words (this is the operator's
    own terminal, so naming the host helps and leaks nothing)."""
    detail = exc.detail if isinstance(exc, DependencyUnavailable) else None
    return exc.message + (f" ({detail})" if detail else "")


def _fail(message: str, exit_code: int) -> NoReturn:
    # One line on stderr, whatever its width, even when stderr is a pipe or a file. The
    # message may quote user input: it is printed as plain text, never as markup.
    errors.print(
        Text.assemble(("error: ", "red"), " ".join(message.split())),
        highlight=False,
        soft_wrap=True,
    )
    sys.exit(exit_code)
