"""The app factory: lifespan and shutdown hooks, middleware order, the workers' factory."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine
from starlette.testclient import TestClient

from nba_mcp.db.engine import make_engine
from nba_mcp.db.migrate import upgrade
from nba_mcp.service import build_app, create_app
from nba_mcp.web import middleware
from tests.web.conftest import settings


@pytest.fixture
def engine_at_head(tmp_path: Path) -> Iterator[Engine]:
    engine = make_engine(f"sqlite:///{tmp_path / 'nba.sqlite3'}")
    upgrade(engine)
    yield engine
    engine.dispose()


def test_shutdown_hooks_run_in_order_after_requests(engine_at_head: Engine) -> None:
    ran: list[str] = []

    async def flush() -> None:
        ran.append("async")

    def broken() -> None:
        raise RuntimeError("a failing hook does not stop the others")

    app = build_app(settings(), engine_at_head)
    app.state.shutdown_hooks.extend([lambda: ran.append("sync"), broken, flush])
    with TestClient(app) as client:
        assert client.get("/health").status_code == 200
        assert ran == []
    assert ran[-2:] == ["sync", "async"]


def test_request_context_wraps_every_other_middleware(engine_at_head: Engine) -> None:
    app = build_app(settings(), engine_at_head)
    classes = [m.cls for m in app.user_middleware]
    assert classes[:2] == [middleware.RequestContext, middleware.BodyLimit]


def test_create_app_reads_the_environment(
    engine_at_head: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(
        "NBA_MCP_DATABASE_URL", engine_at_head.url.render_as_string(hide_password=False)
    )
    monkeypatch.setenv("NBA_MCP_MAX_BODY_BYTES", "100")
    monkeypatch.chdir(str(engine_at_head.url.database).rsplit("/", 1)[0])  # no stray .env
    root, access = logging.getLogger(), logging.getLogger("nba_mcp.access")
    saved = (root.handlers[:], root.level, access.handlers[:], access.propagate)
    try:
        app = create_app()  # configures logging, as an entry point does
    finally:
        root.handlers[:], access.handlers[:] = saved[0], saved[2]
        root.setLevel(saved[1])
        access.propagate = saved[3]
    assert app.state.settings.max_body_bytes == 100
    with TestClient(app) as client:
        assert client.get("/health").status_code == 200
        assert client.post("/v1/sql", json={"query": "x" * 200}).status_code == 413
