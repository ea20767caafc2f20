"""A worker loads sqlglot only with the first run_sql call and redis only when a Redis URL
is set: 24 and 18 MiB a worker that does not need them."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

SCRIPT = """
import sys
from nba_mcp.config import Settings
from nba_mcp.db.engine import make_engine
from nba_mcp.db.migrate import upgrade
from nba_mcp.queries.sql import run_sql
from nba_mcp.service import build_app

engine = make_engine(sys.argv[1])
upgrade(engine)
build_app(Settings(_env_file=None), engine)
print("sqlglot" in sys.modules, "redis" in sys.modules)
run_sql(engine, query="SELECT COUNT(*) FROM teams")
build_app(Settings(_env_file=None, redis_url="redis://127.0.0.1:6379/0"), engine)
print("sqlglot" in sys.modules, "redis" in sys.modules)
"""


def test_sqlglot_and_redis_load_only_when_used(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT, f"sqlite:///{tmp_path / 'nba.sqlite3'}"],
        capture_output=True, text=True, check=True, timeout=120,
    )  # fmt: skip
    assert done.stdout.split("\n")[:2] == ["False False", "True True"]
