"""``nba-mcp ingest``: a load, then the validation summary, as one JSON document."""

from __future__ import annotations

import functools
import json
import os
import re
import subprocess
import sys
from pathlib import Path

from tests.cli.invoke import Cli, env_for, plain
from tests.conftest import BREF, NBA_STATS

NBA_MCP = str(Path(sys.executable).with_name("nba-mcp"))


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


def test_the_summary_explains_known_differences_and_labels_mismatches(
    cli: Cli, tmp_path: Path
) -> None:
    env = upgraded(cli, f"sqlite:///{tmp_path / 'nba.sqlite3'}")
    assert (
        cli.invoke("ingest", "bref", str(BREF), "--season", "2015-16", "-q", env=env).exit_code == 0
    )
    loaded = cli.invoke("ingest", "nba-stats", str(NBA_STATS), "--season", "2015-16", "-q", env=env)
    shown = plain(loaded.stdout)

    assert loaded.exit_code == 0, loaded.output
    summary = json.loads(
        cli.invoke("ingest", "nba-stats", str(NBA_STATS), "--season", "2015-16", "--json",
                   env=env).stdout
    )  # fmt: skip
    tov = next(
        c for c in summary["validation"]["checks"] if c["name"] == "team_tov_equals_player_sum"
    )
    assert tov["columns"] == ["game", "team", "team total", "players' sum"]
    assert tov["expected"].startswith("NBA.com's team turnovers include those charged to no player")
    first = tov["mismatches"][0].split(" ")
    assert int(first[2]) > int(first[3])  # the team figure is the larger
    assert (
        f"game {first[0]}, team {first[1]}: team total {first[2]}, players' sum {first[3]}; "
        f"{tov['mismatch_count'] - 1} more" in shown
    )
    assert "Known differences between the sources, expected and not errors:" in shown
    assert (
        f"team_tov_equals_player_sum ({tov['mismatch_count']} of {tov['checked']}): "
        "NBA.com's team turnovers include those charged to no player (shot-clock, 8-second "
        "and 5-second violations, too many players on the floor)" in shown
    )
    assert "must pass" in shown and "known difference" in shown
    errors_ = [c for c in summary["validation"]["checks"] if c["severity"] == "error"]
    assert all(c["expected"] is None and c["mismatch_count"] == 0 for c in errors_)


def test_the_progress_bars_count_what_the_rows_table_shows(tmp_path: Path) -> None:
    # A real process, so that the bars are drawn (on stderr) as a person sees them.
    env = {k: v for k, v in os.environ.items() if not k.startswith("NBA_MCP_")}
    env |= {"NBA_MCP_DATABASE_URL": f"sqlite:///{tmp_path / 'nba.sqlite3'}", "COLUMNS": "120"}
    run = functools.partial(
        subprocess.run, env=env, capture_output=True, text=True, timeout=120, check=True
    )
    run([NBA_MCP, "db", "upgrade"])
    done = run([NBA_MCP, "ingest", "bref", str(BREF), "--season", "2015-16"])

    bars = {
        m["table"]: (int(m["done"]), int(m["total"]))
        for m in re.finditer(r"^(?P<table>\w+) +━+ (?P<done>\d+)/(?P<total>\d+)", done.stderr, re.M)
    }
    rows = {
        m["table"]: int(m["offered"])
        for m in re.finditer(r"│ (?P<table>\w+) +│ +(?P<offered>\d+) │", done.stdout)
    }
    assert set(bars) == {"seasons", "teams", "players", "games", "team_box_scores",
                         "player_box_scores"}  # fmt: skip
    assert bars == {table: (rows[table], rows[table]) for table in bars}
    assert bars["players"][0] > 5000  # the reference list with the season's players
    assert bars["games"] == (1316, 1316)
