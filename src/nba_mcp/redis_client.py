"""The Redis client the result cache and the rate limits share, and a guard for outages.

:func:`connect_redis` makes the client of ``NBA_MCP_REDIS_URL`` (with short
timeouts), or None when it is unset. :class:`RedisGuard` lets a caller carry on
without Redis while it is down: a failure rests Redis for a few seconds, the
outage is logged once a minute and the recovery once. The ``redis`` package is
imported only where a client is made (it costs a worker ~18 MiB).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from nba_mcp.config import Settings

if TYPE_CHECKING:
    from redis import Redis

log = logging.getLogger(__name__)

Clock = Callable[[], float]


def connect_redis(settings: Settings) -> Redis | None:
    """The Redis client of ``settings.redis_url`` with short timeouts, or None when unset.

    Creating it does not connect: an unreachable Redis shows at the first command.
    """
    if settings.redis_url is None:
        return None
    from redis import Redis

    timeout = settings.redis_socket_timeout_seconds
    return Redis.from_url(
        settings.redis_url.get_secret_value(),
        socket_timeout=timeout,
        socket_connect_timeout=timeout,
        health_check_interval=30,
    )


class RedisGuard:
    """Steps around a Redis that is down: after a failure Redis is skipped for
    ``retry_seconds``, then tried again; the outage is logged once per
    ``log_interval`` seconds, not once per request, and the recovery once."""

    def __init__(
        self,
        redis: Redis | None,
        *,
        purpose: str,
        retry_seconds: float = 5.0,
        log_interval: float = 60.0,
        clock: Clock = time.monotonic,
    ) -> None:
        self.redis = redis
        self.purpose = purpose
        self.retry_seconds = retry_seconds
        self.log_interval = log_interval
        self.clock = clock
        #: What a failing command raises (nothing to catch without a client).
        self.errors: tuple[type[Exception], ...] = ()
        if redis is not None:
            from redis.exceptions import RedisError

            self.errors = (RedisError,)
        self._down_until: float | None = None
        self._logged_at: float | None = None
        self._lock = threading.Lock()

    def client(self) -> Redis | None:
        """The client to use now, or None while Redis is absent or resting after a failure."""
        if self.redis is None:
            return None
        down = self._down_until
        return self.redis if down is None or self.clock() >= down else None

    def failed(self, exc: Exception) -> None:
        now = self.clock()
        with self._lock:
            self._down_until = now + self.retry_seconds
            quiet = self._logged_at is not None and now - self._logged_at < self.log_interval
            if not quiet:
                self._logged_at = now
        if not quiet:
            log.error(
                "Redis is unavailable for the %s (%s: %s); carrying on without it.",
                self.purpose, type(exc).__name__, exc,
            )  # fmt: skip

    def succeeded(self) -> None:
        if self._down_until is None:
            return
        with self._lock:
            was_down, self._down_until, self._logged_at = self._down_until, None, None
        if was_down is not None:
            log.warning("Redis is back for the %s.", self.purpose)
