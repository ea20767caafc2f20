"""Values built from whole tables, kept in process per database and data version.

Some answers start from a whole table: a season's advanced metrics need every
team's and player's totals, and finding a player by name compares it with every
name. Such a value is built once per database, data version and key, by one
thread while concurrent callers wait for it (sixteen first requests for a season
compute it once, not sixteen times), and the 64 most recently used are kept.
Every load that changes data increases the data version, so a value built
before a load is never used after it.

The version is read once per connection (one tool call), so the values one call
combines all belong to the same version; a server that watches it passes it in
(:func:`known_version`) and spends no query.
"""

from __future__ import annotations

import threading
import weakref
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, Final, TypeVar

from sqlalchemy import Connection, Engine

from nba_mcp.db.nowait import refuse_wait
from nba_mcp.db.version import data_version

T = TypeVar("T")

MAX_VALUES: Final = 64

_values: OrderedDict[tuple[Hashable, ...], Any] = OrderedDict()
_building: dict[tuple[Hashable, ...], threading.Lock] = {}
_lock = threading.Lock()
_versions: weakref.WeakKeyDictionary[Connection, int] = weakref.WeakKeyDictionary()


def known_version(conn: Connection, version: int) -> None:
    """Tell the memo the data version ``conn`` reads at, so that it does not query it
    (a server knows it from :class:`nba_mcp.db.version.DataVersion`)."""
    _versions[conn] = version


def version_of(conn: Connection) -> int:
    """The data version, read once per connection unless it is known."""
    version = _versions.get(conn)
    if version is None:
        version = _versions[conn] = data_version(conn)
    return version


def memoized(conn: Connection, kind: str, key: tuple[Hashable, ...], build: Callable[[], T]) -> T:
    """The value of ``kind`` and ``key`` for ``conn``'s database at its data version.

    Inside :func:`nba_mcp.db.nowait.memory_only` a value not yet built is not built:
    building it queries the database.
    """
    full_key = (kind, _database(conn.engine), version_of(conn), *key)
    with _lock:
        if full_key in _values:
            _values.move_to_end(full_key)
            found: T = _values[full_key]
            return found
        refuse_wait(f"building {kind}")
        building = _building.setdefault(full_key, threading.Lock())
    with building:
        with _lock:
            if full_key in _values:
                found = _values[full_key]
                return found
        value = build()
        with _lock:
            _values[full_key] = value
            _building.pop(full_key, None)
            while len(_values) > MAX_VALUES:
                _values.popitem(last=False)
    return value


def _database(engine: Engine) -> str:
    """The engine's URL as a key (rendering it costs more than the lookup it keys)."""
    name = _databases.get(engine)
    if name is None:
        name = _databases[engine] = engine.url.render_as_string()
    return name


_databases: weakref.WeakKeyDictionary[Engine, str] = weakref.WeakKeyDictionary()


def clear() -> None:
    """Forget every value (benchmarks time the cold path with it)."""
    with _lock:
        _values.clear()
