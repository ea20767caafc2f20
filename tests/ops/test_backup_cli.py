"""``nba-mcp ops backup`` end to end in process, and the metric /metrics exports from the ledger."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from sqlalchemy import text
from starlette.testclient import TestClient

from nba_mcp.db.engine import make_engine
from nba_mcp.service import build_app
from tests.cli.invoke import Cli, env_for
from tests.ops.conftest import settings
from tests.ops.servers import low_port


def test_create_list_verify_restore_through_the_cli(cli: Cli, tmp_path: Path) -> None:
    env = env_for(data_dir=str(tmp_path / "data"))
    assert cli.invoke("db", "upgrade", env=env).exit_code == 0

    created = cli.main("ops", "backup", "create", "--json", env=env)
    assert created.exit_code == 0, created.stderr
    backup_id = created.json()["backup_id"]
    listed = cli.main("ops", "backup", "list", "--json", env=env).json()
    assert [b["backup_id"] for b in listed] == [backup_id]
    assert (tmp_path / "data" / "backups" / f"{backup_id}.manifest.json").is_file()

    verified = cli.main("ops", "backup", "verify", backup_id, "--json", env=env)
    assert verified.exit_code == 0, verified.stderr
    assert verified.json()["tables"] == len(created.json()["tables"])

    target = f"sqlite:///{tmp_path / 'restored.sqlite3'}"
    first = cli.main("ops", "backup", "restore", backup_id, "--target-url", target, env=env)
    again = cli.main("ops", "backup", "restore", backup_id, "--target-url", target, env=env)
    assert first.exit_code == 0, first.stderr
    assert again.exit_code == 1 and "is not empty" in again.error and "--force" in again.error

    dry = cli.main("ops", "backup", "prune", "--keep-daily", "1", "--dry-run", "--json", env=env)
    assert dry.json() == {"kept": [backup_id], "deleted": [], "dry_run": True}


def test_a_damaged_backup_exits_1_with_the_reason(cli: Cli, tmp_path: Path) -> None:
    env = env_for(data_dir=str(tmp_path / "data"))
    cli.invoke("db", "upgrade", env=env)
    backup_id = cli.main("ops", "backup", "create", "--json", env=env).json()["backup_id"]
    (tmp_path / "data" / "backups" / f"{backup_id}.sqlite3").write_bytes(b"SQLite format 3\0")

    outcome = cli.main("ops", "backup", "verify", backup_id, env=env)

    assert outcome.exit_code == 1
    assert f"error: Backup {backup_id} is damaged: 16 bytes" in outcome.error
    assert "Traceback" not in outcome.stderr


def test_metrics_export_the_last_successful_backup(cli: Cli, tmp_path: Path) -> None:
    env = env_for(data_dir=str(tmp_path / "data"))
    cli.invoke("db", "upgrade", env=env)
    assert cli.main("ops", "backup", "create", env=env).exit_code == 0
    engine = make_engine(f"sqlite:///{tmp_path / 'data' / 'nba.sqlite3'}")
    with engine.connect() as conn:
        finished = conn.execute(text("SELECT MAX(finished_at) FROM backup_runs")).scalar_one()
    expected = dt.datetime.fromisoformat(str(finished)).replace(tzinfo=dt.UTC).timestamp()

    with TestClient(build_app(settings(port=low_port()), engine)) as client:
        body = client.get("/metrics").text
    engine.dispose()

    line = next(x for x in body.splitlines()
                if x.startswith("nba_mcp_backup_last_success_timestamp_seconds "))  # fmt: skip
    assert float(line.split()[1]) == expected


def test_a_database_behind_its_migrations_can_still_be_backed_up(cli: Cli, tmp_path: Path) -> None:
    from nba_mcp.db.migrate import upgrade

    engine = make_engine(f"sqlite:///{tmp_path / 'data' / 'nba.sqlite3'}")
    upgrade(engine, "0002")  # no backup_runs ledger yet
    engine.dispose()

    created = cli.main("ops", "backup", "create", "--json",
                       env=env_for(data_dir=str(tmp_path / "data")))  # fmt: skip

    assert created.exit_code == 0, created.stderr
    assert created.json()["schema_revision"] == "0002"
    assert "could not record the create" in created.stderr
