"""``nba-mcp ops health``: the same checks as /ready plus data, backups, disk and kubectl;
exit 0 healthy, 1 degraded, 2 down; ``--url`` asks a running server over HTTP."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine

from nba_mcp.db.engine import make_engine
from nba_mcp.db.migrate import upgrade
from nba_mcp.ingest import bref
from nba_mcp.ingest.load import load_batch
from nba_mcp.ops import backups
from nba_mcp.ops.stores import LocalStore
from nba_mcp.service import build_app
from tests.cli.invoke import Cli, env_for
from tests.conftest import BREF
from tests.ops.conftest import BUCKET, settings
from tests.ops.servers import calls, fake_kubectl, low_port, serve_app


def _pods(ready: bool = True) -> str:
    status = {"phase": "Running", "containerStatuses": [{"ready": ready, "restartCount": 2}]}
    return json.dumps({"items": [{"status": status}, {"status": status}]})


HEALTHY = {
    "get pods": _pods(),
    "get hpa": json.dumps({"spec": {"maxReplicas": 10}, "status": {"currentReplicas": 3}}),
    "get events": json.dumps({"items": []}),
}


@pytest.fixture(scope="module")
def loaded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    """A SQLite database with the Basketball-Reference seasons and a backup just taken."""
    directory = tmp_path_factory.mktemp("health")
    engine = make_engine(f"sqlite:///{directory / 'nba.sqlite3'}")
    upgrade(engine)
    load_batch(engine, bref.parse(BREF))
    backups.create_backup(engine=engine, store=LocalStore(directory / "b"), ledger_engine=engine)
    yield engine
    engine.dispose()


def _env(engine: Engine, tmp_path: Path, answers: dict[str, str] | None = None,
         **more: str) -> tuple[dict[str, str | None], Path]:  # fmt: skip
    program, log = fake_kubectl(tmp_path, answers if answers is not None else HEALTHY)
    more = {"kubectl_path": str(program), "data_dir": str(tmp_path)} | more
    env = env_for(engine.url.render_as_string(hide_password=False), **more)
    return env, log


def test_everything_up_is_ok_and_exits_0(
    cli: Cli, loaded: Engine, tmp_path: Path, s3_endpoint: str
) -> None:
    env, log = _env(loaded, tmp_path, redis_url="redis://127.0.0.1:6379/0",
                    s3_endpoint_url=s3_endpoint, s3_bucket=BUCKET, s3_access_key_id="test",
                    s3_secret_access_key="test")  # fmt: skip

    outcome = cli.main("ops", "health", "--json", env=env)

    report = outcome.json()
    assert outcome.exit_code == 0, report
    found = {c["name"]: c for c in report["checks"]}
    assert list(found) == ["database", "cache", "object_store", "data_freshness",
                           "last_backup", "disk", "k8s_pods", "k8s_hpa", "k8s_events"]  # fmt: skip
    assert {c["status"] for c in found.values()} == {"ok"}
    assert found["data_freshness"]["detail"] == "latest game 2019-06-13"
    assert found["last_backup"]["detail"].startswith("sqlite-")
    assert found["k8s_pods"]["detail"] == "2/2 pods ready, 4 restarts"
    assert found["k8s_hpa"]["detail"] == "3 of at most 10 replicas"
    assert calls(log) == [
        ["get", "pods", "-l", "app=nba-mcp-synthesis", "-o", "json",
         "-n", "nba-mcp-synthesis", "--request-timeout=10s"],
        ["get", "hpa", "nba-mcp-synthesis-hpa", "-o", "json",
         "-n", "nba-mcp-synthesis", "--request-timeout=10s"],
        ["get", "events", "--field-selector", "type=Warning", "-o", "json",
         "-n", "nba-mcp-synthesis", "--request-timeout=10s"],
    ]  # fmt: skip


def test_the_table_names_each_check(cli: Cli, loaded: Engine, tmp_path: Path) -> None:
    env, _ = _env(loaded, tmp_path, {**HEALTHY, "get pods": _pods(ready=False)})

    outcome = cli.main("ops", "health", env=env)

    assert outcome.exit_code == 1
    text = " ".join(outcome.stdout.split())
    assert "Health of local: degraded" in text
    assert "k8s_pods │ degraded │ 0/2 pods ready" in text


def test_hpa_at_its_maximum_and_warning_events_are_degraded(
    cli: Cli, loaded: Engine, tmp_path: Path
) -> None:
    now = dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    answers = {
        **HEALTHY,
        "get hpa": json.dumps({"spec": {"maxReplicas": 10}, "status": {"currentReplicas": 10}}),
        "get events": json.dumps({"items": [{"reason": "BackOff", "lastTimestamp": now},
                                            {"reason": "Old", "lastTimestamp": "2020-01-01T00:00:00Z"}]}),
    }  # fmt: skip
    env, _ = _env(loaded, tmp_path, answers)

    report = cli.main("ops", "health", "--json", env=env).json()

    found = {c["name"]: c for c in report["checks"]}
    assert found["k8s_hpa"]["status"] == "degraded"
    assert found["k8s_events"]["detail"] == "1 warning events in the last 1:00:00: BackOff"


def test_redis_down_is_degraded_and_exits_1(cli: Cli, loaded: Engine, tmp_path: Path) -> None:
    env, _ = _env(loaded, tmp_path, redis_url=f"redis://127.0.0.1:{low_port()}/0", kubectl_path="")

    outcome = cli.main("ops", "health", "--json", env=env)

    assert outcome.exit_code == 1
    found = {c["name"]: c for c in outcome.json()["checks"]}
    assert found["cache"]["status"] == "degraded"
    assert "k8s_pods" not in found  # no kubectl: no Kubernetes checks


def test_the_database_down_is_down_and_exits_2(cli: Cli, tmp_path: Path) -> None:
    env = env_for(f"postgresql+psycopg://postgres@127.0.0.1:{low_port()}/none", kubectl_path="",
                  data_dir=str(tmp_path))  # fmt: skip

    outcome = cli.main("ops", "health", "--json", env=env)

    assert outcome.exit_code == 2
    report = outcome.json()
    assert report["status"] == "down"
    assert [c["name"] for c in report["checks"]] == ["database", "disk"]


def test_url_mode_asks_a_running_server(loaded: Engine, tmp_path: Path) -> None:
    from nba_mcp.ops.health import remote_health

    app = build_app(settings(), loaded)
    with serve_app(app) as base:
        report = remote_health(settings=settings(kubectl_path=""), url=base)
    found = {c.name: c for c in report.checks}
    assert list(found) == ["health", "ready", "metrics", "data_freshness", "last_backup"]
    assert report.status == "ok", report
    assert found["data_freshness"].detail == "latest game 2019-06-13"


def test_url_mode_with_nothing_listening_is_down() -> None:
    from nba_mcp.ops.health import remote_health

    report = remote_health(settings=settings(kubectl_path=""), url=f"http://127.0.0.1:{low_port()}")
    assert report.status == "down" and report.exit_code == 2
    assert {c.status for c in report.checks} == {"down"}


def test_url_mode_sends_the_key_when_metrics_require_one(loaded: Engine) -> None:
    from nba_mcp.ops.health import remote_health
    from nba_mcp.security.keys import create_key

    key = create_key(loaded, name="ops-health", scopes="admin").key
    app = build_app(settings(metrics_require_key=True), loaded)
    quiet = settings(kubectl_path="")
    with serve_app(app) as base:
        without = remote_health(settings=quiet, url=base)
        with_key = remote_health(settings=quiet, url=base, api_key=key)
    found = {c.name: c for c in without.checks}
    assert found["metrics"].status == "degraded" and "needs a key" in found["metrics"].detail
    assert with_key.status == "ok", with_key
