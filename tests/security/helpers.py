"""What the security and cache tests share: a clock to move by hand, a real Redis with a
private key prefix, and a private ``redis-server`` that a test can stop and start."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
import redis
from redis import Redis

from tests.mcp.servers import free_port

REDIS_URL = "redis://127.0.0.1:6379/0"


class Clock:
    """Wall time (UTC datetimes) and monotonic seconds that move only when told."""

    def __init__(self) -> None:
        self.now = dt.datetime(2026, 1, 15, 12, 0, tzinfo=dt.UTC)
        self.seconds = 1_000.0

    def __call__(self) -> dt.datetime:
        return self.now

    def monotonic(self) -> float:
        return self.seconds

    def wall(self) -> float:
        return self.now.timestamp()

    def advance(self, **delta: float) -> None:
        step = dt.timedelta(**delta)
        self.now += step
        self.seconds += step.total_seconds()


@contextmanager
def redis_prefix() -> Iterator[tuple[Redis, str]]:
    """The shared test Redis and a key prefix of this test alone; its keys deleted after."""
    client = Redis.from_url(REDIS_URL, socket_timeout=2, socket_connect_timeout=2)
    prefix = f"test:{uuid.uuid4().hex}"
    try:
        yield client, prefix
    finally:
        for key in client.scan_iter(match=f"{prefix}*"):
            client.delete(key)
        client.close()


class RedisServer:
    """A ``redis-server`` of the test's own (no persistence), to stop and start."""

    def __init__(self) -> None:
        binary = shutil.which("redis-server")
        if binary is None:
            pytest.skip("redis-server is not installed")
        self.binary = binary
        self.port = free_port()
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(
            [self.binary, "--port", str(self.port), "--save", "", "--appendonly", "no",
             "--bind", "127.0.0.1"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )  # fmt: skip
        probe = redis.Redis(port=self.port, socket_connect_timeout=0.2)
        deadline = time.monotonic() + 10
        try:
            while True:
                try:
                    probe.ping()
                    return
                except redis.ConnectionError:
                    if time.monotonic() > deadline:
                        raise
                    time.sleep(0.02)  # polling for readiness, not a fixed wait
        finally:
            probe.close()

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)
            self.process = None
