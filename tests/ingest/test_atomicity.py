"""A corrupt source file loads nothing: ``nba-mcp ingest bref`` exits 1 naming the file,
line, column and reason, and the database keeps exactly what it held before."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import Engine

from nba_mcp.ingest import bref
from nba_mcp.ingest.load import load_batch
from tests.cli.invoke import Cli, env_for, plain
from tests.ingest.files import CORRUPTIONS
from tests.ingest.snapshot import row_counts, snapshot


@pytest.mark.parametrize("name", CORRUPTIONS)
def test_a_corrupt_season_exits_1_and_changes_nothing(
    name: str,
    corrupted: dict[str, Path],
    one_game: Path,
    database_url: str,
    engine: Engine,
    cli: Cli,
) -> None:
    load_batch(engine, bref.parse(one_game))  # what the database held before
    before = snapshot(engine)

    outcome = cli.main("ingest", "bref", str(corrupted[name]), "--quiet", env=env_for(database_url))

    assert outcome.exit_code == 1
    assert outcome.error == f"error: {CORRUPTIONS[name].message}"
    assert "Traceback" not in outcome.stderr
    assert outcome.stdout == ""
    after = snapshot(engine)
    assert row_counts(after)["games"] == 1
    assert after == before


def test_the_installed_command_reports_a_corrupt_file_without_a_traceback(
    corrupted: dict[str, Path], tmp_path: Path
) -> None:
    """The real ``nba-mcp`` process: the message and the exit status the shell sees."""
    url = f"sqlite:///{tmp_path / 'nba.sqlite3'}"
    env = {k: v for k, v in os.environ.items() if not k.startswith("NBA_MCP_")}
    env |= {"NBA_MCP_DATABASE_URL": url, "COLUMNS": "200", "NO_COLOR": "1"}
    command = str(Path(sys.executable).with_name("nba-mcp"))

    upgraded = subprocess.run(
        [command, "db", "upgrade"],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    failed = subprocess.run(
        [command, "ingest", "bref", str(corrupted["points_do_not_add_up"]), "--quiet"],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert upgraded.returncode == 0, upgraded.stderr
    assert failed.returncode == 1
    assert failed.stdout == ""
    assert plain(failed.stderr) == f"error: {CORRUPTIONS['points_do_not_add_up'].message}"
