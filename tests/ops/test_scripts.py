"""The guide's script names run as real processes and reach the CLI with their arguments."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine

from nba_mcp.db.engine import make_engine
from nba_mcp.db.migrate import upgrade
from nba_mcp.service import build_app
from tests.ops.conftest import settings
from tests.ops.servers import serve_app

SCRIPTS = Path(__file__).resolve().parents[2] / "scripts"
NBA_MCP = str(Path(sys.executable).with_name("nba-mcp"))


@pytest.fixture
def engine(tmp_path: Path) -> Iterator[Engine]:
    """SQLite only: the scripts pass arguments through; the backends are tested elsewhere."""
    engine = make_engine(f"sqlite:///{tmp_path / 'nba.sqlite3'}")
    upgrade(engine)
    yield engine
    engine.dispose()


def _run(command: list[str], engine: Engine, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("NBA_MCP_")}
    env |= {"NBA_MCP": NBA_MCP, "NBA_MCP_KUBECTL_PATH": "", "NBA_MCP_DATA_DIR": str(tmp_path),
            "NBA_MCP_DATABASE_URL": engine.url.render_as_string(hide_password=False),
            "NBA_MCP_LOG_LEVEL": "WARNING"}  # fmt: skip
    return subprocess.run(command, env=env, cwd=tmp_path, capture_output=True, text=True,
                          timeout=120, check=False)  # fmt: skip


def test_daily_health_check(engine: Engine, tmp_path: Path) -> None:
    done = _run([str(SCRIPTS / "daily_health_check.sh"), "--json"], engine, tmp_path)
    assert done.returncode == 1, done.stderr  # no game, no backup yet: degraded
    report = json.loads(done.stdout)
    assert report["target"] == "local" and report["checks"][0]["name"] == "database"


def test_health_check_production_and_validate_deployment(engine: Engine, tmp_path: Path) -> None:
    with serve_app(build_app(settings(), engine)) as base:
        health = _run([str(SCRIPTS / "health_check_production.sh"), base, "--json"], engine,
                      tmp_path)  # fmt: skip
        checked = _run([sys.executable, str(SCRIPTS / "validate_deployment.py"), "--url", base,
                        "--requests", "3", "--generate-report", "--output", "out"],
                       engine, tmp_path)  # fmt: skip
    report = json.loads(health.stdout)
    assert report["target"] == base
    assert health.returncode == {"ok": 0, "degraded": 1, "down": 2}[report["status"]]
    assert [c["name"] for c in report["checks"]][:3] == ["health", "ready", "metrics"]
    assert checked.returncode == 1  # an empty database cannot answer the known questions
    assert "FAIL" in checked.stdout and list((tmp_path / "out").glob("validation-*.html"))
    missing = _run([str(SCRIPTS / "health_check_production.sh")], engine, tmp_path)
    assert missing.returncode == 1 and "usage:" in missing.stderr


def test_performance_analysis(engine: Engine, tmp_path: Path) -> None:
    done = _run([sys.executable, str(SCRIPTS / "performance_analysis.py"), "--start-date",
                 "2026-11-01", "--end-date", "2026-11-30", "--output", "reports"],
                engine, tmp_path)  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "reports" / "perf-2026-11-01-2026-11-30.md").is_file()
