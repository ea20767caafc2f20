"""Keys, scopes, rate limits and the result cache hold across two worker processes:
the state they share lives in PostgreSQL/SQLite and Redis, never in one worker."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
from sqlalchemy import Engine

from nba_mcp.ingest import bref
from nba_mcp.ingest.load import load_batch
from nba_mcp.security.keys import create_key
from tests.conftest import BREF
from tests.mcp.conftest import database_url
from tests.web.live import live_server
from tests.web.test_observability import sample

TEAM = "/v1/teams/GSW/season?season=2015-16"


def test_two_workers_share_keys_limits_and_cache(engine: Engine, tmp_path: Path) -> None:
    load_batch(engine, bref.parse(BREF, "2015-16"))
    reader = create_key(engine, name="reader", scopes="read").key
    limited = create_key(engine, name="limited", scopes="read").key
    env = {
        "NBA_MCP_REDIS_URL": "redis://127.0.0.1:6379/0",
        "NBA_MCP_RATE_LIMIT_PER_MINUTE": "6",
        "NBA_MCP_RATE_LIMIT_BURST": "6",
        "NBA_MCP_CACHE_TTL_SECONDS": "300",
    }
    with live_server(database_url(engine), tmp_path, "--workers", "2", env=env) as server:

        def get(key: str | None, path: str = TEAM) -> int:
            headers = {"Connection": "close"}  # a fresh connection: either worker answers
            if key is not None:
                headers["Authorization"] = f"Bearer {key}"
            return httpx.get(server.base + path, headers=headers, timeout=30).status_code

        # Keys are checked by every worker; a missing scope is refused by every worker.
        assert get(None) == 401
        assert get(reader) == 200
        sql = httpx.post(
            f"{server.base}/v1/sql", json={"query": "SELECT 1"},
            headers={"Authorization": f"Bearer {reader}", "Connection": "close"},
        )  # fmt: skip
        assert sql.status_code == 403

        # One bucket per key in Redis: 6 requests pass, whichever worker takes them.
        with ThreadPoolExecutor(4) as pool:
            statuses = list(pool.map(lambda _: get(limited), range(12)))
        assert sorted(statuses) == [200] * 6 + [429] * 6

        # The result cache is shared (its keys name this database): only the very first
        # call computed the answer; the 6 admitted and 4 more calls, on either worker, hit.
        for _ in range(4):
            assert get(reader) == 200
        text = httpx.get(f"{server.base}/metrics").text
        assert sample(text, "nba_mcp_cache_requests_total", result="miss") == 1
        assert sample(text, "nba_mcp_cache_requests_total", result="hit") == 6 + 4
        served = sample(
            text, "nba_mcp_http_requests_total", method="GET",
            route="/v1/teams/{team}/season", status="200",
        )  # fmt: skip
        assert served == 1 + 6 + 4
