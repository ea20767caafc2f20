from __future__ import annotations

from pathlib import Path

import pytest

from tests.cli.invoke import Cli
from tests.ingest.files import CORRUPTIONS, copy_season


@pytest.fixture
def cli(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> Cli:
    return Cli(monkeypatch, capsys, tmp_path)


@pytest.fixture(scope="session")
def corrupted(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """A broken copy of the 2015-16 Basketball-Reference files per corruption, made once."""
    directories = {}
    for name, corruption in CORRUPTIONS.items():
        directory = copy_season(tmp_path_factory.mktemp(name), "2015-16")
        corruption.apply(directory)
        directories[name] = directory
    return directories


@pytest.fixture(scope="session")
def one_game(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The files of the 2018-19 opener alone (0021800001, PHI at BOS): a quick small load."""
    return copy_season(tmp_path_factory.mktemp("one_game"), "2018-19", games={"0021800001"})
