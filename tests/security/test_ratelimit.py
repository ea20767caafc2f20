"""Token buckets per key: in Redis shared by replicas, in-process without Redis, and in
process again while Redis is down; 429 with Retry-After through the middleware."""

from __future__ import annotations

import logging

import pytest
from prometheus_client import REGISTRY
from redis import Redis
from sqlalchemy import Engine

from nba_mcp.security.keys import create_key
from nba_mcp.security.ratelimit import Decision, RateLimiter
from tests.mcp.servers import free_port
from tests.security.apps import bearer, client
from tests.security.helpers import Clock


def taken(limiter: RateLimiter, key: str, times: int) -> list[bool]:
    return [limiter.take(key).allowed for _ in range(times)]


def test_two_replicas_share_one_bucket_through_redis(
    shared_redis: tuple[Redis, str], clock: Clock
) -> None:
    redis, prefix = shared_redis
    first = RateLimiter(per_minute=60, burst=3, redis=redis, prefix=prefix, clock=clock.wall)
    second = RateLimiter(per_minute=60, burst=3, redis=redis, prefix=prefix, clock=clock.wall)

    assert taken(first, "app", 2) + taken(second, "app", 1) == [True, True, True]
    refused = second.take("app")
    assert (refused.allowed, refused.retry_after, refused.retry_after_header) == (False, 1.0, "1")
    assert not first.take("app").allowed
    assert second.take("other").allowed  # buckets are per key
    clock.advance(seconds=1)
    assert taken(first, "app", 2) == [True, False]  # one token back per second


def test_redis_buckets_expire_once_full_again(
    shared_redis: tuple[Redis, str], clock: Clock
) -> None:
    redis, prefix = shared_redis
    limiter = RateLimiter(per_minute=60, burst=5, redis=redis, prefix=prefix, clock=clock.wall)

    limiter.take("app")

    ttl = redis.pttl(f"{prefix}:app")
    assert isinstance(ttl, int) and 0 < ttl <= 2_000


def test_without_redis_the_bucket_is_in_process(clock: Clock) -> None:
    limiter = RateLimiter(per_minute=30, burst=2, clock=clock.wall)

    assert taken(limiter, "app", 3) == [True, True, False]
    assert limiter.take("app").retry_after == pytest.approx(2.0)
    clock.advance(seconds=2)
    assert taken(limiter, "app", 2) == [True, False]


def test_redis_down_falls_back_to_the_process_and_logs_once(
    clock: Clock, caplog: pytest.LogCaptureFixture
) -> None:
    dead = Redis.from_url(f"redis://127.0.0.1:{free_port()}/0", socket_connect_timeout=0.2)
    limiter = RateLimiter(per_minute=60, burst=2, redis=dead, clock=clock.wall,
                          monotonic=clock.monotonic)  # fmt: skip
    try:
        with caplog.at_level(logging.ERROR):
            results = taken(limiter, "app", 3)
            clock.advance(seconds=10)  # past the pause: Redis is tried again, still down
            limiter.take("other")
    finally:
        dead.close()

    assert results == [True, True, False]
    outages = [r for r in caplog.records if "Redis is unavailable for the rate limits" in r.message]
    assert len(outages) == 1


def test_retry_after_is_whole_seconds_rounded_up() -> None:
    assert Decision(allowed=False, retry_after=0.2).retry_after_header == "1"
    assert Decision(allowed=False, retry_after=1.01).retry_after_header == "2"


def test_zero_per_minute_limits_nothing(clock: Clock) -> None:
    limiter = RateLimiter(per_minute=0, burst=1, clock=clock.wall)

    assert all(taken(limiter, "app", 50))


def test_over_the_limit_the_api_answers_429_with_retry_after(
    engine: Engine, clock: Clock, shared_redis: tuple[Redis, str]
) -> None:
    redis, prefix = shared_redis
    new = create_key(engine, name="busy", scopes="read", now=clock.now)
    limiter = RateLimiter(per_minute=6, burst=2, redis=redis, prefix=prefix, clock=clock.wall)
    before = REGISTRY.get_sample_value("nba_mcp_rate_limited_total") or 0.0
    with client(engine, clock, limiter=limiter) as http:
        statuses = [http.get("/v1/players/search", headers=bearer(new.key)) for _ in range(3)]

    assert [r.status_code for r in statuses] == [200, 200, 429]
    refused = statuses[-1]
    assert refused.headers["retry-after"] == "10"
    assert refused.headers["content-type"] == "application/problem+json"
    assert refused.json()["status"] == 429
    assert REGISTRY.get_sample_value("nba_mcp_rate_limited_total") == before + 1
