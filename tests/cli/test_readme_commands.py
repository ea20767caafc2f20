"""README's commands table is complete: every command of the real Typer app, sub-groups
included (``keys create``, ``db upgrade``, ``ops backup verify``), is in it, with every
option it takes. ``--json`` is the exception: the paragraph above the table says every
command that shows data takes it."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
import typer

from nba_mcp.cli.app import app
from tests.cli.invoke import Cli, plain

README = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
#: Options the table need not repeat per command (see the module's docstring).
EVERYWHERE = frozenset({"--json", "--help"})


def _commands(command: Any, path: tuple[str, ...] = ()) -> dict[tuple[str, ...], list[str]]:
    """Each command's path (``("ops", "backup", "verify")``) and its long options, read
    from the click command Typer builds."""
    if hasattr(command, "commands"):
        found: dict[tuple[str, ...], list[str]] = {}
        for name, sub in command.commands.items():
            if not getattr(sub, "hidden", False):
                found |= _commands(sub, (*path, name))
        return found
    options = [
        opt
        for param in command.params
        if param.param_type_name == "option" and not getattr(param, "hidden", False)
        for opt in param.opts
        if opt.startswith("--")
    ]
    return {path: options}


COMMANDS = _commands(typer.main.get_command(app))


def _table_rows() -> list[str]:
    """The rows of the table under ``## Commands``."""
    section = README.split("\n## Commands\n", 1)[1].split("\n## ", 1)[0]
    lines = section.splitlines()
    start = lines.index("| command | what it does |")
    rows = []
    for line in lines[start + 2 :]:
        if not line.startswith("|"):
            break
        rows.append(line)
    return rows


def _words(span: str) -> list[str]:
    """A code span's words, ``nba-mcp`` dropped: ``ops backup create\\|list ID`` ->
    ``["ops", "backup", "create", "list", "ID"]``."""
    text = span.replace("\\|", " ").replace("|", " ")
    words = [w.strip("[]()…,.") for w in text.split()]
    return [w for w in words if w and w != "nba-mcp"]


def _mentions(span: str, path: tuple[str, ...]) -> bool:
    """Whether a code span shows the command ``path``: its groups first, then its name
    (alone or among alternatives: ``keys list``, ``ops backup create|list|verify ID``)."""
    words = _words(span)
    groups, name = path[:-1], path[-1]
    if tuple(words[: len(groups)]) != groups:
        return False
    rest = words[len(groups) :]
    return bool(rest) and (rest[0] == name or (bool(groups) and name in rest))


def _rows_of(path: tuple[str, ...]) -> list[str]:
    return [
        row
        for row in _table_rows()
        if any(_mentions(span, path) for span in re.findall(r"`([^`]+)`", row))
    ]


def _has_option(text: str, option: str) -> bool:
    return re.search(rf"(?<![\w-]){re.escape(option)}(?![\w-])", text) is not None


def test_the_app_has_the_commands_the_issue_names() -> None:
    # A guard on the enumeration itself: sub-groups are walked and options read.
    assert ("keys", "create") in COMMANDS
    assert ("db", "upgrade") in COMMANDS
    assert ("ops", "backup", "verify") in COMMANDS
    assert "--season-type" in COMMANDS[("team",)]
    assert "--expires-days" in COMMANDS[("keys", "create")]


@pytest.mark.parametrize("path", sorted(COMMANDS), ids=" ".join)
def test_every_command_is_in_the_readme_table(path: tuple[str, ...]) -> None:
    assert _rows_of(path), f"nba-mcp {' '.join(path)} is missing from README's commands table"


@pytest.mark.parametrize("path", sorted(COMMANDS), ids=" ".join)
def test_every_option_of_a_command_is_in_its_row(path: tuple[str, ...]) -> None:
    text = " ".join(_rows_of(path))
    missing = [o for o in COMMANDS[path] if o not in EVERYWHERE and not _has_option(text, o)]
    assert missing == [], f"nba-mcp {' '.join(path)}: README's table lacks {missing}"


def test_the_table_names_no_command_the_app_lacks() -> None:
    for row in _table_rows():
        first = row.split(" | ")[0]
        for span in re.findall(r"`nba-mcp ([^`]+)`", first):
            words = _words(span)
            assert any(_mentions(span, path) for path in COMMANDS if path[0] == words[0]), (
                f"README lists nba-mcp {span}, which the app does not have"
            )


def test_the_readme_says_what_advanced_adds_and_what_json_always_has() -> None:
    [row] = _rows_of(("player",))
    assert "`--advanced` adds a table of the advanced metrics (PER, TS%, USG%" in row
    assert (
        "`--json` always has the keys `per_36`, `per_100` and `advanced` (in each row, and "
        "`advanced` for the season), `null` without `--advanced`"
    ) in row


def test_json_has_the_advanced_keys_always_and_their_values_with_advanced(
    cli: Cli, env: dict[str, str | None]
) -> None:
    curry = ("player", "Stephen Curry", "--season", "2015-16", "--json")
    plain, advanced = (json.loads(cli.invoke(*curry, *extra, env=env).stdout)
                       for extra in ((), ("--advanced",)))  # fmt: skip
    [row] = plain["rows"]
    assert (row["per_36"], row["per_100"], row["advanced"], plain["advanced"]) == (None,) * 4
    [row] = advanced["rows"]
    assert round(row["advanced"]["ts_pct"], 3) == 0.669
    assert round(row["advanced"]["per"], 1) == 31.5
    assert round(row["per_36"]["pts"], 1) == 31.7  # Basketball-Reference: 31.7
    assert advanced["advanced"] == row["advanced"]


def test_advanced_adds_the_advanced_table_to_the_text(cli: Cli, env: dict[str, str | None]) -> None:
    curry = ("player", "Stephen Curry", "--season", "2015-16")
    assert "advanced" not in cli.invoke(*curry, env=env).stdout
    shown = plain(cli.invoke(*curry, "--advanced", env=env).stdout)
    assert "Stephen Curry 2015-16 (regular) advanced" in shown
    assert "VORP" in shown
