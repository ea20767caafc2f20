"""Calls answered from memory on the event loop: nothing that could wait runs there, and a
call that needs more is answered in a worker thread, once and the same."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from typing import Any

import anyio.to_thread
import pytest
from sqlalchemy import Engine, text
from starlette.testclient import TestClient

from nba_mcp.catalog import BY_NAME, CATALOG
from nba_mcp.catalog.spec import Services
from nba_mcp.db import nowait
from nba_mcp.db.nowait import WouldWait, memory_only
from nba_mcp.mcp.tools import call
from nba_mcp.observability import metrics
from nba_mcp.queries import memo
from nba_mcp.result_cache import ResultCache
from nba_mcp.service import build_app
from tests.catalog.test_surfaces import GOOD, comparable, http_request
from tests.web.conftest import settings

BASE = "http://127.0.0.1:8000"
HEADERS = {"Content-Type": "application/json", "Accept": "application/json, text/event-stream"}
CURRY = {"player": "Stephen Curry", "season": "2015-16"}
FROM_MEMORY = sorted(spec.name for spec in CATALOG if spec.from_memory)


def test_a_statement_is_refused_before_it_is_sent(engine: Engine) -> None:
    with engine.connect() as conn:
        with memory_only(), pytest.raises(WouldWait, match="SQL statement"):
            conn.execute(text("DELETE FROM teams"))
        conn.rollback()
        assert conn.execute(text("SELECT 1")).scalar() == 1  # the connection still works


def test_a_value_not_yet_built_is_not_built(engine: Engine) -> None:
    built: list[int] = []
    with engine.connect() as conn:
        memo.known_version(conn, 1)
        with memory_only(), pytest.raises(WouldWait, match="building nowait-test"):
            memo.memoized(conn, "nowait-test", (1,), lambda: built.append(1) or 7)
        assert built == []
        assert memo.memoized(conn, "nowait-test", (1,), lambda: 7) == 7
        with memory_only():
            assert memo.memoized(conn, "nowait-test", (1,), lambda: 8) == 7


@pytest.fixture
def services(loaded_engine: Engine) -> Iterator[Services]:
    cache = ResultCache.from_settings(settings(), engine=loaded_engine, redis=None)
    cache.versions.current()  # the watch up, as on a server
    yield Services(settings=settings(), engine=loaded_engine, cache=cache)
    cache.close()


@pytest.fixture
def hops(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The names of the functions handed to a worker thread from now on."""
    handed: list[str] = []
    real = anyio.to_thread.run_sync

    async def counted(work: Any, *args: Any, **kwargs: Any) -> Any:
        target = getattr(work, "func", work)  # a functools.partial's function
        handed.append(getattr(target, "__name__", repr(target)))
        return await real(work, *args, **kwargs)

    monkeypatch.setattr(anyio.to_thread, "run_sync", counted)
    return handed


def test_the_tools_said_to_answer_from_memory_do_so_once_warm(services: Services) -> None:
    assert FROM_MEMORY == ["find_player", "league_leaders", "player_season_stats"]
    for name in FROM_MEMORY:
        spec = BY_NAME[name]
        warm = call(services, spec, GOOD[name])
        with memory_only():
            again = call(services, spec, GOOD[name])
        assert not again.is_error and again == warm


def test_a_cold_call_goes_to_a_thread_once_and_is_counted_once(
    services: Services, hops: list[str]
) -> None:
    """Nothing built for this data version yet: the call stops before its first query,
    runs in a worker thread, and tool_calls_total counts one call, not two."""
    spec = BY_NAME["player_season_stats"]
    calls = metrics.TOOL_CALLS.labels(tool=spec.name, status="ok")

    def run() -> Any:
        return asyncio.run(nowait.run(lambda: call(services, spec, CURRY), from_memory=True))

    memo.clear()
    before = calls._value.get()
    cold = run()
    assert hops == ["<lambda>"] and calls._value.get() == before + 1
    warm = run()
    assert hops == ["<lambda>"] and calls._value.get() == before + 2
    assert warm == cold and cold.structured_content["rows"][-1]["per_game"]["pts"] == 30.1


def test_a_tool_not_said_to_answer_from_memory_always_goes_to_a_thread(
    services: Services, hops: list[str]
) -> None:
    # On SQLite run_sql opens its own sqlite3 connection, which no statement hook sees:
    # what keeps it off the loop is that it is not marked from_memory.
    spec = BY_NAME["run_sql"]
    arguments = {"query": "SELECT COUNT(*) AS n FROM teams"}
    call(services, spec, arguments)
    answer = asyncio.run(nowait.run(lambda: call(services, spec, arguments), from_memory=False))
    assert hops == ["<lambda>"] and not answer.is_error


def _over_mcp_and_rest(client: TestClient, name: str) -> tuple[Any, Any]:
    """The structured result over the MCP fast path and the REST body, for GOOD[name]."""
    message = {"jsonrpc": "2.0", "id": 1, "method": "tools/call",
               "params": {"name": name, "arguments": GOOD[name]}}  # fmt: skip
    mcp = client.post("/mcp", content=json.dumps(message), headers=HEADERS).json()
    method, url, body = http_request(BY_NAME[name], GOOD[name])
    rest = client.request(method, url, json=body)
    assert rest.status_code == 200, rest.text
    return comparable(mcp["result"]["structuredContent"]), comparable(rest.json())


@pytest.mark.parametrize("name", FROM_MEMORY)
def test_from_memory_answers_are_the_same_with_the_result_cache_off_and_on(
    loaded_engine: Engine, name: str
) -> None:
    answers = []
    for ttl in (0, 300):
        app = build_app(settings(cache_ttl_seconds=ttl), loaded_engine)
        with TestClient(app, base_url=BASE) as client:
            first, second = (_over_mcp_and_rest(client, name) for _ in range(2))
            assert first == second
            answers.append(first)
    assert answers[0] == answers[1]


@pytest.mark.parametrize("name", FROM_MEMORY)
def test_rest_and_mcp_answer_a_warm_call_on_the_loop(
    loaded_engine: Engine, name: str, hops: list[str]
) -> None:
    """The result cache off, so every call is computed: once the tables are built, REST and
    the MCP fast path compute it without a worker thread, and answer alike."""
    app = build_app(settings(cache_ttl_seconds=0), loaded_engine)
    with TestClient(app, base_url=BASE) as client:
        cold = _over_mcp_and_rest(client, name)
        hops.clear()
        warm = _over_mcp_and_rest(client, name)
    assert [hop for hop in hops if "_answer" in hop] == []
    assert warm == cold and warm[0] == warm[1]


@pytest.mark.parametrize(
    ("name", "arguments", "said"),
    [("find_player", {"name": "Stepen Cury"}, "Players matching 'Stepen Cury': Stephen Curry"),
     ("player_season_stats", {"player": "Zzzz Qqqqqq", "season": "2015-16"},
      "No player called 'Zzzz Qqqqqq'.")],
)  # fmt: skip
def test_a_search_over_every_name_is_not_done_on_the_loop(
    services: Services, name: str, arguments: dict[str, Any], said: str, hops: list[str]
) -> None:
    """A misspelt name is compared with every name (milliseconds): that goes to a thread,
    and the answer is the same."""
    spec = BY_NAME[name]
    expected = call(services, spec, arguments)
    with memory_only(), pytest.raises(WouldWait, match="close-spelling"):
        call(services, spec, arguments)
    assert (
        asyncio.run(nowait.run(lambda: call(services, spec, arguments), from_memory=True))
        == expected
    )
    assert (
        "Stephen Curry" in expected.content[0].text
        or "No player called" in expected.content[0].text
    )
