"""The fast path of a stateless ``tools/call`` answers exactly as the SDK does.

Every catalogue tool is called twice per case (a good call and a bad one, the cases of
``tests/catalog/test_surfaces.py``) on two copies of the HTTP service over the same
database: one with the fast path (the default), one with ``mcp_fast_path=False``, where
the SDK answers everything. The JSON-RPC responses must be equal, and repeated calls
(answered from the cache of finished responses) equal to the first.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import Engine
from starlette.testclient import TestClient

from nba_mcp.catalog import BY_NAME
from nba_mcp.service import build_app
from tests.catalog.test_surfaces import BAD, GOOD, providers_of
from tests.catalog.test_surfaces import comparable as same_everywhere
from tests.synthesis.scripted import Say, ScriptedProvider, Tool
from tests.web.conftest import settings

BASE = "http://127.0.0.1:8000"  # the SDK guards loopback against DNS rebinding
HEADERS = {"Content-Type": "application/json", "Accept": "application/json, text/event-stream"}


@pytest.fixture(scope="module")
def provider() -> Iterator[ScriptedProvider]:
    with ScriptedProvider() as scripted:
        turn = [Tool("team_season_stats", {"team": "GSW", "season": "2015-16"}),
                Say(lambda r: "The 2015-16 Warriors went "
                    f"{r.tool_results[0]['result']['record']['wins']}-"
                    f"{r.tool_results[0]['result']['record']['losses']} [1].")]  # fmt: skip
        scripted.script("m1", turn * 8)
        yield scripted


@pytest.fixture(scope="module")
def both(loaded_engine: Engine, provider: ScriptedProvider) -> Iterator[tuple[TestClient, ...]]:
    """(the service with the fast path, the service without it)."""
    configured = {"llm_providers": providers_of(provider)}
    fast = build_app(settings(**configured), loaded_engine)
    sdk = build_app(settings(mcp_fast_path=False, **configured), loaded_engine)
    with (
        TestClient(fast, base_url=BASE) as fast_client,
        TestClient(sdk, base_url=BASE) as sdk_client,
    ):
        yield fast_client, sdk_client


def tools_call(client: TestClient, name: str, arguments: Any, request_id: int | str = 7) -> Any:
    message = {"jsonrpc": "2.0", "id": request_id, "method": "tools/call",
               "params": {"name": name, "arguments": arguments}}  # fmt: skip
    response = client.post("/mcp", content=json.dumps(message), headers=HEADERS)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/json")
    return response.json()


def comparable(response: Any) -> Any:
    """The response without what differs from run to run (times, as the surfaces test
    leaves them out)."""
    result = response.get("result", {})
    if isinstance(result.get("structuredContent"), dict):
        result["structuredContent"] = same_everywhere(result["structuredContent"])
    for item in result.get("content", []):
        item["text"] = re.sub(r" in [0-9.]+ ms", " in - ms", item.get("text", ""))
    return response


@pytest.mark.parametrize("name", sorted(BY_NAME))
@pytest.mark.parametrize("case", ["good", "bad"])
def test_fast_path_answers_as_the_sdk(
    both: tuple[TestClient, TestClient], name: str, case: str
) -> None:
    fast, sdk = both
    arguments = GOOD[name] if case == "good" else BAD[name][0]
    through_sdk = tools_call(sdk, name, arguments)
    first = tools_call(fast, name, arguments)
    again = tools_call(fast, name, arguments)  # a cached tool: from the finished responses
    assert comparable(first) == comparable(through_sdk)
    assert comparable(again) == comparable(first)
    if case == "bad" and BAD[name][1] is not None:
        assert first["result"]["isError"] is True
        assert first["result"]["content"][0]["text"] == BAD[name][1]


def test_the_request_id_is_echoed_as_sent(both: tuple[TestClient, TestClient]) -> None:
    fast, sdk = both
    arguments = GOOD["find_team"]
    for request_id in ("abc", 0, 12345678901):
        assert tools_call(fast, "find_team", arguments, request_id)["id"] == request_id
        assert tools_call(sdk, "find_team", arguments, request_id)["id"] == request_id


@pytest.mark.parametrize(
    "message",
    [
        {"jsonrpc": "2.0", "id": 1, "method": "tools/list", "params": {}},
        {"jsonrpc": "2.0", "id": 1, "method": "tools/call", "params": {"name": "no_such_tool"}},
        {
            "jsonrpc": "2.0",
            "id": 1,
            "method": "tools/call",
            "params": {"name": "find_team", "arguments": {"name": "GSW"}, "extra": 1},
        },
        {
            "jsonrpc": "2.0",
            "id": None,
            "method": "tools/call",
            "params": {"name": "find_team", "arguments": {"name": "GSW"}},
        },
        {"jsonrpc": "2.0", "method": "notifications/initialized"},
        [{"jsonrpc": "2.0", "id": 1, "method": "tools/list", "params": {}}],
    ],
)
def test_everything_else_is_the_sdks(
    both: tuple[TestClient, TestClient], message: dict[str, Any]
) -> None:
    """What the fast path does not answer reaches the SDK untouched: same status, same body."""
    fast, sdk = both
    body = json.dumps(message)
    answers = [c.post("/mcp", content=body, headers=HEADERS) for c in (fast, sdk)]
    assert answers[0].status_code == answers[1].status_code
    assert answers[0].text == answers[1].text


@pytest.mark.parametrize(
    "headers",
    [
        {"Content-Type": "application/json", "Accept": "text/html"},
        {"Content-Type": "text/plain", "Accept": "application/json"},
        {**HEADERS, "MCP-Protocol-Version": "1999-01-01"},
    ],
)
def test_requests_the_sdk_refuses_are_refused_alike(
    both: tuple[TestClient, TestClient], headers: dict[str, str]
) -> None:
    fast, sdk = both
    body = json.dumps({"jsonrpc": "2.0", "id": 1, "method": "tools/call",
                       "params": {"name": "find_team", "arguments": {"name": "GSW"}}})  # fmt: skip
    answers = [c.post("/mcp", content=body, headers=headers) for c in (fast, sdk)]
    assert answers[0].status_code == answers[1].status_code != 200
    assert answers[0].text == answers[1].text
