"""Web fixtures: the whole HTTP app in process over the loaded database, and helpers."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import Engine
from starlette.testclient import TestClient

from nba_mcp.config import Settings
from nba_mcp.db.engine import make_engine
from nba_mcp.service import build_app

CLOSED_PORT_PG = "postgresql+psycopg://postgres@127.0.0.1:1/none"


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


def settings(**overrides: Any) -> Settings:
    """Settings from nothing but the overrides: no .env, no NBA_MCP_* of the test runner."""
    return Settings(_env_file=None, **overrides)  # type: ignore[call-arg]


@pytest.fixture
def client(loaded_engine: Engine) -> Iterator[TestClient]:
    """The app in process, lifespan running (the MCP session manager started)."""
    with TestClient(build_app(settings(), loaded_engine)) as connected:
        yield connected


@pytest.fixture(scope="module")
def sqlite_client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    """A client over an empty SQLite database at head, for tests that need no data."""
    from nba_mcp.db.migrate import upgrade

    engine = make_engine(f"sqlite:///{tmp_path_factory.mktemp('web') / 'nba.sqlite3'}")
    upgrade(engine)
    with TestClient(build_app(settings(), engine), raise_server_exceptions=False) as connected:
        yield connected
    engine.dispose()


class Lines(logging.Handler):
    """Collects the access log as the JSON lines it writes."""

    def __init__(self) -> None:
        super().__init__()
        from nba_mcp.observability.logging import JsonFormatter

        self.setFormatter(JsonFormatter())
        self.lines: list[dict[str, Any]] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(json.loads(self.format(record)))


@pytest.fixture
def access_log() -> Iterator[Lines]:
    handler = Lines()
    logger = logging.getLogger("nba_mcp.access")
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    yield handler
    logger.removeHandler(handler)


def problem(response: Any, status: int) -> dict[str, Any]:
    """The problem+json body of ``response``, checked for shape and status."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    body: dict[str, Any] = response.json()
    assert {"type", "title", "status", "detail"} <= set(body)
    assert body["status"] == status
    assert "Traceback" not in response.text
    return body
