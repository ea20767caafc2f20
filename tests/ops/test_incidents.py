"""``ops incident new|collect`` and ``ops prune-request-log`` on a real database."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

from sqlalchemy import Engine, func, insert, select

from nba_mcp.db.models import RequestLog, table_of
from nba_mcp.ops.incidents import slugify
from tests.cli.invoke import Cli, env_for
from tests.ops.servers import calls, fake_kubectl

LOG = table_of(RequestLog)
TEMPLATE = Path(__file__).resolve().parents[2] / "incident-reports" / "template.md"
GUIDE_HEADINGS = ["## Incident Details", "## Description", "## Root Cause", "## Resolution",
                  "## Prevention", "## Lessons Learned"]  # fmt: skip


def _log(engine: Engine, *rows: tuple[dt.datetime, str, int, float]) -> None:
    with engine.begin() as conn:
        conn.execute(insert(LOG), [
            {"started_at": at, "request_id": f"r{i}", "key_name": "ops|key", "method": "GET",
             "route": route, "tool": None, "status": status, "latency_ms": ms, "bytes": 1}
            for i, (at, route, status, ms) in enumerate(rows)
        ])  # fmt: skip


def _workdir(tmp_path: Path) -> Path:
    (tmp_path / "incident-reports").mkdir()
    shutil.copy(TEMPLATE, tmp_path / "incident-reports" / "template.md")
    return tmp_path


def test_the_shipped_template_has_the_guides_headings() -> None:
    body = TEMPLATE.read_text()
    assert [line for line in body.splitlines() if line.startswith("## ")] == GUIDE_HEADINGS


def test_incident_new_fills_the_template_with_the_systems_state(
    cli: Cli, engine: Engine, tmp_path: Path
) -> None:
    now = dt.datetime.now(dt.UTC)
    _log(engine, (now - dt.timedelta(minutes=5), "/v1/players/x/season", 503, 12.0),
         (now - dt.timedelta(minutes=4), "/v1/leaders/pts", 200, 950.5),
         (now - dt.timedelta(days=2), "/v1/old", 500, 2000.0))  # fmt: skip
    env = env_for(engine.url.render_as_string(hide_password=False), kubectl_path="",
                  data_dir=str(tmp_path))  # fmt: skip
    cli.monkeypatch.chdir(_workdir(tmp_path))

    outcome = cli.main("ops", "incident", "new", "--severity", "P2", "--title",
                       "Database: slow queries!", env=env)  # fmt: skip

    assert outcome.exit_code == 0, outcome.stderr
    [report] = (tmp_path / "incident-reports").glob(f"{now:%Y-%m-%d}-database-slow-queries.md")
    body = report.read_text()
    assert body.startswith("# Incident: Database: slow queries!\n")
    assert f"- **Date**: {now:%Y-%m-%d}" in body
    assert "- **Severity**: P2 (High: significant functionality impact)" in body
    assert all(heading in body for heading in GUIDE_HEADINGS)
    assert "- **Schema revision**: 0006" in body and "| database | ok |" in body
    errors = body.split("### Recent errors")[1].split("### Slowest")[0]
    assert "GET /v1/players/x/season |  | 503 |" in errors and "/v1/old" not in errors
    assert "ops key" in errors  # a | from the log cannot break the table
    slowest = body.split("### Slowest requests (last hour)")[1]
    assert slowest.index("/v1/leaders/pts") < slowest.index("/v1/players/x/season")

    again = cli.main("ops", "incident", "new", "--severity", "P2", "--title",
                     "Database: slow queries!", env=env)  # fmt: skip
    assert again.exit_code == 0
    assert (tmp_path / "incident-reports" / f"{now:%Y-%m-%d}-database-slow-queries-2.md").exists()


def test_incident_collect_gathers_kubectl_output_and_local_state(
    cli: Cli, engine: Engine, tmp_path: Path
) -> None:
    program, log = fake_kubectl(tmp_path, {"get all": "pod/nba-mcp-synthesis-1 Running\n",
                                           "logs deployment/nba-mcp-synthesis": "a log line\n"})  # fmt: skip
    env = env_for(engine.url.render_as_string(hide_password=False), kubectl_path=str(program),
                  data_dir=str(tmp_path), slack_webhook_url="https://hooks.invalid/SECRET")  # fmt: skip
    cli.monkeypatch.chdir(_workdir(tmp_path))
    report = tmp_path / "incident-reports" / "2026-12-02-outage.md"

    outcome = cli.main("ops", "incident", "collect", "--incident", str(report), env=env)

    assert outcome.exit_code == 0, outcome.stderr
    folder = tmp_path / "incident-reports" / "2026-12-02-outage"
    assert (folder / "system-state.txt").read_text() == "pod/nba-mcp-synthesis-1 Running\n"
    assert (folder / "logs.txt").read_text() == "a log line\n"
    assert (folder / "events.txt").read_text().startswith("unavailable: kubectl get events")
    state = json.loads((folder / "state.json").read_text())
    assert state["schema_revision"] == "0006" and state["health"]["checks"]
    shown = (folder / "settings.json").read_text()
    assert "**********" in shown and "SECRET" not in shown
    assert ["logs", "deployment/nba-mcp-synthesis", "--since=1h", "--all-containers",
            "-n", "nba-mcp-synthesis", "--request-timeout=10s"] in calls(log)  # fmt: skip


def test_slugs_are_safe_file_names() -> None:
    assert slugify("../../etc/passwd") == "etc-passwd"
    assert slugify("Jokić outage — 503s") == "jokic-outage-503s"


def test_prune_request_log_keeps_the_retention_window(
    cli: Cli, engine: Engine, tmp_path: Path
) -> None:
    now = dt.datetime.now(dt.UTC)
    _log(engine, (now - dt.timedelta(days=40), "/old", 200, 1.0),
         (now - dt.timedelta(days=8), "/week", 200, 1.0), (now, "/now", 200, 1.0))  # fmt: skip
    env = env_for(engine.url.render_as_string(hide_password=False), data_dir=str(tmp_path),
                  request_log_retention_days="7")  # fmt: skip

    outcome = cli.main("ops", "prune-request-log", "--json", env=env)

    assert outcome.exit_code == 0, outcome.stderr
    assert outcome.json()["deleted"] == 2
    with engine.connect() as conn:
        assert conn.execute(select(LOG.c.route)).scalars().all() == ["/now"]
        assert conn.execute(select(func.count()).select_from(LOG)).scalar_one() == 1


def test_config_backup_writes_the_namespaces_configmaps(cli: Cli, tmp_path: Path) -> None:
    yaml = "apiVersion: v1\nkind: List\nitems:\n- kind: ConfigMap\n  metadata:\n    name: x\n"
    program, log = fake_kubectl(tmp_path, {"get configmap": yaml})
    env = env_for(kubectl_path=str(program), data_dir=str(tmp_path))

    outcome = cli.main("ops", "config-backup", "--output", str(tmp_path / "config"), env=env)

    assert outcome.exit_code == 0, outcome.stderr
    [written] = (tmp_path / "config").glob("configmaps-*.yaml")
    assert written.read_text() == yaml
    [argv] = calls(log)
    assert argv[:4] == ["get", "configmap", "-o", "yaml"]
    assert argv[argv.index("-n") + 1] == "nba-mcp-synthesis"
    missing = cli.main("ops", "config-backup", env=env_for(kubectl_path="", data_dir=str(tmp_path)))
    assert missing.exit_code == 2 and "NBA_MCP_KUBECTL_PATH" in missing.stderr
