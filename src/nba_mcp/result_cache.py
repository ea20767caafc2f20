"""The result cache of tool calls: shared in Redis, or in-process when there is no Redis.

A result is cached under the tool's name, the canonical JSON of its arguments,
the database it came from and the data version every load increases
(:mod:`nba_mcp.db.version`): a reload is never answered from the cache. Values
are the JSON of the pydantic result. When Redis is down the cache steps aside
(computes, counts ``error``) and, through :class:`~nba_mcp.redis_client.RedisGuard`,
logs the outage once a minute and tries Redis again a few seconds later: no
restart is needed.

In front of it, :class:`WireCache` keeps the finished response bodies of this process
(a REST answer's JSON, an MCP ``tools/call`` result's JSON) under what the client sent:
a repeated request is answered on the event loop, with no thread, no validation, no
model and no encoding. It only answers while the data-version watch can vouch for the
version without a query (:meth:`nba_mcp.db.version.DataVersion.fresh`).
"""

from __future__ import annotations

import hashlib
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
from nba_mcp.jsonbody import canonical_json
from nba_mcp.observability.metrics import CACHE_REQUESTS
from nba_mcp.redis_client import RedisGuard

if TYPE_CHECKING:  # redis costs a worker ~18 MiB: imported only where a client exists
    from redis import Redis

M = TypeVar("M", bound=BaseModel)
Clock = Callable[[], float]
NAMESPACE: Final = "nba_mcp:cache:v2"  # v2: answers of the tool catalogue


class ResultCache:
    """Tool results by tool, arguments and data version; see the module's docstring."""

    def __init__(
        self,
        *,
        engine: Engine,
        redis: Redis | None = None,
        ttl_seconds: int = 300,
        max_entries: int = 2048,
        wire_max_bytes: int = 64 * 2**20,
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
        self.wire = WireCache(
            self.versions, ttl_seconds=ttl_seconds, max_entries=max_entries,
            max_bytes=wire_max_bytes, clock=clock,
        )  # fmt: skip

    @classmethod
    def from_settings(cls, settings: Settings, *, engine: Engine, redis: Redis | None) -> Self:
        return cls(
            engine=engine,
            redis=redis,
            ttl_seconds=settings.cache_ttl_seconds,
            max_entries=settings.cache_max_entries,
            wire_max_bytes=settings.cache_wire_max_bytes,
            watch=settings.cache_watch,
        )

    @property
    def shared(self) -> bool:
        """Whether results are shared through Redis (else kept in this process)."""
        return self.guard.redis is not None

    def key(self, tool_name: str, arguments: Mapping[str, Any], version: int) -> str:
        digest = hashlib.sha256(canonical_json(arguments).encode()).hexdigest()
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
        key = self._key_now(tool_name, arguments)
        if key is None:  # caching is off, or the database is down: compute() says so
            return compute()
        found, usable = self._read(key, model_type)
        if found is not None:
            return found
        result = compute()
        if usable:
            self._set(key, result.model_dump_json())
        return result

    def lookup(self, name: str, arguments: Mapping[str, Any], model_type: type[M]) -> M | None:
        """The value kept for ``name`` and ``arguments`` at the current data version, if any
        (for callers that cannot pass ``compute``, such as async model calls)."""
        key = self._key_now(name, arguments)
        return None if key is None else self._read(key, model_type)[0]

    def store(self, name: str, arguments: Mapping[str, Any], value: BaseModel) -> None:
        """Keep ``value`` for ``name`` and ``arguments`` at the current data version."""
        key = self._key_now(name, arguments)
        if key is not None:
            self._set(key, value.model_dump_json())

    def _read(self, key: str, model_type: type[M]) -> tuple[M | None, bool]:
        """(the value under ``key`` or None, whether the cache could be asked), counted."""
        found, usable = self._get(key)
        if found is None:
            if usable:
                CACHE_REQUESTS.labels(result="miss").inc()
            return None, usable
        try:
            value = model_type.model_validate_json(found)
        except ValidationError:  # written by another version of the model
            CACHE_REQUESTS.labels(result="error").inc()
            return None, usable
        CACHE_REQUESTS.labels(result="hit").inc()
        return value, usable

    def _key_now(self, name: str, arguments: Mapping[str, Any]) -> str | None:
        if self.ttl_seconds <= 0:
            return None
        try:
            return self.key(name, arguments, self.versions.current())
        except SQLAlchemyError:
            return None

    def close(self) -> None:
        """Release the data-version watch (the Redis client belongs to the caller)."""
        self.versions.close()

    def clear_local(self) -> None:
        with self._lock:
            self._local.clear()
        self.wire.clear()

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


class WireCache:
    """Finished response bodies of this process by request and data version.

    ``get`` runs on the event loop: it never queries, never waits on I/O and never
    raises; it answers None whenever it cannot vouch for the body (caching off, the
    data-version watch not up or told of a commit, the entry expired or absent).
    ``put`` runs where the body was made, with the version :meth:`version` gave before
    the answer was computed, so that a load during the computation is never hidden.
    Bodies are bounded: ``max_entries`` of them and ``max_bytes`` in all, least recently
    used first out; a body over a sixteenth of ``max_bytes`` is not kept.
    """

    def __init__(
        self,
        versions: DataVersion,
        *,
        ttl_seconds: int,
        max_entries: int,
        max_bytes: int,
        clock: Clock = time.monotonic,
    ) -> None:
        self.versions = versions
        self.ttl_seconds = ttl_seconds
        self.max_entries = max_entries
        self.max_bytes = max_bytes
        self.clock = clock
        self._bodies: OrderedDict[tuple[str, int], tuple[float, bytes]] = OrderedDict()
        self._size = 0
        self._lock = threading.Lock()

    def version(self) -> int | None:
        """The data version to keep a body under, if the cache is on and can tell it."""
        return self.versions.fresh() if self.ttl_seconds > 0 else None

    def get(self, key: str) -> bytes | None:
        version = self.version()
        if version is None:
            return None
        now = self.clock()
        with self._lock:
            entry = self._bodies.get((key, version))
            if entry is None:
                return None
            if entry[0] <= now:
                self._drop((key, version))
                return None
            self._bodies.move_to_end((key, version))
        CACHE_REQUESTS.labels(result="hit").inc()
        return entry[1]

    def put(self, key: str, version: int | None, body: bytes) -> None:
        if version is None or len(body) > self.max_bytes // 16:
            return
        with self._lock:
            self._drop((key, version))
            self._bodies[(key, version)] = (self.clock() + self.ttl_seconds, body)
            self._size += len(body)
            while self._bodies and (
                len(self._bodies) > self.max_entries or self._size > self.max_bytes
            ):
                self._drop(next(iter(self._bodies)))

    def clear(self) -> None:
        with self._lock:
            self._bodies.clear()
            self._size = 0

    def _drop(self, key: tuple[str, int]) -> None:
        entry = self._bodies.pop(key, None)
        if entry is not None:
            self._size -= len(entry[1])
