"""The REST and MCP surfaces answer repeated calls from the result cache, and a load
that changes data is never answered from it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import redis
from sqlalchemy import Engine, event
from starlette.testclient import TestClient

from nba_mcp.ingest import nba_stats
from nba_mcp.ingest.load import load_batch
from nba_mcp.observability.metrics import CACHE_REQUESTS
from nba_mcp.service import build_app
from tests.conftest import NBA_STATS, load_all, wait_for_version
from tests.web.conftest import settings

REDIS_URL = "redis://127.0.0.1:6379/0"


def cache_count(result: str) -> float:
    return CACHE_REQUESTS.labels(result=result)._value.get()


@pytest.fixture
def loaded(engine: Engine) -> Engine:
    load_all(engine)
    return engine


@pytest.fixture(params=["in_process", "redis"])
def client(request: pytest.FixtureRequest, loaded: Engine) -> Iterator[TestClient]:
    overrides = {"redis_url": REDIS_URL} if request.param == "redis" else {}
    app = build_app(settings(**overrides), loaded)
    if request.param == "redis":
        app.state.cache.prefix = f"test-{id(app)}"
    with TestClient(app) as connected:
        yield connected
    if request.param == "redis":
        server = redis.Redis.from_url(REDIS_URL)
        for key in server.scan_iter(f"{app.state.cache.prefix}:*"):
            server.delete(key)
        server.close()


def test_a_repeated_call_is_a_cache_hit_with_the_same_answer(client: TestClient) -> None:
    path = "/v1/teams/GSW/season?season=2015-16"
    hits = cache_count("hit")
    first = client.get(path)
    second = client.get(path)
    assert first.status_code == second.status_code == 200
    assert first.json() == second.json()
    assert second.json()["record"] == {"wins": 73, "losses": 9}
    assert cache_count("hit") == hits + 1


def test_a_load_that_changes_data_is_not_answered_from_the_cache(
    client: TestClient, loaded: Engine, tmp_path: Path
) -> None:
    path = "/v1/games/0021500003"
    before = client.get(path).json()
    assert before["home"]["periods"] == [39, 20, 35, 17, 0]
    # Rewrite GSW's first quarter (and the second, so the total still adds up).
    source = (NBA_STATS / "linescores_2015-16.csv").read_text()
    changed = source.replace(
        "0021500003,2015-10-27,2015-16,1610612744,GSW,Warriors,39,20,",
        "0021500003,2015-10-27,2015-16,1610612744,GSW,Warriors,38,21,",
    )
    assert changed != source
    for path_in in NBA_STATS.glob("*_2015-16.csv"):
        (tmp_path / path_in.name).write_text(path_in.read_text())
    (tmp_path / "linescores_2015-16.csv").write_text(changed)
    load = load_batch(loaded, nba_stats.parse(tmp_path, "2015-16"))
    assert load.total_changed == 1
    wait_for_version(client.app.state.cache.versions, load.data_version)  # type: ignore[attr-defined]

    after = client.get(path).json()
    assert after["home"]["periods"] == [38, 21, 35, 17, 0]


@pytest.mark.parametrize("ttl", [0, 300], ids=["cache off", "cache on"])
def test_a_player_season_runs_no_query_once_the_season_is_built(
    loaded_engine: Engine, ttl: int
) -> None:
    """The data version comes from the watch and the season's values from the memo: a
    repeated call, cached or not, asks the database nothing (the security layer's own
    key and request-log statements aside)."""
    statements: list[str] = []

    def seen(_conn: object, _cursor: object, statement: str, *_: object) -> None:
        if "api_keys" not in statement and "request_log" not in statement:
            statements.append(statement)

    path = "/v1/players/Stephen%20Curry/season?season=2015-16"
    with TestClient(build_app(settings(cache_ttl_seconds=ttl), loaded_engine)) as client:
        assert client.get(path).status_code == 200  # builds what it needs
        event.listen(loaded_engine, "before_cursor_execute", seen)
        try:
            second = client.get(path)
        finally:
            event.remove(loaded_engine, "before_cursor_execute", seen)
    assert second.status_code == 200
    assert second.json()["rows"][0]["per_game"]["pts"] == 30.1
    assert statements == []
