"""The Claude Desktop configuration in README works as written."""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import pytest
from mcp import Client
from mcp.client.stdio import StdioServerParameters
from sqlalchemy import Engine

from tests.mcp.conftest import structured

README = Path(__file__).resolve().parents[2] / "README.md"

pytestmark = pytest.mark.anyio


def readme_config() -> dict[str, dict[str, dict[str, object]]]:
    blocks = re.findall(r"```json\n(.*?)```", README.read_text(encoding="utf-8"), re.DOTALL)
    # The configuration that starts the server over stdio (the other one runs mcp-remote).
    found = [json.loads(block) for block in blocks if "mcpServers" in block and "serve" in block]
    assert len(found) == 1, "README shows one Claude Desktop configuration of nba-mcp serve"
    return found[0]  # type: ignore[no-any-return]


@pytest.mark.parametrize("loaded_engine", ["sqlite"], indirect=True)
async def test_claude_desktop_configuration_from_readme_starts_a_working_server(
    loaded_engine: Engine, tmp_path: Path
) -> None:
    # A checkout laid out as README assumes: .venv/bin/nba-mcp and data/nba.sqlite3.
    database = Path(str(loaded_engine.url.database))
    (tmp_path / ".venv").symlink_to(Path(sys.executable).parents[1])
    (tmp_path / "data").symlink_to(database.parent)
    assert database.name == "nba.sqlite3"
    text = json.dumps(readme_config()).replace("/ABSOLUTE/PATH", str(tmp_path))
    server = json.loads(text)["mcpServers"]["nba"]

    params = StdioServerParameters(
        command=server["command"], args=server["args"], env=server["env"], cwd="/"
    )
    async with Client(params) as client:
        data = structured(
            await client.call_tool(
                "player_season_stats", {"player": "Stephen Curry", "season": "2015-16"}
            )
        )
    assert data["rows"][-1]["totals"]["pts"] == 2375
