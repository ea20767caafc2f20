"""``make demo`` on a machine without the sample data: one line that says so and names the
live alternative, before anything is installed or loaded."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.skipif(shutil.which("make") is None, reason="needs make")
def test_make_demo_without_the_data_says_so_in_one_line_and_names_the_live_load(
    tmp_path: Path,
) -> None:
    missing = tmp_path / "no-data-here"
    done = subprocess.run(
        ["make", "--no-print-directory", "-C", str(ROOT), "demo", f"DATA={missing}"],
        capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip

    assert done.returncode != 0
    assert done.stdout == ""  # nothing installed, created or loaded
    [line] = done.stderr.splitlines()
    assert f"No sample data at {missing}" in line
    assert "nba-mcp ingest nba-api --season 2023-24" in line


def test_the_live_alternative_is_a_real_command() -> None:
    from typer.testing import CliRunner

    from nba_mcp.cli.app import app

    shown = CliRunner().invoke(app, ["ingest", "nba-api", "--help"])
    assert shown.exit_code == 0
    assert "--season" in shown.output
