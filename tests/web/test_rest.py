"""The REST mirror: every tool under /v1, the same answers as over MCP, published facts."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from mcp import Client
from sqlalchemy import Engine
from starlette.testclient import TestClient

from nba_mcp.catalog import CATALOG
from nba_mcp.catalog.spec import Services
from nba_mcp.mcp.server import build_server
from nba_mcp.observability import metrics
from nba_mcp.service import build_app
from tests.mcp.conftest import structured
from tests.web.conftest import problem, settings

CURRY = "Stephen%20Curry"
# (tool, MCP arguments, method, REST path, JSON body)
CASES: list[tuple[str, dict[str, Any], str, str, dict[str, Any] | None]] = [
    ("find_player", {"name": "Jokic", "limit": 3}, "GET", "/v1/players/search?name=Jokic&limit=3", None),
    ("player_season_stats", {"player": "Stephen Curry", "season": "2015-16"}, "GET",
     f"/v1/players/{CURRY}/season?season=2015-16&season_type=regular", None),
    ("player_game_log", {"player": "Stephen Curry", "season": "2015-16", "last_n": 3}, "GET",
     f"/v1/players/{CURRY}/games?season=2015-16&last_n=3", None),
    ("player_splits", {"player": "Stephen Curry", "season": "2015-16", "split": "home_away"}, "GET",
     f"/v1/players/{CURRY}/splits/home_away?season=2015-16", None),
    ("compare_players", {"players": ["Stephen Curry", "James Harden"], "season": "2015-16"}, "GET",
     f"/v1/compare?players={CURRY}&players=James%20Harden&season=2015-16", None),
    ("find_team", {"name": "Warriors"}, "GET", "/v1/teams/search?name=Warriors", None),
    ("team_season_stats", {"team": "GSW", "season": "2015-16"}, "GET", "/v1/teams/GSW/season?season=2015-16", None),
    ("standings", {"season": "2015-16", "conference": "West"}, "GET", "/v1/standings?season=2015-16&conference=West", None),
    ("head_to_head", {"team_a": "GSW", "team_b": "CLE", "season": "2015-16"}, "GET",
     "/v1/head-to-head?team_a=GSW&team_b=CLE&season=2015-16", None),
    ("list_games", {"team": "GSW", "season": "2015-16", "limit": 5}, "GET", "/v1/games?team=GSW&season=2015-16&limit=5", None),
    ("game_box_score", {"game_id": "0021500003"}, "GET", "/v1/games/0021500003", None),
    ("league_leaders", {"stat": "pts", "season": "2018-19", "limit": 5}, "GET", "/v1/leaders/pts?season=2018-19&limit=5", None),
    ("calculate_metric", {"metric": "ts_pct", "inputs": {"pts": 2375, "fga": 1598, "fta": 400}}, "POST",
     "/v1/metrics/ts_pct", {"inputs": {"pts": 2375, "fga": 1598, "fta": 400}}),
    ("describe_schema", {}, "GET", "/v1/schema", None),
    ("run_sql", {"query": "SELECT COUNT(*) AS n FROM games", "limit": 5}, "POST", "/v1/sql",
     {"query": "SELECT COUNT(*) AS n FROM games", "limit": 5}),
    ("chart", {"kind": "team_season", "team": "GSW", "season": "2015-16"}, "GET",
     "/v1/charts/team_season?team=GSW&season=2015-16", None),
]  # fmt: skip

pytestmark = pytest.mark.anyio


@pytest.fixture
async def rest(loaded_engine: Engine) -> AsyncIterator[httpx.AsyncClient]:
    app = build_app(settings(), loaded_engine)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as connected:
        yield connected


@pytest.fixture
async def mcp(loaded_engine: Engine) -> AsyncIterator[Client]:
    async with Client(build_server(Services(settings(), loaded_engine))) as connected:
        yield connected


async def test_every_tool_has_a_route(mcp: Client) -> None:
    tools = {tool.name for tool in (await mcp.list_tools()).tools}
    assert {spec.name for spec in CATALOG} == tools
    assert {case[0] for case in CASES} == tools - {"synthesize"}


@pytest.mark.parametrize(
    ("tool", "arguments", "method", "path", "body"), CASES, ids=[c[0] for c in CASES]
)
async def test_route_matches_the_mcp_tool(
    rest: httpx.AsyncClient, mcp: Client, tool: str, arguments: dict[str, Any], method: str,
    path: str, body: dict[str, Any] | None,
) -> None:  # fmt: skip
    before = metrics.TOOL_CALLS.labels(tool=tool, status="ok")._value.get()
    # JSON alone accepted: a chart answers with its plotted series (its PNG otherwise)
    response = await rest.request(method, path, json=body, headers={"accept": "application/json"})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/json"
    expected = structured(await mcp.call_tool(tool, arguments))
    got = response.json()
    if tool == "run_sql":  # the elapsed time differs between two runs
        got.pop("elapsed_ms"), expected.pop("elapsed_ms")
    assert got == expected
    # counted under the tool's name, once per REST call (and once for the MCP call)
    assert metrics.TOOL_CALLS.labels(tool=tool, status="ok")._value.get() == before + 2


async def test_curry_2015_16_published_line(rest: httpx.AsyncClient) -> None:
    data = (await rest.get(f"/v1/players/{CURRY}/season?season=2015-16")).json()
    line = data["rows"][-1]
    assert line["g"] == 79
    assert line["per_game"]["pts"] == 30.1
    assert line["advanced"]["per"] == 31.5


async def test_warriors_73_9_and_harden_leads_2018_19(rest: httpx.AsyncClient) -> None:
    team = (await rest.get("/v1/teams/GSW/season?season=2015-16")).json()
    assert team["record"] == {"wins": 73, "losses": 9}
    leaders = (await rest.get("/v1/leaders/pts?season=2018-19&limit=1")).json()
    assert leaders["leaders"][0]["player"] == "James Harden"
    assert leaders["leaders"][0]["value"] == 36.1


async def test_unknown_player_is_404_with_candidates(rest: httpx.AsyncClient) -> None:
    body = problem(await rest.get("/v1/players/Stephen%20Curr/season?season=2015-16"), 404)
    assert body["candidates"][0].startswith("Stephen Curry")
    assert body["type"] == "urn:nba-mcp:problem:not-found"


async def test_ambiguous_name_is_409_with_candidates(rest: httpx.AsyncClient) -> None:
    body = problem(await rest.get("/v1/teams/search?name=Los%20Angeles"), 409)
    assert [c.split()[0] for c in body["candidates"]] == ["LAC", "LAL"]


async def test_bad_parameter_is_422_naming_it(rest: httpx.AsyncClient) -> None:
    body = problem(await rest.get(f"/v1/players/{CURRY}/season?season=2015"), 422)
    assert "season" in body["detail"]
    assert [e["parameter"] for e in body["errors"]] == ["season"]
    body = problem(await rest.get("/v1/leaders/pts?limit=0"), 422)
    assert body["errors"][0]["parameter"] == "limit"
    body = problem(await rest.get(f"/v1/players/{CURRY}/splits/weekday"), 422)
    assert body["errors"][0]["parameter"] == "split"


async def test_domain_bad_input_is_400(rest: httpx.AsyncClient) -> None:
    problem(await rest.get("/v1/leaders/dunks?season=2018-19"), 400)
    problem(await rest.post("/v1/sql", json={"query": "DELETE FROM games"}), 400)
    problem(await rest.post("/v1/metrics/ts_pct", json={"inputs": {"pts": 1}}), 400)


async def test_compare_needs_two_players(rest: httpx.AsyncClient) -> None:
    body = problem(await rest.get(f"/v1/compare?players={CURRY}"), 422)
    assert body["errors"][0]["parameter"] == "players"


def test_route_names_are_tool_names(client: TestClient) -> None:
    named = {getattr(r, "path", ""): getattr(r, "name", "") for r in client.app.routes}  # type: ignore[attr-defined]
    for spec in CATALOG:
        assert named[spec.route.path] == spec.name
