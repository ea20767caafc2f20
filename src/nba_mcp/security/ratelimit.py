"""Per-key rate limits: a token bucket in Redis shared by every replica, or in-process.

Each key has a bucket of ``burst`` tokens refilled at ``per_minute / 60`` per
second; a request takes one token or is refused with the seconds until one is
back. In Redis the bucket is a hash updated atomically by one Lua script and
expires once it would be full again. When Redis is down the limiter falls back
to a bucket in this process (so each replica limits on its own meanwhile) and
goes back to Redis by itself when it answers again.
"""

from __future__ import annotations

import hashlib
import math
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Final

from sqlalchemy.engine import make_url

from nba_mcp.config import Settings
from nba_mcp.redis_client import RedisGuard

if TYPE_CHECKING:
    from redis import Redis

PREFIX: Final = "nba_mcp:ratelimit"
#: Buckets the in-process limiter keeps at most (least recently used dropped).
MAX_LOCAL_BUCKETS: Final = 10_000

# KEYS[1] the bucket; ARGV: refill per second, burst, now (seconds, float), cost (1 takes
# a token, 0 only looks). Returns {allowed (0/1), seconds until a token is back, tokens
# left}, as strings because Redis truncates Lua numbers to integers.
TOKEN_BUCKET: Final = """
local rate = tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
local now = tonumber(ARGV[3])
local cost = tonumber(ARGV[4])
local state = redis.call('HMGET', KEYS[1], 'tokens', 'ts')
local tokens = tonumber(state[1])
local ts = tonumber(state[2])
if tokens == nil or ts == nil then
  tokens = burst
  ts = now
end
tokens = math.min(burst, tokens + math.max(0, now - ts) * rate)
local allowed = 0
local wait = 0
if tokens >= 1 then
  tokens = tokens - cost
  allowed = 1
else
  wait = (1 - tokens) / rate
end
if cost == 0 then
  return {tostring(allowed), tostring(wait), tostring(tokens)}
end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'ts', tostring(math.max(now, ts)))
redis.call('PEXPIRE', KEYS[1], math.ceil((burst - tokens) / rate * 1000) + 1000)
return {tostring(allowed), tostring(wait), tostring(tokens)}
"""


@dataclass(frozen=True)
class Decision:
    allowed: bool
    retry_after: float = 0.0
    remaining: float = 0.0

    @property
    def retry_after_header(self) -> str:
        """``Retry-After`` in whole seconds, rounded up, at least 1."""
        return str(max(1, math.ceil(self.retry_after)))


class RateLimiter:
    """Token buckets per key; see the module's docstring. ``per_minute=0`` limits nothing."""

    def __init__(
        self,
        *,
        per_minute: int,
        burst: int,
        redis: Redis | None = None,
        prefix: str = PREFIX,
        clock: Callable[[], float] = time.time,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self.rate = per_minute / 60.0
        self.burst = burst
        self.prefix = prefix
        self.clock = clock
        self.guard = RedisGuard(redis, purpose="rate limits", clock=monotonic)
        self._script = redis.register_script(TOKEN_BUCKET) if redis is not None else None
        self._local: OrderedDict[str, tuple[float, float]] = OrderedDict()
        self._lock = threading.Lock()

    @property
    def shared(self) -> bool:
        """Whether the buckets live in Redis (shared by replicas), so taking a token is I/O."""
        return self._script is not None

    @classmethod
    def from_settings(cls, settings: Settings, *, redis: Redis | None) -> RateLimiter:
        """A limiter whose Redis buckets belong to this deployment's database: two
        deployments sharing one Redis never share a key name's bucket."""
        database = make_url(settings.resolved_database_url()).render_as_string(hide_password=True)
        return cls(
            per_minute=settings.rate_limit_per_minute,
            burst=settings.rate_limit_burst,
            redis=redis,
            prefix=f"{PREFIX}:{hashlib.sha256(database.encode()).hexdigest()[:12]}",
        )

    @classmethod
    def for_invalid_keys(cls, settings: Settings, *, redis: Redis | None) -> RateLimiter:
        """Buckets per client address for requests with an unknown, expired or revoked key:
        once one is empty, the address gets 429 without a key lookup."""
        database = make_url(settings.resolved_database_url()).render_as_string(hide_password=True)
        return cls(
            per_minute=settings.auth_failures_per_minute,
            burst=settings.auth_failure_burst,
            redis=redis,
            prefix=f"{PREFIX}:authfail:{hashlib.sha256(database.encode()).hexdigest()[:12]}",
        )

    @property
    def enabled(self) -> bool:
        return self.rate > 0

    def take(self, key: str) -> Decision:
        """Take one token from ``key``'s bucket (blocking I/O: call it off the event loop)."""
        return self._bucket(key, cost=1)

    def peek(self, key: str) -> Decision:
        """Whether ``key``'s bucket has a token, without taking it."""
        return self._bucket(key, cost=0)

    def _bucket(self, key: str, *, cost: int) -> Decision:
        if not self.enabled:
            return Decision(allowed=True, remaining=float(self.burst))
        now = self.clock()
        client = self.guard.client()
        if client is not None and self._script is not None:
            try:
                allowed, wait, left = self._script(
                    keys=[f"{self.prefix}:{key}"],
                    args=[repr(self.rate), self.burst, repr(now), cost],
                    client=client,
                )
            except self.guard.errors as exc:
                self.guard.failed(exc)
            else:
                self.guard.succeeded()
                return Decision(allowed=_int(allowed) == 1, retry_after=_float(wait),
                                remaining=_float(left))  # fmt: skip
        return self._take_local(key, now, cost)

    def _take_local(self, key: str, now: float, cost: int) -> Decision:
        with self._lock:
            tokens, ts = self._local.pop(key, (float(self.burst), now))
            tokens = min(float(self.burst), tokens + max(0.0, now - ts) * self.rate)
            if tokens >= 1:
                decision = Decision(allowed=True, remaining=tokens - cost)
                tokens -= cost
            else:
                decision = Decision(allowed=False, retry_after=(1 - tokens) / self.rate)
            self._local[key] = (tokens, max(now, ts))
            while len(self._local) > MAX_LOCAL_BUCKETS:
                self._local.popitem(last=False)
        return decision


def _float(value: object) -> float:
    return float(value.decode() if isinstance(value, bytes) else str(value))


def _int(value: object) -> int:
    return int(_float(value))
