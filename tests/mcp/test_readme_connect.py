"""README's ways for an MCP client to send its key, run as written against the real HTTP
server: the Python SDK with an ``Authorization: Bearer`` header, the Inspector CLI with
``--header``, and a desktop client's configuration of ``mcp-remote`` with ``--header``."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import anyio
import httpx
import pytest
from mcp import Client
from mcp.client.stdio import StdioServerParameters, stdio_client
from sqlalchemy import Engine

from nba_mcp.security.keys import create_key
from tests.mcp.servers import NBA_MCP, http_server, server_env

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text(encoding="utf-8")
INSPECTOR = ROOT / "tools/inspector/node_modules/.bin/inspector"
MCP_REMOTE = ROOT / "tools/mcp-remote/node_modules/.bin/mcp-remote"
README_URL = "http://127.0.0.1:8000/mcp"


@contextmanager
def _server(engine: Engine) -> Iterator[str]:
    """The real HTTP server over ``engine``; yields its MCP endpoint."""
    with http_server(engine.url.render_as_string(hide_password=False)) as base:
        yield f"{base}/mcp"


def _block(language: str, needle: str) -> str:
    blocks = re.findall(rf"```{language}\n(.*?)```", README, re.DOTALL)
    [block] = [b for b in blocks if needle in b]
    return block


@pytest.fixture
def keyed_server(engine: Engine) -> Iterator[tuple[str, str]]:
    key = create_key(engine, name="readme", scopes="read").key
    with _server(engine) as url:
        yield url, key


@pytest.mark.parametrize("engine", ["sqlite"], indirect=True)
def test_the_python_sdk_snippet_connects_with_its_bearer_key(
    keyed_server: tuple[str, str], tmp_path: Path
) -> None:
    url, key = keyed_server
    code = _block("python", "Authorization").replace(README_URL, url)
    code = code.replace('KEY = "nbamcp_..."', f"KEY = {key!r}")
    script = tmp_path / "client.py"
    script.write_text(code, encoding="utf-8")

    done = subprocess.run(
        [sys.executable, str(script)], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    count, word = done.stdout.split()
    assert word == "tools"
    assert int(count) >= 15  # the fifteen data tools, and synthesize where it is served

    wrong = script.read_text(encoding="utf-8").replace(key, "nbamcp_wrong_key")
    script.write_text(wrong, encoding="utf-8")
    refused = subprocess.run(
        [sys.executable, str(script)], capture_output=True, text=True, timeout=120
    )
    assert refused.returncode != 0


@pytest.mark.parametrize("engine", ["sqlite"], indirect=True)
def test_a_client_without_a_key_gets_a_401_saying_what_to_send(
    keyed_server: tuple[str, str],
) -> None:
    url, _ = keyed_server
    answer = httpx.post(
        url,
        json={"jsonrpc": "2.0", "id": 1, "method": "tools/list"},
        headers={"Accept": "application/json, text/event-stream"},
    )
    assert answer.status_code == 401
    assert "Authorization: Bearer" in answer.text


@pytest.mark.parametrize("engine", ["sqlite"], indirect=True)
def test_docs_mcp_quotes_the_401_body_the_server_sends(keyed_server: tuple[str, str]) -> None:
    url, _ = keyed_server
    doc = (ROOT / "docs/mcp.md").read_text(encoding="utf-8")
    section = doc.split("## Sending the API key\n", 1)[1].split("\n## ", 1)[0]
    [quoted] = re.findall(r"```json\n(.*?)```", section, re.DOTALL)
    answer = httpx.post(
        url,
        json={"jsonrpc": "2.0", "id": 1, "method": "tools/list"},
        headers={"Accept": "application/json, text/event-stream"},
    )
    assert answer.status_code == 401
    assert answer.json() == json.loads(quoted)


@pytest.mark.parametrize("engine", ["sqlite"], indirect=True)
def test_the_readme_curl_that_tries_a_key_answers_200_with_it(
    keyed_server: tuple[str, str],
) -> None:
    url, key = keyed_server
    [command] = re.findall(r"`(curl -H \"Authorization: Bearer \$KEY\" [^`]+)`", README)
    command = command.replace(README_URL.removesuffix("/mcp"), url.removesuffix("/mcp"))
    for sent, status in ((key, 200), ("nbamcp_0123456789ab_wrong", 401)):
        done = subprocess.run(
            ["bash", "-c", command + " -s -o /dev/null -w '%{http_code}'"],
            env=os.environ | {"KEY": sent}, capture_output=True, text=True, timeout=60,
        )  # fmt: skip
        assert done.stdout == str(status), done.stderr


@pytest.mark.skipif(
    not (INSPECTOR.exists() and shutil.which("node")), reason="make inspector not run"
)
@pytest.mark.parametrize("engine", ["sqlite"], indirect=True)
def test_the_inspector_command_lists_the_tools_with_its_header(
    keyed_server: tuple[str, str],
) -> None:
    url, key = keyed_server
    [command] = [
        line
        for line in _block("bash", "--header").replace("\\\n", " ").splitlines()
        if "inspector" in line
    ]
    command = command.replace("tools/inspector", str(ROOT / "tools/inspector"))
    command = command.replace(README_URL, url)
    done = subprocess.run(
        ["bash", "-c", command],
        env=os.environ | {"KEY": key},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert {"find_player", "run_sql"} <= {t["name"] for t in json.loads(done.stdout)["tools"]}


def _mcp_remote_config() -> dict[str, object]:
    """README's desktop-client entry that runs mcp-remote."""
    [block] = [b for b in re.findall(r"```json\n(.*?)```", README, re.DOTALL) if "mcp-remote" in b]
    servers: dict[str, dict[str, object]] = json.loads(block)["mcpServers"]
    return servers["nba-http"]


