"""Clients over the loaded database for the catalogue's tests: MCP in process, REST through
the ASGI app (test_surfaces has its own, with a scripted model provider)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest
from mcp import Client
from sqlalchemy import Engine

from nba_mcp.catalog.spec import Services
from nba_mcp.mcp.server import build_server
from nba_mcp.service import build_app
from tests.web.conftest import settings


@pytest.fixture
async def mcp(loaded_engine: Engine) -> AsyncIterator[Client]:
    async with Client(build_server(Services(settings(), loaded_engine))) as client:
        yield client


@pytest.fixture
async def rest(loaded_engine: Engine) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=build_app(settings(), loaded_engine))
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        yield client
