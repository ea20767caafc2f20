"""docs/security.md's scope tables agree with the code: every scope a key may hold, every
tool of the catalogue with the scope it needs and its REST route, and no tool that does
not exist."""

from __future__ import annotations

import re
from pathlib import Path

from nba_mcp.catalog import CATALOG
from nba_mcp.security.scopes import SCOPES

DOC = (Path(__file__).resolve().parents[2] / "docs/security.md").read_text(encoding="utf-8")


def _section(title: str) -> str:
    """The text of the ``## title`` section, up to the next ``##`` heading."""
    match = re.search(rf"^## {re.escape(title)}\n(.*?)(?=^## )", DOC, re.MULTILINE | re.DOTALL)
    assert match is not None, f"docs/security.md has no section {title!r}"
    return match.group(1)


def _table(text: str, header: str) -> list[list[str]]:
    """The rows of the Markdown table whose header line is ``header``, as cells."""
    lines = text.splitlines()
    start = lines.index(header)
    rows = []
    for line in lines[start + 2 :]:
        if not line.startswith("|"):
            break
        rows.append([cell.strip() for cell in line.strip("|").split("|")])
    return rows


def _code(cell: str) -> str:
    match = re.fullmatch(r"`([^`]+)`", cell)
    assert match is not None, f"{cell!r} is not one `name`"
    return match.group(1)


SCOPES_SECTION = _section("Scopes")


def test_the_scope_table_names_every_scope_a_key_may_hold_and_no_other() -> None:
    rows = _table(SCOPES_SECTION, "| scope | allows |")
    assert [_code(scope) for scope, _ in rows] == list(SCOPES)


def test_the_tools_a_scope_row_names_are_exactly_the_tools_needing_that_scope() -> None:
    names = {spec.name for spec in CATALOG}
    for scope, allows in _table(SCOPES_SECTION, "| scope | allows |"):
        named = set(re.findall(r"`([a-z_]+)`", allows)) & names
        if _code(scope) in ("read", "admin"):
            continue  # described as "every tool but ..." and "everything"
        assert named == {s.name for s in CATALOG if s.scope == _code(scope)}, scope


def test_the_tool_table_lists_every_tool_with_its_real_scope_and_route() -> None:
    rows = _table(SCOPES_SECTION, "| tool | scope | REST route |")
    documented = {_code(tool): (_code(scope), _code(route)) for tool, scope, route in rows}
    assert len(documented) == len(rows), "a tool is listed twice"
    actual = {spec.name: (spec.scope, f"{spec.route.method} {spec.route.path}") for spec in CATALOG}
    assert sorted(set(documented) - set(actual)) == [], "tools the catalogue does not have"
    assert sorted(set(actual) - set(documented)) == [], "tools missing from docs/security.md"
    assert documented == actual


def test_every_tool_the_prose_gives_a_scope_has_that_scope() -> None:
    scopes = {spec.name: spec.scope for spec in CATALOG}
    named = re.findall(r"`([a-z_]+)` \(scope `([a-z_]+)`\)", DOC)
    assert named, "the prose names no tool with its scope"
    for tool, scope in named:
        assert scopes.get(tool) == scope, tool
