"""A partitioned database fails requests fast, and busy worker threads never make /ready
report a healthy dependency as down.

The partition is real: packets to a TCP proxy in front of PostgreSQL are dropped by an
``iptables`` rule on the loopback interface (root only; skipped elsewhere), so the
connections already in the pool see silence, not a reset.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import time
from collections.abc import Iterator

import anyio
import anyio.to_thread
import pytest
from redis import Redis
from sqlalchemy import Engine
from sqlalchemy.engine import make_url
from starlette.requests import Request
from starlette.testclient import TestClient

from nba_mcp.db.engine import make_engine
from nba_mcp.readiness import checks
from nba_mcp.service import build_app
from nba_mcp.web.health import ready_endpoint
from tests.conftest import PG_URL
from tests.web.conftest import settings
from tests.web.services import TcpProxy

IPTABLES = shutil.which("iptables")


def _iptables(*args: str) -> None:
    assert IPTABLES is not None
    subprocess.run([IPTABLES, "-w", *args], check=True, capture_output=True, timeout=30)


@pytest.fixture
def blackhole() -> Iterator[TcpProxy]:
    """A proxy to the test PostgreSQL whose port can be made to drop every packet."""
    if (
        IPTABLES is None
        or subprocess.run([IPTABLES, "-w", "-L", "-n"], capture_output=True, timeout=30).returncode
    ):
        pytest.skip("needs iptables and the right to use it (root)")
    proxy = TcpProxy(make_url(PG_URL).port or 5432)
    proxy.start()
    rule = ["INPUT", "-i", "lo", "-p", "tcp", "--dport", str(proxy.port), "-j", "DROP"]
    try:
        yield proxy
    finally:
        subprocess.run([IPTABLES, "-w", "-D", *rule], capture_output=True, timeout=30)
        proxy.close()


@pytest.mark.parametrize(
    "loaded_engine", [pytest.param("postgresql", marks=pytest.mark.postgres)], indirect=True
)
def test_a_pooled_connection_to_a_silent_database_fails_within_seconds(
    loaded_engine: Engine, blackhole: TcpProxy
) -> None:
    url = loaded_engine.url.set(host="127.0.0.1", port=blackhole.port)
    engine = make_engine(
        url.render_as_string(hide_password=False), network_timeout_seconds=2, pool_pre_ping=False
    )
    app = build_app(settings(), engine)
    try:
        with TestClient(app) as client:
            # Box scores are read from the database on every new game id.
            assert client.get("/v1/games/0021500001").status_code == 200  # a pooled connection
            _iptables("-I", "INPUT", "-i", "lo", "-p", "tcp", "--dport", str(blackhole.port),
                      "-j", "DROP")  # fmt: skip
            started = time.monotonic()
            response = client.get("/v1/games/0021500003")
            elapsed = time.monotonic() - started
    finally:
        engine.dispose()

    assert response.status_code == 503, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert elapsed < 15, f"a silent database held the request {elapsed:.1f} s"


@pytest.mark.parametrize("loaded_engine", ["sqlite"], indirect=True)
def test_ready_reports_a_healthy_redis_while_every_worker_thread_is_busy(
    loaded_engine: Engine, shared_redis: tuple[Redis, str]
) -> None:
    config = settings(redis_url="redis://127.0.0.1:6379/0", ready_timeout_seconds=1.0)
    redis = Redis.from_url("redis://127.0.0.1:6379/0", socket_timeout=1)
    ready = ready_endpoint(config, checks(config, loaded_engine, redis))
    scope = {"type": "http", "method": "GET", "path": "/ready", "headers": []}

    async def main() -> dict[str, object]:
        anyio.to_thread.current_default_thread_limiter().total_tokens = 2
        async with anyio.create_task_group() as group:
            for _ in range(2):  # both worker threads held for longer than /ready's timeout
                group.start_soon(anyio.to_thread.run_sync, time.sleep, 2.5)
            await anyio.sleep(0.1)
            response = await ready(Request(scope))
        return dict(json.loads(bytes(response.body)))

    try:
        body = anyio.run(main)
    finally:
        redis.close()
    assert body["status"] == "ok", body
    assert body["components"]["cache"]["status"] == "ok"  # type: ignore[index]
