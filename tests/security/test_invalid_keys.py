"""Guessing keys costs the database nothing: invalid keys are throttled per client address,
before any lookup, in Redis (shared by replicas) or in process."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from redis import Redis
from sqlalchemy import Engine, event

from nba_mcp.security.keys import create_key
from nba_mcp.security.ratelimit import RateLimiter
from tests.security.apps import bearer, client
from tests.security.helpers import Clock

GUESS = "nbamcp_0123456789ab_" + "x" * 43


@pytest.fixture
def key_lookups(engine: Engine) -> Iterator[list[str]]:
    """The statements that read ``api_keys``, as the middleware runs them."""
    seen: list[str] = []

    def count(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        if "api_keys" in statement and statement.lstrip().upper().startswith("SELECT"):
            seen.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    yield seen
    event.remove(engine, "before_cursor_execute", count)


def test_300_guesses_cost_at_most_the_burst_in_lookups(
    engine: Engine, clock: Clock, key_lookups: list[str]
) -> None:
    create_key(engine, name="app", scopes="read", now=clock.now)
    throttle = RateLimiter(per_minute=10, burst=10, clock=clock.wall)
    with client(engine, clock, invalid_keys=throttle) as http:
        key_lookups.clear()
        statuses = [
            http.get("/v1/players/search", headers=bearer(GUESS + str(i))).status_code
            for i in range(300)
        ]
        refused = http.get("/v1/players/search", headers=bearer(GUESS))

    assert statuses[:10] == [401] * 10
    assert statuses[10:] == [429] * 290
    assert len(key_lookups) <= 10
    assert refused.status_code == 429
    assert refused.headers["retry-after"] == "6"
    assert "Too many invalid API keys" in refused.json()["detail"]


def test_a_good_key_is_not_spent_and_the_address_recovers(engine: Engine, clock: Clock) -> None:
    good = create_key(engine, name="app", scopes="read", now=clock.now)
    throttle = RateLimiter(per_minute=60, burst=2, clock=clock.wall)
    with client(engine, clock, invalid_keys=throttle) as http:
        # Good keys take nothing from the address's budget.
        assert [
            http.get("/v1/players/search", headers=bearer(good.key)).status_code for _ in range(5)
        ] == [200] * 5
        assert [
            http.get("/v1/players/search", headers=bearer(GUESS)).status_code for _ in range(3)
        ] == [401, 401, 429]
        clock.advance(seconds=1)
        assert http.get("/v1/players/search", headers=bearer(good.key)).status_code == 200


def test_replicas_share_the_throttle_through_redis(
    engine: Engine, clock: Clock, shared_redis: tuple[Redis, str]
) -> None:
    redis, prefix = shared_redis
    replicas = [
        RateLimiter(per_minute=10, burst=4, redis=redis, prefix=prefix, clock=clock.wall)
        for _ in range(2)
    ]
    statuses = []
    for i in range(6):
        with client(engine, clock, invalid_keys=replicas[i % 2]) as http:
            statuses.append(http.get("/v1/players/search", headers=bearer(GUESS)).status_code)

    assert statuses == [401] * 4 + [429] * 2
