"""Every catalogue tool answers the same on MCP, REST and the CLI, and refuses the same.

For each tool one good call and one bad call are made through the three surfaces: the
MCP SDK's own client, the HTTP service in process, and the real ``nba-mcp`` entry point.
REST paths and CLI words are derived from the MCP arguments by the rules the surfaces
document, so a new tool is covered by adding its two cases here.
"""

from __future__ import annotations

import json
import re
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

import httpx
import pytest
from mcp import Client
from sqlalchemy import Engine

from nba_mcp.catalog import BY_NAME, CATALOG
from nba_mcp.catalog.spec import AnyTool, Services
from nba_mcp.config import Settings
from nba_mcp.mcp.server import build_server
from nba_mcp.service import build_app
from tests.cli.invoke import Cli, env_for
from tests.mcp.conftest import database_url, error_text, structured
from tests.synthesis.scripted import Say, ScriptedProvider, Tool
from tests.web.conftest import settings

CURRY = "Stephen Curry"
SEASON = "2015-16"
GOOD: dict[str, dict[str, Any]] = {
    "find_player": {"name": "Jokic", "limit": 3},
    "player_season_stats": {"player": CURRY, "season": SEASON},
    "player_game_log": {"player": CURRY, "season": SEASON, "last_n": 3, "opponent": "CLE"},
    "player_splits": {"player": CURRY, "season": SEASON, "split": "home_away"},
    "compare_players": {"players": [CURRY, "James Harden"], "season": SEASON,
                        "stats": ["pts_per_g", "ts_pct"]},
    "league_leaders": {"stat": "pts", "season": "2018-19", "limit": 5},
    "calculate_metric": {"metric": "ts_pct", "inputs": {"pts": 2375, "fga": 1598, "fta": 400}},
    "find_team": {"name": "Warriors"},
    "team_season_stats": {"team": "GSW", "season": SEASON},
    "standings": {"season": SEASON, "conference": "West"},
    "head_to_head": {"team_a": "GSW", "team_b": "CLE", "season": SEASON},
    "list_games": {"team": "GSW", "season": SEASON, "date_from": "2016-01-01", "limit": 5},
    "game_box_score": {"game_id": "0021500003"},
    "describe_schema": {},
    "run_sql": {"query": "SELECT season, COUNT(*) AS n FROM games GROUP BY season", "limit": 5},
    "chart": {"kind": "team_season", "team": "GSW", "season": SEASON},
    "synthesize": {"question": "How many games did the 2015-16 Warriors win?",
                   "models": ["scripted:m1"], "use_cache": False},
}  # fmt: skip
#: (arguments, the message every surface must give) for each tool.
BAD: dict[str, tuple[dict[str, Any], str]] = {
    "find_player": ({"name": ""}, "name must not be empty."),
    "player_season_stats": ({"player": CURRY, "season": "2016"},
                            "A season is written like 2015-16, not '2016'."),
    "player_game_log": ({"player": CURRY, "last_n": 0}, "last_n must be from 1 to 110, not 0."),
    "player_splits": ({"player": CURRY, "split": "weekday"},
                      "split must be one of 'home_away', 'wins_losses', 'month', 'opponent' or "
                      "'rest_days', not 'weekday'."),
    "compare_players": ({"players": [CURRY]}, "players takes from 2 to 10 values, not 1."),
    "league_leaders": ({"stat": "pts", "limit": 101}, "limit must be from 1 to 100, not 101."),
    "calculate_metric": ({"metric": "ts_pct", "inputs": {"pts": "many"}},
                         "inputs.pts must be a number, not 'many'."),
    "find_team": ({"name": "Warriorz"}, None),  # a domain error: compared, not spelt here
    "team_season_stats": ({"team": "GSW", "season_type": "preseason"},
                          "season_type must be one of 'regular', 'playoffs' or 'play_in', "
                          "not 'preseason'."),
    "standings": ({"season": "2015-17"},
                  "A season spans two years in a row, like 2015-16, not '2015-17'."),
    "head_to_head": ({"team_a": "GSW"}, "team_b is required."),
    "list_games": ({"date_from": "2016-13-01"},
                   "date_from must be a date written like 2016-04-13, not '2016-13-01'."),
    "game_box_score": ({"game_id": "12345678901"}, None),
    "describe_schema": ({"tables": "games"},
                        "tables is not an argument of describe_schema; it takes no arguments."),
    "run_sql": ({"query": "DELETE FROM games"}, None),
    "chart": ({"kind": "player_games", "player": CURRY, "window": 0},
              "window must be from 1 to 20, not 0."),
    "synthesize": ({"question": "Who won?", "mode": "vote"},
                   "mode must be one of 'single', 'verify' or 'judge', not 'vote'."),
}  # fmt: skip

