"""The short-lived memory of verified keys: fewer database reads, bounded staleness."""

from __future__ import annotations

from sqlalchemy import Engine

from nba_mcp.security.key_cache import AuthCache
from nba_mcp.security.keys import create_key, revoke_key
from tests.security.apps import bearer, client
from tests.security.helpers import Clock


class Ticks:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_a_remembered_key_expires_after_the_ttl() -> None:
    ticks = Ticks()
    cache: AuthCache[str] = AuthCache(5.0, monotonic=ticks)
    cache.put("nbamcp_abc_secret", "admitted")
    assert cache.get("nbamcp_abc_secret") == "admitted"
    ticks.now += 5.1
    assert cache.get("nbamcp_abc_secret") is None


def test_the_cache_keeps_no_key_itself() -> None:
    cache: AuthCache[str] = AuthCache(5.0)
    cache.put("nbamcp_abc_secret", "admitted")
    assert "nbamcp_abc_secret" not in repr(cache._entries)


def test_a_zero_ttl_remembers_nothing() -> None:
    cache: AuthCache[str] = AuthCache(0)
    cache.put("k", "admitted")
    assert cache.get("k") is None
    calls = []
    assert cache.any_key(lambda: calls.append(1) or True) is True
    assert cache.any_key(lambda: calls.append(1) or True) is True
    assert len(calls) == 2


def test_a_revoked_key_works_only_until_the_memory_of_it_expires(
    engine: Engine, clock: Clock
) -> None:
    key = create_key(engine, name="busy", scopes="read", now=clock.now).key
    with client(engine, clock, auth_cache_seconds=60) as http:
        assert http.get("/v1/players/search", headers=bearer(key)).status_code == 200
        revoke_key(engine, name_or_id="busy", now=clock.now)
        # Within auth_cache_seconds the verified key is still trusted...
        assert http.get("/v1/players/search", headers=bearer(key)).status_code == 200
        middleware = http.app.middleware_stack  # type: ignore[attr-defined]
        while not hasattr(middleware, "verified"):
            middleware = middleware.app
        middleware.verified.clear()  # ...and once that time is over, it is refused.
        assert http.get("/v1/players/search", headers=bearer(key)).status_code == 401
