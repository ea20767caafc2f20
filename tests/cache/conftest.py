from __future__ import annotations

from collections.abc import Iterator

import pytest
from redis import Redis

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
