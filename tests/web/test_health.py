"""/health answers without dependencies; /ready asks each one and recovers without restart."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, event
from sqlalchemy.engine import make_url
from starlette.testclient import TestClient

from nba_mcp import __version__
from nba_mcp.db.engine import make_engine
from nba_mcp.db.migrate import upgrade
from nba_mcp.service import build_app
from tests.conftest import PostgresServer
from tests.mcp.servers import free_port
from tests.security.helpers import RedisServer
from tests.web.conftest import CLOSED_PORT_PG, settings
from tests.web.services import TcpProxy, fake_s3


def ready(client: TestClient, status: int) -> dict[str, Any]:
    response = client.get("/ready")
    assert response.status_code == status, response.text
    body: dict[str, Any] = response.json()
    return body


def test_health_touches_no_dependency() -> None:
    engine = make_engine(CLOSED_PORT_PG)
    attempts: list[object] = []
    event.listen(engine, "do_connect", lambda *args: attempts.append(args))
    app = build_app(settings(redis_url=f"redis://127.0.0.1:{free_port()}/0"), engine)
    with TestClient(app) as client:
        body = client.get("/health").json()
        assert body["status"] == "ok" and body["version"] == __version__
        assert body["uptime_seconds"] >= 0
    assert attempts == []


def test_ready_is_ok_with_the_database_at_head(loaded_engine: Engine) -> None:
    with TestClient(build_app(settings(), loaded_engine)) as client:
        body = ready(client, 200)
    assert body["status"] == "ok"
    database = body["components"]["database"]
    assert database["status"] == "ok" and database["required"] is True
    assert database["latency_ms"] >= 0
    assert set(body["components"]) == {"database"}  # no cache, no object store configured


def test_ready_is_503_when_the_database_is_unreachable() -> None:
    with TestClient(build_app(settings(), make_engine(CLOSED_PORT_PG))) as client:
        body = ready(client, 503)
    assert body["status"] == "down"
    assert body["components"]["database"]["status"] == "down"
    assert "127.0.0.1" not in str(body)  # no addresses on a public endpoint


def test_ready_is_503_when_the_schema_is_behind(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'empty.sqlite3'}")
    with TestClient(build_app(settings(), engine)) as client:
        body = ready(client, 503)
    assert "nba-mcp db upgrade" in body["components"]["database"]["detail"]


@pytest.fixture
def proxied_postgres(postgres: PostgresServer) -> Iterator[tuple[Engine, TcpProxy]]:
    """A fresh database at head, reached through a proxy the test can cut."""
    url = postgres.create()
    direct = make_engine(url)
    upgrade(direct)
    direct.dispose()
    proxy = TcpProxy(upstream=make_url(url).port or 5432)
    proxy.start()
    engine = make_engine(
        make_url(url).set(host="127.0.0.1", port=proxy.port).render_as_string(hide_password=False)
    )
    yield engine, proxy
    engine.dispose()
    proxy.close()
    postgres.drop(url)


@pytest.mark.postgres
def test_ready_follows_postgresql_down_and_back(proxied_postgres: tuple[Engine, TcpProxy]) -> None:
    engine, proxy = proxied_postgres
    with TestClient(build_app(settings(), engine)) as client:
        assert ready(client, 200)["status"] == "ok"
        proxy.stop()
        assert ready(client, 503)["components"]["database"]["status"] == "down"
        assert client.get("/health").status_code == 200
        proxy.start()
        assert ready(client, 200)["status"] == "ok"  # the same process, no restart


def test_ready_is_degraded_while_redis_is_down(loaded_engine: Engine, tmp_path: Path) -> None:
    server = RedisServer()
    server.start()
    try:
        with TestClient(build_app(settings(redis_url=server.url), loaded_engine)) as client:
            body = ready(client, 200)
            assert body["status"] == "ok"
            assert body["components"]["cache"] == {"status": "ok", "required": False,
                                                   "latency_ms": body["components"]["cache"]["latency_ms"]}  # fmt: skip
            server.stop()
            body = ready(client, 200)
            assert body["status"] == "degraded"
            assert body["components"]["cache"]["status"] == "down"
            server.start()
            assert ready(client, 200)["status"] == "ok"
    finally:
        server.stop()


def test_redis_client_is_shared_on_app_state(loaded_engine: Engine) -> None:
    app = build_app(settings(redis_url="redis://127.0.0.1:6379/0"), loaded_engine)
    assert app.state.redis is not None
    assert build_app(settings(), loaded_engine).state.redis is None


S3 = {"s3_bucket": "backups", "s3_access_key_id": "test", "s3_secret_access_key": "test"}


def test_ready_checks_the_object_store_when_configured(loaded_engine: Engine) -> None:
    with fake_s3("backups") as endpoint:
        app = build_app(settings(s3_endpoint_url=endpoint, **S3), loaded_engine)
        with TestClient(app) as client:
            body = ready(client, 200)
    assert body["components"]["object_store"]["status"] == "ok"
    assert body["components"]["object_store"]["required"] is True


def test_ready_is_503_when_the_object_store_is_down(loaded_engine: Engine) -> None:
    closed = f"http://127.0.0.1:{free_port()}"
    with TestClient(build_app(settings(s3_endpoint_url=closed, **S3), loaded_engine)) as client:
        body = ready(client, 503)
    assert body["components"]["object_store"]["status"] == "down"
    assert body["components"]["database"]["status"] == "ok"


def test_a_hung_dependency_is_cut_at_the_timeout(loaded_engine: Engine) -> None:
    import socket

    with socket.socket() as listener:  # accepts the TCP connection, never answers
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        port = listener.getsockname()[1]
        app = build_app(
            settings(redis_url=f"redis://127.0.0.1:{port}/0", ready_timeout_seconds=0.3,
                     redis_socket_timeout_seconds=5),
            loaded_engine,
        )  # fmt: skip
        with TestClient(app) as client:
            body = ready(client, 200)
    cache = body["components"]["cache"]
    assert cache["status"] == "down" and "0.3" in cache["detail"]
    assert cache["latency_ms"] < 2000


def dependency_up(client: TestClient) -> dict[str, float]:
    """``nba_mcp_dependency_up`` by dependency, as /metrics shows it."""
    from prometheus_client.parser import text_string_to_metric_families

    found: dict[str, float] = {}
    for family in text_string_to_metric_families(client.get("/metrics").text):
        if family.name == "nba_mcp_dependency_up":
            for sample in family.samples:
                found[sample.labels["dependency"]] = sample.value
    return found


def test_ready_exports_each_dependency_as_up_or_down(loaded_engine: Engine) -> None:
    server = RedisServer()
    server.start()
    try:
        with fake_s3("backups") as endpoint:
            app = build_app(
                settings(redis_url=server.url, s3_endpoint_url=endpoint, **S3), loaded_engine
            )
            with TestClient(app) as client:
                ready(client, 200)
                assert dependency_up(client) == {"database": 1, "redis": 1, "object_store": 1}
                server.stop()
                ready(client, 200)
                assert dependency_up(client)["redis"] == 0
                server.start()
                ready(client, 200)
                assert dependency_up(client)["redis"] == 1
    finally:
        server.stop()


def test_ready_exports_the_database_down() -> None:
    with TestClient(build_app(settings(), make_engine(CLOSED_PORT_PG))) as client:
        ready(client, 503)
        assert dependency_up(client)["database"] == 0
