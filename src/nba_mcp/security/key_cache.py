"""A short-lived, in-process memory of verified keys, so that a busy key does not cost a
database read on every request.

Only successes are remembered, by the key's SHA-256 (never the key), for
``auth_cache_seconds``: a revoked or expired key stops working within that time on
every replica. Whether any key exists at all (open development mode) is remembered
the same way.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Generic, TypeVar

from nba_mcp.security.keys import hash_key

T = TypeVar("T")
MAX_ENTRIES = 10_000


class AuthCache(Generic[T]):
    def __init__(self, ttl_seconds: float, *, monotonic: Callable[[], float] = time.monotonic):
        self.ttl_seconds = ttl_seconds
        self.monotonic = monotonic
        self._entries: dict[str, tuple[float, T]] = {}
        self._any_key: tuple[float, bool] | None = None
        self._lock = threading.Lock()

    def get(self, token: str) -> T | None:
        if self.ttl_seconds <= 0:
            return None
        found = self._entries.get(hash_key(token))
        if found is None or found[0] < self.monotonic():
            return None
        return found[1]

    def put(self, token: str, value: T) -> None:
        if self.ttl_seconds <= 0:
            return
        with self._lock:
            if len(self._entries) >= MAX_ENTRIES:
                now = self.monotonic()
                self._entries = {k: v for k, v in self._entries.items() if v[0] >= now}
                if len(self._entries) >= MAX_ENTRIES:
                    self._entries.clear()
            self._entries[hash_key(token)] = (self.monotonic() + self.ttl_seconds, value)

    def any_key(self, compute: Callable[[], bool]) -> bool:
        """Whether an active key exists, asking ``compute`` at most once per TTL."""
        remembered = self._any_key
        if remembered is not None and remembered[0] >= self.monotonic():
            return remembered[1]
        answer = compute()
        if self.ttl_seconds > 0:
            self._any_key = (self.monotonic() + self.ttl_seconds, answer)
        return answer

    def known_any_key(self) -> bool | None:
        """What :meth:`any_key` would answer without asking, or None if it would ask."""
        remembered = self._any_key
        if remembered is not None and remembered[0] >= self.monotonic():
            return remembered[1]
        return None

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self._any_key = None
