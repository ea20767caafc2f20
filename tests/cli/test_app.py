"""The ``nba-mcp`` entry point: version, settings, and errors turned into exit codes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from importlib.metadata import entry_points, version
from pathlib import Path

import pytest

from tests.cli.invoke import Cli, env_for, plain

SECRET_URL = "postgresql+psycopg://u:s3cret@h/db"
UNREACHABLE = "postgresql+psycopg://postgres@127.0.0.1:1/x"


def test_the_package_installs_the_nba_mcp_command() -> None:
    [script] = [e for e in entry_points(group="console_scripts") if e.name == "nba-mcp"]

    assert script.value == "nba_mcp.cli.app:main"
    assert Path(sys.executable).with_name("nba-mcp").is_file()


def test_version_prints_the_installed_version(cli: Cli) -> None:
    result = cli.invoke("--version", env=env_for())

    assert result.exit_code == 0
    assert result.stdout == f"nba-mcp {version('nba-mcp-synthesis')}\n"


def test_config_show_json_prints_one_document_with_secrets_redacted(cli: Cli) -> None:
    result = cli.invoke("config", "show", "--json", env=env_for(SECRET_URL, log_level="DEBUG"))

    assert result.exit_code == 0
    shown = json.loads(result.stdout)  # exactly one JSON document, nothing else
    assert shown["database_url"] == "postgresql+psycopg://u:***@h/db"
    assert shown["log_level"] == "DEBUG"
    assert shown["environment"] == "development"
    assert "s3cret" not in result.output


def test_config_show_as_a_table_hides_the_password_too(cli: Cli) -> None:
    result = cli.invoke("config", "show", env=env_for(SECRET_URL))

    assert result.exit_code == 0
    assert "u:***@h/db" in result.stdout
    assert "s3cret" not in result.output


def test_an_invalid_setting_exits_1_naming_it(cli: Cli) -> None:
    outcome = cli.main("config", "show", env=env_for(environment="staging"))

    assert outcome.exit_code == 1
    assert outcome.error.startswith("error: Invalid configuration:")
    assert "environment" in outcome.error
    assert "Traceback" not in outcome.stderr


def test_an_unreachable_database_exits_2_with_a_clear_message(cli: Cli) -> None:
    outcome = cli.main("player", "Stephen Curry", env=env_for(UNREACHABLE))

    assert outcome.exit_code == 2
    assert outcome.error.startswith("error: The database is unavailable. (connection failed:")
    assert "127.0.0.1" in outcome.error
    assert "Traceback" not in outcome.stderr
    assert outcome.stdout == ""


def test_the_real_process_exits_2_when_the_database_is_unreachable(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("NBA_MCP_")}
    env |= {"NBA_MCP_DATABASE_URL": UNREACHABLE, "COLUMNS": "200", "NO_COLOR": "1"}

    done = subprocess.run(
        [str(Path(sys.executable).with_name("nba-mcp")), "db", "status", "--json"],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert done.returncode == 2
    assert done.stdout == ""
    assert plain(done.stderr).startswith("error: The database is unavailable. (")
    assert "Traceback" not in done.stderr


def test_a_usage_error_is_bad_input_and_exits_1(cli: Cli) -> None:
    outcome = cli.main("player", env=env_for())

    assert outcome.exit_code == 1
    assert "Missing argument" in outcome.error
    assert "Traceback" not in outcome.stderr


@pytest.mark.parametrize(
    "words",
    [
        ["config", "show", "--json"],  # sys.stdout: click's EPIPE handling
        ["config", "show"],  # our Rich console
        ["tool"],  # the catalogue as a Rich table
        ["--help"],  # typer's own Rich console
    ],
)
def test_a_pipe_closed_early_ends_the_command_quietly_with_exit_0(
    tmp_path: Path, words: list[str]
) -> None:
    # A real pipe whose reader is gone before the first write, as when `head` has read its
    # lines and exited: every write meets EPIPE, deterministically.
    env = {k: v for k, v in os.environ.items() if not k.startswith("NBA_MCP_")}
    env |= {"COLUMNS": "200", "NO_COLOR": "1", "NBA_MCP_DATABASE_URL": UNREACHABLE}
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        done = subprocess.run(
            [str(Path(sys.executable).with_name("nba-mcp")), *words],
            env=env,
            cwd=tmp_path,
            stdout=write_end,
            stderr=subprocess.PIPE,
            text=True,
            timeout=60,
        )
    finally:
        os.close(write_end)

    assert done.returncode == 0
    assert done.stderr == ""


def test_nba_mcp_piped_into_head_exits_0_quietly(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("NBA_MCP_")}
    env |= {"COLUMNS": "200", "NO_COLOR": "1", "NBA_MCP_DATABASE_URL": UNREACHABLE}
    command = f"'{Path(sys.executable).with_name('nba-mcp')}' config show"
    done = subprocess.run(
        ["bash", "-o", "pipefail", "-c", f"{command} | head -n 2"],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert done.returncode == 0
    assert len(done.stdout.splitlines()) == 2
    assert done.stderr == ""
