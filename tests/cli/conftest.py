from __future__ import annotations

from pathlib import Path

import pytest

from nba_mcp.db.engine import make_engine
from nba_mcp.db.migrate import upgrade
from nba_mcp.ingest import bref, nba_stats
from nba_mcp.ingest.load import load_batch
from tests.cli.invoke import Cli, env_for
from tests.conftest import BREF, NBA_STATS


@pytest.fixture
def cli(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> Cli:
    return Cli(monkeypatch, capsys, tmp_path)


@pytest.fixture(scope="module")
def env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str | None]:
    """The 2015-16 season from both sources, in a SQLite file."""
    url = f"sqlite:///{tmp_path_factory.mktemp('cli') / 'nba.sqlite3'}"
    engine = make_engine(url)
    upgrade(engine)
    load_batch(engine, bref.parse(BREF, "2015-16"))
    load_batch(engine, nba_stats.parse(NBA_STATS, "2015-16"))
    engine.dispose()
    return env_for(url)
