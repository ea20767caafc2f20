"""The result cache of tool calls: shared in Redis, or in-process when there is no Redis.

A result is cached under the tool's name, the canonical JSON of its arguments,
the database it came from and the data version every load increases
(:mod:`nba_mcp.db.version`): a reload is never answered from the cache. Values are the JSON of the pydantic result. When Redis is
down the cache steps aside (computes, counts ``error``, logs once a minute)
and tries Redis again a few seconds later: no restart is needed.
"""

from __future__ import annotations

import hashlib
import json
import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, Final, Self, TypeVar

from pydantic import BaseModel, ValidationError
from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError

from nba_mcp.config import Settings
from nba_mcp.db.version import DataVersion
from nba_mcp.observability.metrics import CACHE_REQUESTS

if TYPE_CHECKING:  # redis costs a worker ~18 MiB: imported only where a client exists
    from redis import Redis

log = logging.getLogger(__name__)

M = TypeVar("M", bound=BaseModel)
Clock = Callable[[], float]
NAMESPACE: Final = "nba_mcp:cache:v1"


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


class ResultCache:
    """Tool results by tool, arguments and data version; see the module's docstring."""

    def __init__(
        self,
        *,
        engine: Engine,
        redis: Redis | None = None,
        ttl_seconds: int = 300,
        max_entries: int = 2048,
        namespace: str = NAMESPACE,
        clock: Clock = time.monotonic,
        retry_seconds: float = 5.0,
        watch: bool = True,
    ) -> None:
        self.engine = engine
        self.versions = DataVersion(engine, watch=watch)
        self.ttl_seconds = ttl_seconds
        self.max_entries = max_entries
        self.clock = clock
        self.guard = RedisGuard(
            redis, purpose="result cache", retry_seconds=retry_seconds, clock=clock
        )
        database = engine.url.render_as_string(hide_password=True)
        self.prefix = f"{namespace}:{hashlib.sha256(database.encode()).hexdigest()[:12]}"
        self._local: OrderedDict[str, tuple[float, str]] = OrderedDict()
        self._lock = threading.Lock()

    @classmethod
    def from_settings(cls, settings: Settings, *, engine: Engine, redis: Redis | None) -> Self:
        return cls(
            engine=engine,
            redis=redis,
            ttl_seconds=settings.cache_ttl_seconds,
            max_entries=settings.cache_max_entries,
            watch=settings.cache_watch,
        )

    @property
    def shared(self) -> bool:
        """Whether results are shared through Redis (else kept in this process)."""
        return self.guard.redis is not None

    def key(self, tool_name: str, arguments: Mapping[str, Any], version: int) -> str:
        canonical = json.dumps(arguments, sort_keys=True, separators=(",", ":"), default=str)
        digest = hashlib.sha256(canonical.encode()).hexdigest()
        return f"{self.prefix}:{tool_name}:{version}:{digest}"

    def cached(
        self,
        tool_name: str,
        arguments: Mapping[str, Any],
        compute: Callable[[], M],
        model_type: type[M],
    ) -> M:
        """The result of ``compute()`` for this call, from the cache when it holds it.

        Errors of ``compute`` propagate and are never cached.
        """
        if self.ttl_seconds <= 0:
            return compute()
        try:
            version = self.versions.current()
        except SQLAlchemyError:
            return compute()  # the database is down: compute() says so in its own words
        key = self.key(tool_name, arguments, version)
        found, usable = self._get(key)
        if found is not None:
            try:
                result = model_type.model_validate_json(found)
            except ValidationError:  # written by another version of the model
                CACHE_REQUESTS.labels(result="error").inc()
            else:
                CACHE_REQUESTS.labels(result="hit").inc()
                return result
        elif usable:
            CACHE_REQUESTS.labels(result="miss").inc()
        result = compute()
        if usable:
            self._set(key, result.model_dump_json())
        return result

    def close(self) -> None:
        """Release the data-version watch (the Redis client belongs to the caller)."""
        self.versions.close()

    def clear_local(self) -> None:
        with self._lock:
            self._local.clear()

    def _get(self, key: str) -> tuple[str | None, bool]:
        """(value or None, whether the cache could be asked)."""
        if self.guard.redis is None:
            return self._local_get(key), True
        client = self.guard.client()
        if client is None:
            CACHE_REQUESTS.labels(result="error").inc()
            return None, False
        try:
            value = client.get(key)
        except self.guard.errors as exc:
            self.guard.failed(exc)
            CACHE_REQUESTS.labels(result="error").inc()
            return None, False
        self.guard.succeeded()
        return (value.decode() if isinstance(value, bytes) else value), True

    def _set(self, key: str, value: str) -> None:
        if self.guard.redis is None:
            self._local_set(key, value)
            return
        client = self.guard.client()
        if client is None:
            return
        try:
            client.set(key, value, ex=self.ttl_seconds)
        except self.guard.errors as exc:
            self.guard.failed(exc)

    def _local_get(self, key: str) -> str | None:
        now = self.clock()
        with self._lock:
            entry = self._local.get(key)
            if entry is None:
                return None
            if entry[0] <= now:
                del self._local[key]
                return None
            self._local.move_to_end(key)
            return entry[1]

    def _local_set(self, key: str, value: str) -> None:
        with self._lock:
            self._local[key] = (self.clock() + self.ttl_seconds, value)
            self._local.move_to_end(key)
            while len(self._local) > self.max_entries:
                self._local.popitem(last=False)
