"""The real server process over stdio and streamable HTTP, driven by the SDK's client."""

from __future__ import annotations

import pytest
from mcp import Client
from mcp.client.stdio import StdioServerParameters
from sqlalchemy import Engine

from tests.mcp.conftest import database_url, structured
from tests.mcp.servers import NBA_MCP, http_server, server_env

pytestmark = pytest.mark.anyio


async def _check(client: Client) -> None:
    names = {tool.name for tool in (await client.list_tools()).tools}
    assert {"find_player", "player_season_stats", "team_season_stats"} <= names
    data = structured(
        await client.call_tool(
            "player_season_stats", {"player": "Stephen Curry", "season": "2015-16"}
        )
    )
    assert data["rows"][-1]["per_game"]["pts"] == 30.1


async def test_stdio_transport_serves_tools(loaded_engine: Engine) -> None:
    params = StdioServerParameters(
        command=NBA_MCP,
        args=["serve", "--transport", "stdio"],
        env=server_env(database_url(loaded_engine)),
    )
    async with Client(params) as client:
        await _check(client)


async def test_streamable_http_is_stateless_across_clients(loaded_engine: Engine) -> None:
    with http_server(database_url(loaded_engine)) as base:
        for _ in range(2):  # a fresh client each time: no session state is needed
            async with Client(f"{base}/mcp") as client:
                await _check(client)
