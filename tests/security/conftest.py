from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from redis import Redis

from tests.cli.invoke import Cli
from tests.security.helpers import Clock, RedisServer, redis_prefix


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def shared_redis() -> Iterator[tuple[Redis, str]]:
    with redis_prefix() as found:
        yield found


@pytest.fixture
def redis_server() -> Iterator[RedisServer]:
    server = RedisServer()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def cli(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> Cli:
    return Cli(monkeypatch, capsys, tmp_path)
