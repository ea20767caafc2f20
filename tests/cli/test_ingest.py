"""``nba-mcp ingest``: a load, then the validation summary, as one JSON document."""

from __future__ import annotations

import json
from pathlib import Path

from tests.cli.invoke import Cli, env_for
from tests.conftest import BREF, NBA_STATS


def upgraded(cli: Cli, url: str) -> dict[str, str | None]:
    env = env_for(url)
    assert cli.invoke("db", "upgrade", env=env).exit_code == 0
    return env


def test_ingest_bref_json_reports_the_load_and_a_passing_validation(
    cli: Cli, tmp_path: Path
) -> None:
    env = upgraded(cli, f"sqlite:///{tmp_path / 'nba.sqlite3'}")

    result = cli.invoke("ingest", "bref", str(BREF), "--season", "2015-16", "--json", env=env)

    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert (summary["source"], summary["seasons"], summary["ok"]) == ("bref", ["2015-16"], True)
    assert summary["changed"]["games"] == summary["offered"]["games"] == 1316
    assert summary["changed"]["player_box_scores"] == 27978
    assert summary["validation"]["tables"]["games"] == 1316
    assert all(
        c["mismatch_count"] == 0
        for c in summary["validation"]["checks"]
        if c["severity"] == "error"
    )
    assert Path(summary["files"][0]).name == "games_2015_2016.csv"


def test_ingesting_the_same_files_again_changes_nothing(cli: Cli, database_url: str) -> None:
    env = upgraded(cli, database_url)
    command = ("ingest", "nba-stats", str(NBA_STATS), "--season", "2022-23", "--json")

    first = json.loads(cli.invoke(*command, env=env).stdout)
    second = json.loads(cli.invoke(*command, env=env).stdout)

    assert (first["changed"]["games"], first["changed"]["team_box_scores"]) == (1320, 2640)
    assert set(second["changed"].values()) == {0}
    assert second["data_version"] == first["data_version"] == 1
    assert second["ok"]


def test_ingest_prints_a_summary_for_people(cli: Cli, tmp_path: Path) -> None:
    env = upgraded(cli, f"sqlite:///{tmp_path / 'nba.sqlite3'}")

    result = cli.invoke("ingest", "nba-stats", str(NBA_STATS), "--season", "2022-23", "-q", env=env)

    assert result.exit_code == 0, result.output
    assert "Loaded nba_stats (2022-23): " in result.stdout
    assert "Consistency checks" in result.stdout


def test_ingest_into_a_database_without_schema_exits_2(cli: Cli, tmp_path: Path) -> None:
    env = env_for(f"sqlite:///{tmp_path / 'nba.sqlite3'}")

    outcome = cli.main("ingest", "bref", str(BREF), "--season", "2015-16", "-q", env=env)

    assert outcome.exit_code == 2
    assert outcome.error.endswith("Run `nba-mcp db upgrade` first.")
