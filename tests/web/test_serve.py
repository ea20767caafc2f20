"""The real ``nba-mcp serve --transport http`` process: start-up checks, several workers'
metrics, SIGTERM draining in-flight requests, the access log on stderr."""

from __future__ import annotations

import json
import signal
import socket
import subprocess
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
from prometheus_client.multiprocess import MultiProcessCollector
from sqlalchemy import Engine

from nba_mcp.db.engine import make_engine
from tests.mcp.conftest import database_url
from tests.mcp.servers import NBA_MCP, free_port, server_env
from tests.web.conftest import CLOSED_PORT_PG
from tests.web.live import live_server
from tests.web.test_observability import sample


def serve_once(url: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [NBA_MCP, "serve", "--transport", "http", "--port", str(free_port())],
        env=server_env(url), capture_output=True, text=True, timeout=60,
    )  # fmt: skip


def test_start_up_fails_with_exit_2_when_the_database_is_unreachable() -> None:
    result = serve_once(CLOSED_PORT_PG)
    assert result.returncode == 2, result.stderr
    assert "The database is unavailable" in result.stderr
    assert "Traceback" not in result.stderr


def test_start_up_fails_with_exit_2_when_the_schema_is_behind(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'empty.sqlite3'}"
    make_engine(url).dispose()
    result = serve_once(url)
    assert result.returncode == 2, result.stderr
    assert "nba-mcp db upgrade" in " ".join(result.stderr.split())  # rich wraps lines


def health_counts(metrics_dir: Path) -> dict[str, float]:
    """Requests to /health recorded by each worker process (by pid), from its own file."""
    counts = {}
    for path in metrics_dir.glob("counter_*.db"):
        total = 0.0
        for metric in MultiProcessCollector.merge([str(path)], accumulate=True):
            for s in metric.samples:
                if s.name == "nba_mcp_http_requests_total" and s.labels.get("route") == "/health":
                    total += s.value
        counts[path.stem.split("_")[1]] = total
    return counts


def test_two_workers_share_one_metrics_view(loaded_engine: Engine, tmp_path: Path) -> None:
    with live_server(database_url(loaded_engine), tmp_path, "--workers", "2") as server:
        [metrics_dir] = tmp_path.glob("nba-mcp-metrics-*")

        def hit(_: int) -> int:  # a fresh connection each time: the kernel picks a worker
            return httpx.get(f"{server.base}/health", headers={"Connection": "close"}).status_code

        with ThreadPoolExecutor(8) as pool:
            for _ in range(100):
                assert set(pool.map(hit, range(16))) == {200}
                if sum(1 for n in health_counts(metrics_dir).values() if n > 0) >= 2:
                    break
        per_worker = health_counts(metrics_dir)
        assert sum(1 for n in per_worker.values() if n > 0) == 2, per_worker
        text = httpx.get(f"{server.base}/metrics").text
        total = sample(
            text, "nba_mcp_http_requests_total", method="GET", route="/health", status="200"
        )
        assert total == sum(per_worker.values())
    assert server.process.returncode == 0
    assert not list(tmp_path.glob("nba-mcp-metrics-*"))  # removed on exit


def test_sigterm_lets_an_in_flight_request_finish(loaded_engine: Engine, tmp_path: Path) -> None:
    with live_server(database_url(loaded_engine), tmp_path) as server:
        body = json.dumps({"query": "SELECT COUNT(*) AS n FROM teams"}).encode()
        head = (
            f"POST /v1/sql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
            f"X-Request-ID: drain-1\r\nContent-Length: {len(body)}\r\n\r\n"
        ).encode()
        port = int(server.base.rsplit(":", 1)[1])
        with socket.create_connection(("127.0.0.1", port), timeout=30) as conn:
            conn.sendall(head + body[:10])  # the request is in flight, its body unfinished
            server.process.send_signal(signal.SIGTERM)
            conn.sendall(body[10:])
            reply = b""
            while chunk := conn.recv(65536):
                reply += chunk
        assert reply.startswith(b"HTTP/1.1 200"), reply[:200]
        assert b'"rows":[[30]]' in reply
        # uvicorn re-raises the signal once drained, so the exit reads as "ended by SIGTERM"
        assert server.process.wait(timeout=30) in (0, -signal.SIGTERM)
        access = [json.loads(line) for line in server.log_lines() if '"nba_mcp.access"' in line]
        assert any(a["request_id"] == "drain-1" and a["status"] == 200 for a in access)


def test_without_keys_serving_beyond_loopback_is_refused(loaded_engine: Engine) -> None:
    done = subprocess.run(
        [NBA_MCP, "serve", "--transport", "http", "--host", "0.0.0.0", "--port", str(free_port())],
        env=server_env(database_url(loaded_engine)),
        capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert done.returncode == 1
    assert "0.0.0.0" in done.stderr and "nba-mcp keys create" in done.stderr