def _keys_create(engine: Engine) -> str:
    """A key made as README says (``nba-mcp keys create --name me``), read from ``--json``."""
    done = subprocess.run(
        [NBA_MCP, "keys", "create", "--name", "me", "--json"],
        env=server_env(engine.url.render_as_string(hide_password=False)),
        capture_output=True, text=True, timeout=60, check=True,
    )  # fmt: skip
    key: str = json.loads(done.stdout)["key"]
    return key


def test_readme_runs_the_mcp_remote_version_make_inspector_installs() -> None:
    pinned = json.loads((ROOT / "tools/mcp-remote/package.json").read_text(encoding="utf-8"))
    config = _mcp_remote_config()
    assert config["command"] == "npx"
    assert config["args"][:3] == [  # type: ignore[index]
        "-y",
        f"mcp-remote@{pinned['dependencies']['mcp-remote']}",
        README_URL,
    ]


@pytest.mark.skipif(
    not (MCP_REMOTE.exists() and shutil.which("node")), reason="make inspector not run"
)
@pytest.mark.anyio
async def test_the_mcp_remote_configuration_lists_and_calls_the_tools_over_stdio(
    engine: Engine, tmp_path: Path
) -> None:
    """The configuration run as a desktop client runs it: the bridge started with README's
    arguments and environment, spoken to over stdio. ``npx mcp-remote@VERSION`` is the
    pinned binary itself (npx would ask the registry), and the bridge gets a PATH holding
    only ``node``, a home of its own and no display: with a good key it never signs in, so
    it has no reason to open a browser, and could not."""
    key = _keys_create(engine)
    config = _mcp_remote_config()
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "node").symlink_to(str(shutil.which("node")))
    declared = {
        name: value.replace("nbamcp_...", key)
        for name, value in config["env"].items()  # type: ignore[attr-defined]
    }
    env = declared | {
        "PATH": str(bin_dir), "HOME": str(tmp_path), "MCP_REMOTE_CONFIG_DIR": str(tmp_path / "auth"),
    }  # fmt: skip
    log = tmp_path / "mcp-remote.log"
    with _server(engine) as url, log.open("w", encoding="utf-8") as errlog:
        args = [a.replace(README_URL, url) for a in config["args"][2:]]  # type: ignore[index]
        params = StdioServerParameters(command=str(MCP_REMOTE), args=args, env=env, cwd=tmp_path)
        with anyio.fail_after(60):  # a refused key would leave the bridge waiting for OAuth
            async with Client(stdio_client(params, errlog=errlog)) as client:
                tools = {t.name for t in (await client.list_tools()).tools}
                result = await client.call_tool(
                    "calculate_metric",
                    {"metric": "ts_pct", "inputs": {"pts": 2375, "fga": 1598, "fta": 400}},
                )

    assert {"find_player", "run_sql", "calculate_metric"} <= tools
    assert len(tools) >= 15
    assert result.structured_content is not None
    assert round(result.structured_content["value"], 3) == 0.669
    bridge = log.read_text(encoding="utf-8")
    assert "Replacing ${NBA_AUTH_HEADER} with environment value" in bridge
    assert "Authentication required" not in bridge