pytestmark = pytest.mark.anyio


@pytest.fixture
def provider() -> Iterator[ScriptedProvider]:
    """A scripted LLM that answers synthesize four times (MCP, REST, CLI --json, CLI text)
    with the Warriors' record, read from the tool it calls."""
    with ScriptedProvider() as scripted:
        turn = [Tool("team_season_stats", {"team": "GSW", "season": "2015-16"}),
                Say(lambda r: "The 2015-16 Warriors went "
                    f"{r.tool_results[0]['result']['record']['wins']}-"
                    f"{r.tool_results[0]['result']['record']['losses']} [1].")]  # fmt: skip
        scripted.script("m1", turn * 4)
        yield scripted


def configured(provider: ScriptedProvider) -> Settings:
    return settings(llm_providers=providers_of(provider))


def providers_of(provider: ScriptedProvider) -> dict[str, dict[str, str]]:
    return {"scripted": {"kind": "openai", "base_url": provider.openai_base_url}}


@pytest.fixture
async def mcp(loaded_engine: Engine, provider: ScriptedProvider) -> AsyncIterator[Client]:
    async with Client(build_server(Services(configured(provider), loaded_engine))) as client:
        yield client


@pytest.fixture
def cli(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> Cli:
    return Cli(monkeypatch, capsys, tmp_path)


@pytest.fixture
async def rest(
    loaded_engine: Engine, provider: ScriptedProvider
) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=build_app(configured(provider), loaded_engine))
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as connected:
        yield connected


def test_the_cases_cover_the_catalogue() -> None:
    assert set(GOOD) == set(BAD) == set(BY_NAME)


def http_request(spec: AnyTool, arguments: dict[str, Any]) -> tuple[str, str, Any]:
    """(method, URL, JSON body) for ``arguments``: path parameters in the path, the rest
    in the query string (GET, lists repeated) or the body (POST)."""
    rest = dict(arguments)
    path = re.sub(r"{(\w+)}", lambda m: quote(str(rest.pop(m.group(1))), safe=""), spec.route.path)
    if spec.route.method == "POST":
        return "POST", path, rest
    query = urlencode(rest, doseq=True)
    return "GET", path + (f"?{query}" if query else ""), None


def cli_words(spec: AnyTool, arguments: dict[str, Any]) -> list[str]:
    """``nba-mcp tool NAME`` words: ``--name value``, lists repeated, objects as JSON."""
    words = ["tool", spec.name]
    for name, value in arguments.items():
        items = value if isinstance(value, list) else [value]
        for item in items:
            text = json.dumps(item) if isinstance(item, dict) else str(item)
            words += [f"--{name.replace('_', '-')}", text]
    return words


def comparable(data: dict[str, Any]) -> dict[str, Any]:
    """``data`` without what differs from run to run: run_sql's and model calls' times."""
    data = dict(data)
    data.pop("elapsed_ms", None)
    if "calls" in data:
        data["calls"] = [
            {k: v for k, v in c.items() if k not in ("latency_ms", "started_at")}
            for c in data["calls"]
        ]
    return data


@pytest.mark.parametrize("name", list(BY_NAME))
async def test_same_answer_everywhere(
    name: str,
    mcp: Client,
    rest: httpx.AsyncClient,
    cli: Cli,
    loaded_engine: Engine,
    provider: ScriptedProvider,
) -> None:
    spec, arguments = BY_NAME[name], GOOD[name]
    over_mcp = await mcp.call_tool(name, arguments)
    method, url, body = http_request(spec, arguments)
    # JSON alone accepted: a chart answers with its plotted series, not its picture
    response = await rest.request(method, url, json=body, headers={"accept": "application/json"})
    assert response.status_code == 200, response.text
    env = env_for(database_url(loaded_engine), llm_providers=json.dumps(providers_of(provider)))
    as_json = cli.main(*cli_words(spec, arguments), "--json", env=env)
    assert as_json.exit_code == 0, as_json.stderr
    as_text = cli.main(*cli_words(spec, arguments), env=env)
    assert as_text.exit_code == 0, as_text.stderr

    expected = comparable(structured(over_mcp))
    assert comparable(response.json()) == expected
    assert comparable(as_json.json()) == expected
    text = over_mcp.content[0].text  # type: ignore[union-attr]
    if name not in ("run_sql", "synthesize"):  # their texts say how long they took
        assert as_text.stdout.rstrip("\n") == text.rstrip("\n")


