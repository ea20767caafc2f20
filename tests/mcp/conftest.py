"""MCP fixtures: the server in process over the loaded database, and helpers to read results."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest
from mcp import Client
from mcp_types import CallToolResult
from sqlalchemy import Engine

from nba_mcp.catalog.spec import Services
from nba_mcp.config import Settings
from nba_mcp.mcp.server import build_server


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
async def client(loaded_engine: Engine) -> AsyncIterator[Client]:
    """The SDK's own client connected in process to a server on the loaded database."""
    server = build_server(Services(Settings(_env_file=None), loaded_engine))  # type: ignore[call-arg]
    async with Client(server) as connected:
        yield connected


def structured(result: CallToolResult) -> dict[str, Any]:
    assert not result.is_error, result.content
    assert result.structured_content is not None
    return result.structured_content


def error_text(result: CallToolResult) -> str:
    assert result.is_error, result.structured_content
    return " ".join(getattr(block, "text", "") for block in result.content)


def database_url(engine: Engine) -> str:
    return engine.url.render_as_string(hide_password=False)
