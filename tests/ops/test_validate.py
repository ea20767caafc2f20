"""``ops validate`` against a served app: every known answer over REST and MCP, auth
enforced, metrics named, a bounded load; a wrong deployment fails with reasons."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PIL import Image
from sqlalchemy import Engine

from nba_mcp.catalog import BY_NAME
from nba_mcp.db.engine import make_engine
from nba_mcp.db.migrate import upgrade
from nba_mcp.ops.known_answers import QUESTIONS, REFUSALS
from nba_mcp.security.keys import create_key
from nba_mcp.service import build_app
from tests.cli.invoke import Cli, env_for
from tests.conftest import load_all
from tests.ops.conftest import settings
from tests.ops.servers import serve_app


@pytest.fixture(scope="module")
def deployment(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str, str]]:
    """A served app over the shared data with keys: (base URL, a key of every scope a check
    needs, a read-only key)."""
    engine = make_engine(f"sqlite:///{tmp_path_factory.mktemp('validate') / 'nba.sqlite3'}")
    upgrade(engine)
    load_all(engine)
    full = create_key(engine, name="validator", scopes="read,sql,synthesize").key
    limited = create_key(engine, name="reader", scopes="read").key
    with serve_app(build_app(settings(), engine)) as base:
        yield base, full, limited
    engine.dispose()


def test_a_good_deployment_passes_and_the_report_is_written(
    cli: Cli, deployment: tuple[str, str, str], tmp_path: Path
) -> None:
    base, full, limited = deployment
    out = tmp_path / "reports"

    outcome = cli.main("ops", "validate", "--url", base, "--api-key", full, "--limited-key",
                       limited, "--generate-report", "--output", str(out), "--requests", "30",
                       "--json", env=env_for(data_dir=str(tmp_path)))  # fmt: skip

    result = outcome.json()
    failed = [c for c in result["checks"] if not c["ok"]]
    assert outcome.exit_code == 0 and result["ok"], failed
    tools = {q.tool for q in QUESTIONS} | {r.tool for r in REFUSALS}
    assert tools == set(BY_NAME)  # every tool of the catalogue is checked
    for group in ("rest", "mcp"):
        assert {c["name"] for c in result["checks"] if c["group"] == group} == tools
    auth = {c["name"]: c["detail"] for c in result["checks"] if c["group"] == "auth"}
    assert auth == {"REST without a key": "HTTP 401, expected 401",
                    "MCP without a key": "HTTP 401, expected 401",
                    "REST with a key lacking the sql scope": "HTTP 403, expected 403"}  # fmt: skip
    assert result["load"]["requests"] == 30 and result["load"]["failed"] == 0
    assert result["tools_without_question"] == []
    markdown = Path(result["files"]["markdown"]).read_text()
    assert "PASSED" in markdown and "Curry 2015-16: 30.1 points per game" in markdown
    assert "<h2>Known answers over MCP</h2>" in Path(result["files"]["html"]).read_text()
    charts = [Path(p) for p in result["files"]["charts"]]
    assert len(charts) == 2
    for chart in charts:
        with Image.open(chart) as image:
            image.verify()
            assert image.format == "PNG"


def test_a_deployment_without_data_or_keys_fails_with_reasons(
    cli: Cli, engine: Engine, tmp_path: Path
) -> None:
    with serve_app(build_app(settings(), engine)) as base:
        outcome = cli.main("ops", "validate", "--url", base, "--requests", "5",
                           env=env_for(data_dir=str(tmp_path)))  # fmt: skip

    assert outcome.exit_code == 1
    text = " ".join(outcome.stdout.split())
    assert "FAIL │ auth │ REST without a key │ HTTP 404, expected 401" in text
    assert (
        "FAIL │ rest │ player_season_stats │ GET /v1/players/Stephen Curry/season: HTTP 404" in text
    )
    assert "FAIL │ mcp │ team_season_stats │ tool error:" in text
    assert "pass │ metrics │ /metrics" in text


def test_nothing_listening_fails_every_check(cli: Cli, tmp_path: Path) -> None:
    from tests.ops.servers import low_port

    outcome = cli.main("ops", "validate", "--url", f"http://127.0.0.1:{low_port()}",
                       "--requests", "0", "--json", env=env_for(data_dir=str(tmp_path)))  # fmt: skip

    assert outcome.exit_code == 1
    checks = outcome.json()["checks"]
    assert not any(c["ok"] for c in checks if c["group"] != "auth" or "403" not in c["name"])