@pytest.mark.parametrize("name", list(BY_NAME))
async def test_same_refusal_everywhere(
    name: str, mcp: Client, rest: httpx.AsyncClient, cli: Cli, loaded_engine: Engine
) -> None:
    spec, (arguments, message) = BY_NAME[name], BAD[name]
    said = error_text(await mcp.call_tool(name, arguments))
    method, url, body = http_request(spec, arguments)
    response = await rest.request(method, url, json=body)
    assert 400 <= response.status_code < 500, response.text
    assert response.headers["content-type"] == "application/problem+json"
    outcome = cli.main(*cli_words(spec, arguments), env=env_for(database_url(loaded_engine)))
    assert outcome.exit_code == 1

    if message is not None:
        assert said == message
        assert response.status_code == 422
        assert [e["message"] for e in response.json()["errors"]] == [message]
    assert response.json()["detail"] == said
    assert outcome.stderr == f"error: {said}\n"  # one line, though stderr is not a terminal
    assert "Error executing tool" not in said and "pydantic" not in said


async def test_list_and_object_arguments_may_come_as_json_text(mcp: Client) -> None:
    players = json.dumps([CURRY, "James Harden"])
    listed = await mcp.call_tool("compare_players", {"players": players, "season": SEASON})
    assert [p["player"]["name"] for p in structured(listed)["players"]] == [CURRY, "James Harden"]
    deep = "[" * 40 + "]" * 40
    assert "nested too deeply" in error_text(
        await mcp.call_tool("compare_players", {"players": deep})
    )


async def test_rest_refuses_parameters_it_does_not_take(rest: httpx.AsyncClient) -> None:
    typo = await rest.get(f"/v1/players/{quote(CURRY)}/season?seasn=2015-16")
    assert typo.status_code == 422
    assert typo.json()["errors"][0]["message"].startswith("seasn is not an argument")
    hidden = await rest.get(f"/v1/players/{quote(CURRY)}/season?mode=totals")
    assert hidden.json()["errors"] == [
        {"parameter": "mode",
         "message": "mode is not taken by this route (GET /v1/players/{player}/season)."}
    ]  # fmt: skip
    nul = await rest.get("/v1/teams/GSW%00/season")
    assert nul.json()["errors"][0]["message"] == "team must not contain a NUL character."


async def test_rest_bodies_are_parsed_with_bounds(rest: httpx.AsyncClient) -> None:
    headers = {"content-type": "application/json"}
    for raw in (b'{"query": ' + b"[" * 1000 + b"]" * 1000 + b"}",
                b'{"query": "SELECT 1", "limit": ' + b"9" * 5000 + b"}"):  # fmt: skip
        response = await rest.post("/v1/sql", content=raw, headers=headers)
        assert response.status_code == 400, response.text
        assert response.json()["type"] == "urn:nba-mcp:problem:malformed-json"


def test_every_tool_is_described_with_its_models() -> None:
    for spec in CATALOG:
        assert len(spec.description) > 40, spec.name
        assert spec.input_schema["type"] == "object"
        assert spec.query.__module__.startswith(("nba_mcp.queries.", "nba_mcp.synthesis.")), (
            spec.name
        )
        assert spec.run.__module__.startswith("nba_mcp.catalog."), spec.name


async def test_mcp_publishes_the_catalogue_schemas(mcp: Client) -> None:
    published = {tool.name: tool for tool in (await mcp.list_tools()).tools}
    for spec in CATALOG:
        tool = published[spec.name]
        assert tool.description == spec.description
        assert tool.input_schema["properties"] == spec.input_schema.get("properties", {})
        assert tool.input_schema.get("required") == spec.input_schema.get("required")
        assert tool.output_schema == spec.output_schema
        assert tool.annotations is not None and tool.annotations.read_only_hint
