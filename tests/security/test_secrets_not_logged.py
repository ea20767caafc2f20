"""No key and no secret ever reaches a log: every log record at DEBUG (extras included)
and everything written to stderr is searched after good and bad requests."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest
from sqlalchemy import Engine

from nba_mcp.observability.logging import JsonFormatter, configure_logging
from nba_mcp.security import keys
from nba_mcp.security.keys import create_key, revoke_key, rotate_key
from nba_mcp.security.ratelimit import RateLimiter
from nba_mcp.security.request_log import RequestLogWriter
from tests.security.apps import bearer, client, tools_call
from tests.security.helpers import Clock


@pytest.fixture
def debug_logging() -> Iterator[logging.Logger]:
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    configure_logging("DEBUG", json_lines=True)  # the production handler, on stderr
    yield root
    root.handlers[:] = handlers
    root.setLevel(level)


def test_keys_and_secrets_never_reach_the_logs(
    engine: Engine,
    clock: Clock,
    caplog: pytest.LogCaptureFixture,
    capfd: pytest.CaptureFixture[str],
    debug_logging: logging.Logger,
) -> None:
    caplog.set_level(logging.DEBUG)
    good = create_key(engine, name="reader", scopes="read", now=clock.now)
    old = create_key(engine, name="rotated", scopes="read,sql", now=clock.now)
    new = rotate_key(engine, name_or_id="rotated", now=clock.now)
    gone = create_key(engine, name="gone", scopes="read", now=clock.now)
    revoke_key(engine, name_or_id="gone", now=clock.now)
    forged = good.key[:-6] + "AAAAAA"
    writer = RequestLogWriter(engine, clock=clock)
    limiter = RateLimiter(per_minute=60, burst=2, clock=clock.wall)
    with client(engine, clock, limiter=limiter, request_log=writer) as http:
        for key in (good.key, old.key, new.key, gone.key, forged):
            http.get("/v1/players/search", headers=bearer(key))
            http.post("/mcp", json=tools_call("run_sql"), headers=bearer(key))
            http.get("/v1/players/search", headers={"Authorization": key})  # no scheme
        http.get("/v1/players/search")
    writer.close()

    records = "\n".join(JsonFormatter().format(r) for r in caplog.records)
    stderr = capfd.readouterr().err
    assert "auth refused" in records  # the failures were logged ...
    assert "key_name=gone" in records  # ... with the keys' names
    for made in (good, old, new, gone):
        secret = made.key.removeprefix(f"nbamcp_{made.info.key_id}_")
        ours = "\n".join(
            JsonFormatter().format(r) for r in caplog.records if r.name.startswith("nba_mcp")
        )
        for text in (records, stderr):
            assert made.key not in text
            assert secret not in text
        assert keys.hash_key(made.key) not in ours
    assert forged not in records + stderr
