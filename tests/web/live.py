"""The real ``nba-mcp serve --transport http`` process, for tests of the process itself."""

from __future__ import annotations

import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

from tests.mcp.servers import NBA_MCP, free_port, server_env


@dataclass
class LiveServer:
    base: str
    process: subprocess.Popen[bytes]
    stderr: Path

    def log_lines(self) -> list[str]:
        return self.stderr.read_text().splitlines()


@contextmanager
def live_server(
    database_url: str, tmp_path: Path, *args: str, env: dict[str, str] | None = None
) -> Iterator[LiveServer]:
    """Serve on a free loopback port until /health answers; stop with SIGTERM after."""
    port = free_port()
    stderr = tmp_path / f"serve-{port}.log"
    environment = server_env(database_url) | {"TMPDIR": str(tmp_path)} | (env or {})
    with stderr.open("wb") as sink:
        process = subprocess.Popen(
            [NBA_MCP, "serve", "--transport", "http", "--host", "127.0.0.1", "--port", str(port), *args],
            env=environment, stdout=subprocess.DEVNULL, stderr=sink,
        )  # fmt: skip
    server = LiveServer(f"http://127.0.0.1:{port}", process, stderr)
    try:
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"server exited: {stderr.read_text()}")
            try:
                if httpx.get(f"{server.base}/health", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                if time.monotonic() > deadline:
                    raise
            time.sleep(0.05)  # polling until the port answers
        yield server
    finally:
        if process.poll() is None:
            process.terminate()
            process.wait(timeout=30)
