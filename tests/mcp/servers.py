"""Running the real ``nba-mcp serve`` process for transport tests."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

from tests.ops.servers import low_port

NBA_MCP = str(Path(sys.executable).with_name("nba-mcp"))


def free_port() -> int:
    """A free loopback port below 32768: port 0 would give one of the kernel's outgoing
    range, which servers started by tests stay out of."""
    return low_port()


def server_env(database_url: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("NBA_MCP_")}
    env["NBA_MCP_DATABASE_URL"] = database_url
    env["NBA_MCP_LOG_LEVEL"] = "WARNING"
    return env


@contextmanager
def http_server(database_url: str) -> Iterator[str]:
    """``nba-mcp serve --transport http`` on a free port; yields the base URL."""
    port = free_port()
    process = subprocess.Popen(
        [NBA_MCP, "serve", "--transport", "http", "--host", "127.0.0.1", "--port", str(port)],
        env=server_env(database_url),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"server exited: {process.stderr.read().decode()}")  # type: ignore[union-attr]
            try:
                if httpx.get(f"{base}/health", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                if time.monotonic() > deadline:
                    raise
            time.sleep(0.05)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=10)
        if process.stderr is not None:
            process.stderr.close()


def inspector() -> str | None:
    """The MCP Inspector launcher installed by ``npm ci`` in tools/inspector, if any."""
    launcher = Path(__file__).resolve().parents[2] / "tools/inspector/node_modules/.bin/inspector"
    return str(launcher) if launcher.exists() and shutil.which("node") else None
