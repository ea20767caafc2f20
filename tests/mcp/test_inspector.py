"""An independent real client, the MCP Inspector CLI, against the real server process.

CI installs the Inspector with ``npm ci --prefix tools/inspector``; without it these
tests fail under CI and are skipped elsewhere.
"""

from __future__ import annotations

import json
import os
import subprocess
from typing import Any

import pytest
from sqlalchemy import Engine

from tests.mcp.conftest import database_url
from tests.mcp.servers import NBA_MCP, http_server, inspector, server_env

LAUNCHER = inspector()
if LAUNCHER is None and os.environ.get("CI"):
    raise RuntimeError("CI must install the MCP Inspector: npm ci --prefix tools/inspector")
pytestmark = pytest.mark.skipif(LAUNCHER is None, reason="npm ci --prefix tools/inspector")


TOOL_IS_ERROR = 5  # the Inspector's exit code for a tool result with isError


def run_inspector(
    target: list[str], *args: str, env: dict[str, str], expected_exit: int = 0
) -> Any:
    assert LAUNCHER is not None
    done = subprocess.run(
        [LAUNCHER, "--cli", *target, *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == expected_exit, done.stderr + done.stdout
    return json.loads(done.stdout)


def check_answers(target: list[str], env: dict[str, str]) -> None:
    tools = run_inspector(target, "--method", "tools/list", env=env)
    assert {"find_player", "player_season_stats", "run_sql"} <= {t["name"] for t in tools["tools"]}

    found = run_inspector(
        target, "--method", "tools/call", "--tool-name", "find_player",
        "--tool-arg", "name=nikola jokic", env=env,
    )  # fmt: skip
    assert found["structuredContent"]["candidates"][0]["name"] == "Nikola Jokić"

    season = run_inspector(
        target, "--method", "tools/call", "--tool-name", "player_season_stats",
        "--tool-arg", "player=Stephen Curry", "--tool-arg", "season=2015-16", env=env,
    )  # fmt: skip
    assert season["structuredContent"]["rows"][-1]["totals"]["pts"] == 2375

    strict = subprocess.run(
        [LAUNCHER, "--cli", *target, "--method", "tools/list", "--strict"],
        env=env, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    # No finding at all: --strict prints nothing for clean schemas (run_sql's cells included).
    assert (strict.returncode, strict.stderr.strip()) == (0, ""), strict.stderr

    sql = run_inspector(
        target, "--method", "tools/call", "--tool-name", "run_sql",
        "--tool-arg", "query=SELECT COUNT(*) AS n FROM games WHERE season = '2015-16'", env=env,
    )  # fmt: skip
    assert sql["structuredContent"]["rows"] == [[1316]]

    refused = run_inspector(
        target, "--method", "tools/call", "--tool-name", "run_sql",
        "--tool-arg", "query=DELETE FROM games", env=env, expected_exit=TOOL_IS_ERROR,
    )  # fmt: skip
    assert refused["isError"] is True
    assert "Only a single SELECT" in refused["content"][0]["text"]


def test_inspector_over_stdio(loaded_engine: Engine) -> None:
    # The Inspector passes the server only the variables named with -e.
    url = server_env(database_url(loaded_engine))["NBA_MCP_DATABASE_URL"]
    target = ["-e", f"NBA_MCP_DATABASE_URL={url}", NBA_MCP, "serve", "--transport", "stdio"]
    check_answers(target, env=dict(os.environ))


def test_inspector_over_streamable_http(loaded_engine: Engine) -> None:
    with http_server(database_url(loaded_engine)) as base:
        check_answers([f"{base}/mcp"], env=dict(os.environ))
