"""A former name, a nickname, a Basketball-Reference team code and a season type in
capitals resolve the same on MCP, REST and the CLI (issue 14), and a refusal that says what
there is instead is the same everywhere. The surfaces are driven as in test_surfaces."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest
from mcp import Client
from sqlalchemy import Engine

from nba_mcp.catalog import BY_NAME
from tests.catalog.test_surfaces import cli_words, http_request
from tests.cli.invoke import Cli, env_for
from tests.mcp.conftest import database_url, error_text, structured

pytestmark = pytest.mark.anyio

#: (tool, arguments, a check of the answer) for each alias.
CASES: list[tuple[str, dict[str, Any], Any]] = [
    ("player_season_stats",
     {"player": "Enes Kanter", "season": "2015-16", "season_type": "Playoffs"},
     lambda r: (r["player"]["name"], r["season_type"], r["rows"][-1]["g"])
     == ("Enes Freedom", "playoffs", 18)),
    ("find_player", {"name": "Steph Curry"},
     lambda r: [c["name"] for c in r["candidates"]] == ["Stephen Curry"]),
    ("team_season_stats", {"team": "BRK", "season": "2015-16"},
     lambda r: (r["team"]["abbreviation"], r["record"]) == ("BKN", {"wins": 21, "losses": 61})),
    ("list_games", {"team": "pho", "season": "2018-19", "season_type": "REGULAR", "limit": 1},
     lambda r: "PHX" in (r["games"][0]["home"], r["games"][0]["away"])),
]  # fmt: skip


@pytest.fixture
def cli(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> Cli:
    return Cli(monkeypatch, capsys, tmp_path)


@pytest.mark.parametrize(("name", "arguments", "check"), CASES, ids=[c[0] for c in CASES])
async def test_an_alias_resolves_the_same_everywhere(
    name: str,
    arguments: dict[str, Any],
    check: Any,
    mcp: Client,
    rest: httpx.AsyncClient,
    cli: Cli,
    loaded_engine: Engine,
) -> None:
    spec = BY_NAME[name]
    over_mcp = structured(await mcp.call_tool(name, arguments))
    method, url, body = http_request(spec, arguments)
    response = await rest.request(method, url, json=body)
    assert response.status_code == 200, response.text
    as_json = cli.main(
        *cli_words(spec, arguments), "--json", env=env_for(database_url(loaded_engine))
    )
    assert as_json.exit_code == 0, as_json.stderr

    assert check(over_mcp)
    assert response.json() == over_mcp
    assert as_json.json() == over_mcp


async def test_a_missing_season_type_is_refused_the_same_everywhere(
    mcp: Client, rest: httpx.AsyncClient, cli: Cli, loaded_engine: Engine
) -> None:
    arguments = {"player": "Steph Curry", "season": "2015-16", "season_type": "Play-In"}
    spec = BY_NAME["player_season_stats"]
    said = error_text(await mcp.call_tool(spec.name, arguments))
    method, url, body = http_request(spec, arguments)
    response = await rest.request(method, url, json=body)
    outcome = cli.main(*cli_words(spec, arguments), env=env_for(database_url(loaded_engine)))

    assert said == (
        "Stephen Curry has no play-in games in 2015-16 (no play-in games are loaded for "
        "2015-16; that season he has regular-season and playoff games); he has no play-in "
        "games loaded."
    )
    assert response.status_code == 404
    assert response.json()["detail"] == said
    assert (outcome.exit_code, outcome.stderr) == (1, f"error: {said}\n")
