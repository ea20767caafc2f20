"""The result cache: hits and misses, keys from tool + arguments + data version, TTL and
LRU in process, shared through Redis, and carrying on while Redis is down."""

from __future__ import annotations

import logging

import pytest
from prometheus_client import REGISTRY
from pydantic import BaseModel
from redis import Redis
from sqlalchemy import Engine

from nba_mcp.ingest.load import bump_version
from nba_mcp.result_cache import ResultCache
from tests.conftest import wait_for_version
from tests.security.helpers import Clock, RedisServer


class Answer(BaseModel):
    value: int
    label: str = ""


class Counter:
    """A compute function that counts its calls."""

    def __init__(self) -> None:
        self.calls = 0

    def __call__(self) -> Answer:
        self.calls += 1
        return Answer(value=self.calls, label="computed")


def counted(result: str) -> float:
    return REGISTRY.get_sample_value("nba_mcp_cache_requests_total", {"result": result}) or 0.0


def bump(engine: Engine) -> int:
    with engine.begin() as conn:
        return bump_version(conn, changed=True)


def test_the_second_call_is_a_hit_and_both_are_counted(engine: Engine) -> None:
    cache, compute = ResultCache(engine=engine), Counter()
    hits, misses = counted("hit"), counted("miss")

    first = cache.cached("standings", {"season": "2015-16"}, compute, Answer)
    second = cache.cached("standings", {"season": "2015-16"}, compute, Answer)

    assert first == second == Answer(value=1, label="computed")
    assert compute.calls == 1
    assert (counted("hit"), counted("miss")) == (hits + 1, misses + 1)


def test_keys_follow_the_tool_and_arguments_not_their_order(engine: Engine) -> None:
    cache, compute = ResultCache(engine=engine), Counter()

    cache.cached("t", {"a": 1, "b": 2}, compute, Answer)
    cache.cached("t", {"b": 2, "a": 1}, compute, Answer)
    cache.cached("t", {"a": 1, "b": 3}, compute, Answer)
    cache.cached("other", {"a": 1, "b": 2}, compute, Answer)

    assert compute.calls == 3


def test_a_load_that_bumps_the_data_version_is_never_answered_from_the_cache(
    engine: Engine,
) -> None:
    cache, compute = ResultCache(engine=engine), Counter()
    cache.cached("standings", {}, compute, Answer)

    wait_for_version(cache.versions, bump(engine))

    assert cache.cached("standings", {}, compute, Answer).value == 2
    assert cache.cached("standings", {}, compute, Answer).value == 2


def test_in_process_entries_expire_and_the_oldest_go_first(engine: Engine, clock: Clock) -> None:
    cache = ResultCache(engine=engine, ttl_seconds=60, max_entries=2, clock=clock.monotonic)
    compute = Counter()
    for n in (1, 2, 3):  # the third pushes the first out
        cache.cached("t", {"n": n}, compute, Answer)
    cache.cached("t", {"n": 1}, compute, Answer)
    assert compute.calls == 4

    clock.advance(seconds=61)

    cache.cached("t", {"n": 1}, compute, Answer)
    assert compute.calls == 5


def test_ttl_zero_caches_nothing(engine: Engine) -> None:
    cache, compute = ResultCache(engine=engine, ttl_seconds=0), Counter()

    cache.cached("t", {}, compute, Answer)
    cache.cached("t", {}, compute, Answer)

    assert compute.calls == 2


def test_errors_are_not_cached(engine: Engine) -> None:
    cache = ResultCache(engine=engine)

    def fail() -> Answer:
        raise ValueError("boom")

    with pytest.raises(ValueError, match="boom"):
        cache.cached("t", {}, fail, Answer)
    assert cache.cached("t", {}, Counter(), Answer).value == 1


def test_replicas_share_results_through_redis(
    engine: Engine, shared_redis: tuple[Redis, str]
) -> None:
    redis, prefix = shared_redis
    first = ResultCache(engine=engine, redis=redis, namespace=prefix, ttl_seconds=120)
    second = ResultCache(engine=engine, redis=redis, namespace=prefix, ttl_seconds=120)
    compute = Counter()

    first.cached("standings", {"season": "2015-16"}, compute, Answer)
    shared = second.cached("standings", {"season": "2015-16"}, compute, Answer)

    assert (compute.calls, shared.value) == (1, 1)
    (key,) = redis.scan_iter(match=f"{prefix}*")
    assert Answer.model_validate_json(redis.get(key) or b"") == shared  # JSON of the model
    assert 0 < redis.ttl(key) <= 120


def test_a_value_that_no_longer_fits_the_model_is_recomputed(
    engine: Engine, shared_redis: tuple[Redis, str]
) -> None:
    redis, prefix = shared_redis
    cache, compute = ResultCache(engine=engine, redis=redis, namespace=prefix), Counter()
    cache.cached("t", {}, compute, Answer)
    (key,) = redis.scan_iter(match=f"{prefix}*")
    redis.set(key, '{"old": "shape"}')
    errors = counted("error")

    assert cache.cached("t", {}, compute, Answer).value == 2
    assert counted("error") == errors + 1


def test_redis_stopped_then_started_is_bypassed_then_used_again_without_restart(
    engine: Engine, clock: Clock, redis_server: RedisServer, caplog: pytest.LogCaptureFixture
) -> None:
    client = Redis.from_url(redis_server.url, socket_timeout=0.5, socket_connect_timeout=0.5)
    cache = ResultCache(engine=engine, redis=client, clock=clock.monotonic, retry_seconds=5)
    compute = Counter()
    try:
        cache.cached("t", {}, compute, Answer)
        assert cache.cached("t", {}, compute, Answer).value == 1  # a hit

        redis_server.stop()
        errors = counted("error")
        with caplog.at_level(logging.ERROR, logger="nba_mcp.redis_client"):
            down = [cache.cached("t", {}, compute, Answer).value for _ in range(3)]
            clock.advance(seconds=6)  # tried again, still down: no second error line
            down.append(cache.cached("t", {}, compute, Answer).value)
        assert down == [2, 3, 4, 5]  # computed every time, never failed
        assert counted("error") == errors + 4
        assert len([r for r in caplog.records if "Redis is unavailable" in r.message]) == 1

        redis_server.start()
        assert cache.cached("t", {}, compute, Answer).value == 6  # still resting: bypassed
        clock.advance(seconds=6)
        assert cache.cached("t", {}, compute, Answer).value == 7  # Redis again: a miss
        assert cache.cached("t", {}, compute, Answer).value == 7  # and now a hit
        assert "Redis is back for the result cache." in caplog.text
    finally:
        client.close()
