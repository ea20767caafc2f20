"""NBA_MCP_DATABASE_READ_URL on a real streaming replica: a throw-away primary made by
initdb, a replica made from it by ``pg_basebackup -R``. The tools read from the replica;
writes (the request log) and the data-version watch stay on the primary; a load on the
primary reaches the tools through the replica."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import Engine, event, text
from sqlalchemy.exc import InternalError
from starlette.testclient import TestClient

from nba_mcp.db.engine import make_engine
from nba_mcp.ops.health import local_health
from nba_mcp.service import build_app
from tests.conftest import BREF
from tests.deploy.local import Cluster, cluster, private_directory, wait_until
from tests.deploy.stack import cli
from tests.synthesis.scripted import Say, ScriptedProvider
from tests.web.conftest import settings

pytestmark = pytest.mark.postgres

CURRY = "/v1/players/Stephen%20Curry/season?season=2015-16"


@pytest.fixture(scope="module")
def servers() -> Iterator[tuple[Cluster, Cluster]]:
    """A primary at the schema's head and a streaming replica of it, both running."""
    with cluster() as primary, private_directory() as directory:
        cli(primary.url, "db", "upgrade")
        replica = primary.replica(directory / "replica")
        replica.start()
        try:
            yield primary, replica
        finally:
            replica.stop()


def statements(engine: Engine) -> list[str]:
    """Every statement ``engine`` runs from now on, first word upper-cased."""
    seen: list[str] = []

    def record(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        seen.append(statement.split(None, 1)[0].upper())

    event.listen(engine, "before_cursor_execute", record)
    return seen


def in_recovery(engine: Engine) -> bool:
    with engine.connect() as conn:
        return bool(conn.execute(text("SELECT pg_is_in_recovery()")).scalar())


def test_tools_read_the_replica_and_a_load_on_the_primary_reaches_them(
    servers: tuple[Cluster, Cluster],
) -> None:
    primary, replica = servers
    engine = make_engine(primary.url)
    app = build_app(settings(database_url=primary.url, database_read_url=replica.url), engine)
    reads = app.state.read_engine
    assert reads is not engine
    assert in_recovery(reads) and not in_recovery(engine)
    on_primary, on_replica = statements(engine), statements(reads)
    with TestClient(app) as client:
        assert client.get(CURRY).status_code == 404  # nothing loaded yet
        assert on_replica  # ... as the replica said

        cli(primary.url, "ingest", "bref", str(BREF), "--season", "2015-16", "--quiet")

        def served() -> bool:
            return client.get(CURRY).status_code == 200

        wait_until(served, seconds=30, what="the load to reach the tools through the replica")
        season = client.get(CURRY).json()
        ready = client.get("/ready").json()
        assert ready["components"]["database_read"]["status"] == "ok"
        assert season["rows"][-1]["totals"]["pts"] == 2375  # read through the replica
        # The data-version watch listens on the primary (a replica cannot LISTEN).
        assert watches(primary) == 1 and watches(replica) == 0
    engine.dispose()  # the request log flushed into the primary when the app stopped

    # The tools' statements ran on the replica, and none of them wrote.
    assert {"SELECT", "WITH"} & set(on_replica)
    assert not {"INSERT", "UPDATE", "DELETE", "LISTEN"} & set(on_replica)
    # The request log's rows and the data-version watch were the primary's.
    assert "INSERT" in on_primary
    assert scalar(primary, "SELECT count(*) FROM request_log") >= 2


def watches(server: Cluster) -> int:
    """Sessions of ``server`` opened by the data-version watch (its application_name)."""
    query = "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'nba-mcp data version'"
    return int(scalar(server, query) or 0)


def scalar(server: Cluster, query: str) -> Any:
    engine = make_engine(server.url)
    try:
        with engine.connect() as conn:
            return conn.execute(text(query)).scalar()
    finally:
        engine.dispose()


def test_ready_needs_the_replica_when_one_is_configured(servers: tuple[Cluster, Cluster]) -> None:
    primary, replica = servers
    engine = make_engine(primary.url)
    app = build_app(settings(database_url=primary.url, database_read_url=replica.url), engine)
    with TestClient(app) as client:
        assert client.get("/ready").status_code == 200
        replica.stop()
        try:
            response = client.get("/ready")
            assert response.status_code == 503
            components = response.json()["components"]
            assert components["database"]["status"] == "ok"
            assert components["database_read"]["status"] == "down"
            metrics = client.get("/metrics").text
            assert 'nba_mcp_dependency_up{dependency="database"} 0.0' in metrics
            report = local_health(
                settings=settings(
                    database_url=primary.url, database_read_url=replica.url, kubectl_path=""
                ),
                engine=engine,
            )  # nba-mcp ops health runs the same checks
            found = {f.name: f.status for f in report.checks}
            assert (found["database"], found["database_read"]) == ("ok", "down")
        finally:
            replica.start()
        wait_until(lambda: client.get("/ready").status_code == 200, seconds=30,
                   what="readiness to return with the replica")  # fmt: skip
    engine.dispose()


def test_a_replica_refuses_writes(servers: tuple[Cluster, Cluster]) -> None:
    """What the split protects against: the replica is read-only."""
    _, replica = servers
    with pytest.raises(InternalError, match="read-only transaction"):
        scalar(replica, "CREATE TABLE t (x int)")


def test_a_synthesis_run_is_kept_on_the_primary_while_its_tools_read_the_replica(
    servers: tuple[Cluster, Cluster],
) -> None:
    primary, replica = servers
    engine = make_engine(primary.url)
    with ScriptedProvider() as provider:
        provider.script("m1", [Say("Nothing to count here.")])
        app = build_app(settings(database_url=primary.url, database_read_url=replica.url,
                                 llm_providers={"scripted": {"kind": "openai",
                                                             "base_url": provider.openai_base_url}}),
                        engine)  # fmt: skip
        before = scalar(primary, "SELECT COUNT(*) FROM synthesis_runs")
        with TestClient(app) as client:
            answered = client.post("/v1/synthesize",
                                   json={"question": "Hello?", "models": ["scripted:m1"]})  # fmt: skip
    engine.dispose()
    assert answered.status_code == 200 and answered.json()["status"] == "ok", answered.text
    # the replica cannot take the ledger's write: it goes to the primary, and streams back
    assert scalar(primary, "SELECT COUNT(*) FROM synthesis_runs") == before + 1
    wait_until(lambda: scalar(replica, "SELECT COUNT(*) FROM synthesis_runs") == before + 1,
               seconds=10, what="the run to stream to the replica")  # fmt: skip
