"""``nba-mcp tool NAME --argument value ...``: every catalogue tool from the command line.

Arguments are written ``--name value`` or ``--name=value`` (``--season-type`` and
``--season_type`` alike); a list argument is given once per item
(``--players "Stephen Curry" --players "James Harden"``) or as JSON, an object argument
as JSON (``--inputs '{"pts": 2375, "fga": 1598, "fta": 400}'``). The tool validates
them as MCP and REST do, so the same bad value gets the same message. The answer is the
tool's text summary, or with ``--json`` its structured result: the JSON REST returns.
``--plot FILE`` writes a chart's picture (``nba-mcp tool chart --kind team_season --team
GSW --plot gsw.png``); ``nba-mcp player`` and ``nba-mcp team`` take it too, through
:func:`write_chart`. ``nba-mcp tool`` alone lists the tools; ``nba-mcp tool NAME --help``
shows one.
"""

from __future__ import annotations

import base64
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from nba_mcp.cli.context import app_context
from nba_mcp.cli.output import console, emit_json, errors, table
from nba_mcp.errors import InvalidArguments, InvalidInput

if TYPE_CHECKING:  # the catalogue (every query, pandas) loads when a tool is called
    from pydantic.fields import FieldInfo

    from nba_mcp.catalog.spec import Answer, AnyTool

PLOT = "--plot"


def register(app: typer.Typer) -> None:
    app.command(
        "tool",
        context_settings={"allow_extra_args": True, "ignore_unknown_options": True},
        add_help_option=False,
    )(tool_command)


def tool_command(
    ctx: typer.Context,
    name: Annotated[str | None, typer.Argument(help="The tool; omit to list them.")] = None,
) -> None:
    """Call any tool of the catalogue: nba-mcp tool NAME --argument value ... [--json]."""
    from nba_mcp.catalog import tool
    from nba_mcp.catalog.invoke import invoke, parse_arguments
    from nba_mcp.catalog.spec import Services

    words = list(ctx.args)
    if name in (None, "--help", "-h"):
        _list_tools()
        return
    assert name is not None
    spec = tool(name)
    if "--help" in words or "-h" in words:
        _describe(spec)
        return
    as_json = "--json" in words
    words, plot = plot_option([w for w in words if w != "--json"])
    if plot is not None and spec.draw is None:
        raise InvalidArguments(
            [("plot", f"{spec.name} draws no picture; charts come from nba-mcp tool chart.")]
        )
    arguments = parse_words(words, spec)
    parse_arguments(spec, arguments)  # bad arguments are said before the database is opened
    context = app_context(ctx)
    services = Services(settings=context.settings, engine=context.engine(serving=True))
    answer = invoke(services, spec, arguments)
    if plot is not None:
        save_picture(answer, plot)
    if as_json:
        emit_json(answer.data)
    else:
        sys.stdout.write(answer.text.rstrip("\n") + "\n")


def plot_option(words: list[str]) -> tuple[list[str], Path | None]:
    """(the words without ``--plot FILE`` or ``--plot=FILE``, FILE or None)."""
    rest: list[str] = []
    plot = None
    index = 0
    while index < len(words):
        word = words[index]
        if word == PLOT:
            if index + 1 >= len(words):
                raise InvalidArguments([("plot", "--plot needs a file name.")])
            plot = Path(words[index + 1])
            index += 2
            continue
        if word.startswith(PLOT + "="):
            plot = Path(word.partition("=")[2])
        else:
            rest.append(word)
        index += 1
    return rest, plot


def write_chart(ctx: typer.Context, path: Path, arguments: dict[str, Any]) -> None:
    """Draw the ``chart`` tool's picture for ``arguments`` into ``path`` (``--plot`` of
    ``nba-mcp player`` and ``nba-mcp team``)."""
    from nba_mcp.catalog import tool
    from nba_mcp.catalog.invoke import invoke
    from nba_mcp.catalog.spec import Services

    context = app_context(ctx)
    services = Services(settings=context.settings, engine=context.engine(serving=True))
    save_picture(invoke(services, tool("chart"), arguments), path)


def save_picture(answer: Answer, path: Path) -> None:
    """Write the answer's PNG to ``path`` and say so on stderr (stdout keeps the answer)."""
    assert answer.image_png is not None
    picture = base64.b64decode(answer.image_png)
    try:
        path.write_bytes(picture)
    except OSError as exc:
        raise InvalidInput(f"Cannot write the chart to {str(path)!r}: {exc.strerror}.") from None
    errors.print(f"Chart written to {path} ({len(picture)} bytes, PNG).", markup=False,
                 highlight=False)  # fmt: skip


def parse_words(words: list[str], spec: AnyTool) -> dict[str, Any]:
    """``["--season", "2015-16", "--players", "A", "--players", "B"]`` -> arguments."""
    arguments: dict[str, Any] = {}
    index = 0
    while index < len(words):
        word = words[index]
        if not word.startswith("--") or word == "--":
            raise InvalidArguments(
                [("arguments", f"Expected --argument value, not {word!r}; "
                  f"see nba-mcp tool {spec.name} --help.")]
            )  # fmt: skip
        key, has_value, value = word[2:].partition("=")
        if not has_value:
            if index + 1 >= len(words):
                raise InvalidArguments([(key, f"--{key} needs a value.")])
            index += 1
            value = words[index]
        key = key.replace("-", "_")
        if key in spec.list_arguments and not value.lstrip().startswith("["):
            arguments.setdefault(key, []).append(value)
        else:
            arguments[key] = value
        index += 1
    return arguments


def _list_tools() -> None:
    from nba_mcp.catalog import CATALOG

    console.print(
        table(
            "Tools (nba-mcp tool NAME --help)",
            ["tool", "scope", "REST", "what it answers"],
            [(s.name, s.scope, f"{s.route.method} {s.route.path}", s.description.split("\n")[0])
             for s in CATALOG],
        )
    )  # fmt: skip


def _describe(spec: AnyTool) -> None:
    plot = " [--plot FILE]" if spec.draw is not None else ""
    usage = f"nba-mcp tool {spec.name} [--ARGUMENT VALUE ...] [--json]{plot}"
    lines = [usage, "", spec.description]
    lines += ["", "Arguments:"]
    for name, field in spec.arguments.model_fields.items():
        lines.append(f"  --{name.replace('_', '-')}  {_usage(name, field, spec)}")
    if not spec.arguments.model_fields:
        lines.append("  (none)")
    lines += ["", f"REST: {spec.route.method} {spec.route.path}; scope: {spec.scope}."]
    sys.stdout.write("\n".join(lines) + "\n")


def _usage(name: str, field: FieldInfo, spec: AnyTool) -> str:
    schema = spec.input_schema["properties"].get(name, {})
    options = [schema, *schema.get("anyOf", [])]
    choices = next((o["enum"] for o in options if "enum" in o), None)
    kind = (
        "one of " + ", ".join(map(str, choices))
        if choices
        else next((o["type"] for o in options if o.get("type") not in (None, "null")), "value")
    )
    if name in spec.list_arguments:
        kind = "repeat for each item, or a JSON list"
    elif name in spec.object_arguments:
        kind = "a JSON object"
    default = "required" if field.is_required() else f"default {field.default!r}"
    return f"{field.description or ''} ({kind}; {default})".strip()
