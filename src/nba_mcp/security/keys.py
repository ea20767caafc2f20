"""API keys: create, list, revoke, rotate and authenticate.

A key reads ``nbamcp_<key_id>_<secret>``: ``key_id`` is 12 public hex digits
that find the row, ``secret`` 32 random bytes (``secrets.token_urlsafe``). The
database keeps only the SHA-256 of the whole key, compared in constant time;
the key itself is shown once, when it is made. A plain hash suffices for 256
random bits (nothing to brute-force, so no bcrypt); see docs/security.md.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import re
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Final, Literal

from pydantic import BaseModel, Field
from sqlalchemy import Connection, Engine, Row, insert, or_, select, update
from sqlalchemy.exc import IntegrityError, OperationalError

from nba_mcp.db.errors import database_unavailable
from nba_mcp.db.models import ApiKey, table_of
from nba_mcp.errors import InvalidInput, NotFound
from nba_mcp.scopes import Scope
from nba_mcp.security.scopes import parse_scopes

PREFIX: Final = "nbamcp"
KEY_PATTERN: Final = re.compile(r"nbamcp_([0-9a-f]{12})_([A-Za-z0-9_-]{43,})")
NAME_PATTERN: Final = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")
#: ``last_used_at`` is written at most this often per key, not on every request.
TOUCH_EVERY: Final = dt.timedelta(seconds=60)
_DUMMY_HASH: Final = hashlib.sha256(b"no such key").hexdigest()
_TABLE = table_of(ApiKey)

FailureReason = Literal["missing", "invalid", "expired", "revoked"]
KeyStatus = Literal["active", "rotated", "expired", "revoked"]


class KeyInfo(BaseModel):
    """What may be shown about a key: never the key or its hash."""

    name: str
    key_id: str = Field(description="The public part of the key: nbamcp_<key_id>_...")
    scopes: list[str]
    status: KeyStatus
    created_at: dt.datetime
    last_used_at: dt.datetime | None
    expires_at: dt.datetime | None
    revoked_at: dt.datetime | None
    grace_until: dt.datetime | None = Field(description="When rotated: valid until then.")


class NewKey(BaseModel):
    """A key just made; ``key`` is shown this once and stored nowhere."""

    key: str
    info: KeyInfo


@dataclass(frozen=True)
class Principal:
    """Who a request authenticated as."""

    key_id: str
    name: str
    scopes: tuple[Scope, ...]


class AuthFailure(Exception):
    """A key that does not authenticate; ``key_name`` is set once the key is identified."""

    def __init__(self, reason: FailureReason, *, key_name: str | None = None) -> None:
        super().__init__(reason)
        self.reason: FailureReason = reason
        self.key_name = key_name


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def create_key(
    engine: Engine,
    *,
    name: str,
    scopes: str | tuple[Scope, ...],
    expires_days: int | None = None,
    now: dt.datetime | None = None,
) -> NewKey:
    """Make a key named ``name`` (unique among active keys) holding ``scopes``."""
    if not NAME_PATTERN.fullmatch(name):
        raise InvalidInput(f"Not a key name: {name!r} (letters, digits, . _ -; at most 64).")
    granted = parse_scopes(scopes) if isinstance(scopes, str) else parse_scopes(",".join(scopes))
    if expires_days is not None and expires_days < 1:
        raise InvalidInput("--expires-days must be at least 1.")
    now = now or utcnow()
    expires = now + dt.timedelta(days=expires_days) if expires_days else None
    with _session(engine, begin=True) as conn:
        if _active_by_name(conn, name) is not None:
            raise InvalidInput(f"A key named {name!r} exists: revoke or rotate it instead.")
        return _insert(conn, name=name, scopes=granted, expires=expires, now=now, rotated=None)


def list_keys(engine: Engine, *, now: dt.datetime | None = None) -> list[KeyInfo]:
    """Every key, newest first, with its status; revoked keys included."""
    now = now or utcnow()
    with _session(engine, begin=False) as conn:
        rows = conn.execute(select(_TABLE).order_by(_TABLE.c.id.desc())).all()
    return [_info(row, now) for row in rows]


def revoke_key(engine: Engine, *, name_or_id: str, now: dt.datetime | None = None) -> list[KeyInfo]:
    """Revoke the key with this id, or every unrevoked key of this name (rotated ones too)."""
    now = now or utcnow()
    with _session(engine, begin=True) as conn:
        rows = _unrevoked(conn, name_or_id)
        ids = [row.id for row in rows]
        conn.execute(update(_TABLE).where(_TABLE.c.id.in_(ids)).values(revoked_at=now))
        revoked = conn.execute(select(_TABLE).where(_TABLE.c.id.in_(ids))).all()
    return [_info(row, now) for row in revoked]


def rotate_key(
    engine: Engine,
    *,
    name_or_id: str,
    grace: dt.timedelta = dt.timedelta(minutes=60),
    now: dt.datetime | None = None,
) -> NewKey:
    """Replace an active key by a new one with the same name, scopes and lifetime; the old
    key stays valid for ``grace``."""
    if grace < dt.timedelta(0):
        raise InvalidInput("The grace period cannot be negative.")
    now = now or utcnow()
    with _session(engine, begin=True) as conn:
        old = next((r for r in _unrevoked(conn, name_or_id) if r.grace_until is None), None)
        if old is None:
            raise InvalidInput(f"The key {name_or_id!r} was already rotated: rotate its successor.")
        lifetime = _aware(old.expires_at) - _aware(old.created_at) if old.expires_at else None
        conn.execute(update(_TABLE).where(_TABLE.c.id == old.id).values(grace_until=now + grace))
        return _insert(
            conn,
            name=old.name,
            scopes=parse_scopes(old.scopes),
            expires=now + lifetime if lifetime else None,
            now=now,
            rotated=old.id,
        )


def authenticate(engine: Engine, *, key: str, now: dt.datetime | None = None) -> Principal:
    """The key's holder, or :class:`AuthFailure` saying why not."""
    now = now or utcnow()
    match = KEY_PATTERN.fullmatch(key)
    digest = hash_key(key)
    with _session(engine, begin=False) as conn:
        row = None
        if match is not None:
            row = conn.execute(select(_TABLE).where(_TABLE.c.key_id == match.group(1))).first()
        if not hmac.compare_digest(digest, row.key_hash if row is not None else _DUMMY_HASH):
            raise AuthFailure("invalid")
        assert row is not None
        status = _status(row, now)
        if status == "revoked" or status == "expired":
            raise AuthFailure(status, key_name=row.name)
        if row.last_used_at is None or now - _aware(row.last_used_at) >= TOUCH_EVERY:
            conn.execute(update(_TABLE).where(_TABLE.c.id == row.id).values(last_used_at=now))
            conn.commit()
    return Principal(key_id=row.key_id, name=row.name, scopes=parse_scopes(row.scopes))


def any_active_key(engine: Engine, *, now: dt.datetime | None = None) -> bool:
    """Whether at least one key could authenticate now."""
    now = now or utcnow()
    c = _TABLE.c
    query = select(c.id).where(
        c.revoked_at.is_(None),
        or_(c.expires_at.is_(None), c.expires_at > now),
        or_(c.grace_until.is_(None), c.grace_until > now),
    )
    with _session(engine, begin=False) as conn:
        return conn.execute(query.limit(1)).first() is not None


def _insert(
    conn: Connection,
    *,
    name: str,
    scopes: tuple[Scope, ...],
    expires: dt.datetime | None,
    now: dt.datetime,
    rotated: int | None,
) -> NewKey:
    key_id = secrets.token_hex(6)
    key = f"{PREFIX}_{key_id}_{secrets.token_urlsafe(32)}"
    values = {
        "key_id": key_id, "name": name, "key_hash": hash_key(key), "scopes": ",".join(scopes),
        "created_at": now, "expires_at": expires, "rotated_from": rotated,
    }  # fmt: skip
    try:
        conn.execute(insert(_TABLE).values(**values))
    except IntegrityError:
        raise InvalidInput(f"A key named {name!r} exists: revoke or rotate it instead.") from None
    row = conn.execute(select(_TABLE).where(_TABLE.c.key_id == key_id)).one()
    return NewKey(key=key, info=_info(row, now))


def _active_by_name(conn: Connection, name: str) -> Row[tuple[object, ...]] | None:
    c = _TABLE.c
    query = select(_TABLE).where(c.name == name, c.revoked_at.is_(None), c.grace_until.is_(None))
    return conn.execute(query).first()


def _unrevoked(conn: Connection, name_or_id: str) -> list[Row[tuple[object, ...]]]:
    c = _TABLE.c
    by_id = conn.execute(select(_TABLE).where(c.key_id == name_or_id)).all()
    rows = by_id or conn.execute(select(_TABLE).where(c.name == name_or_id)).all()
    if not rows:
        raise NotFound(f"No API key has the name or id {name_or_id!r}.")
    live = [row for row in rows if row.revoked_at is None]
    if not live:
        raise InvalidInput(f"The key {name_or_id!r} is already revoked.")
    return sorted(live, key=lambda row: row.grace_until is not None)


def _status(row: Row[tuple[object, ...]], now: dt.datetime) -> KeyStatus:
    if row.revoked_at is not None:
        return "revoked"
    if row.expires_at is not None and _aware(row.expires_at) <= now:
        return "expired"
    if row.grace_until is not None:
        return "rotated" if _aware(row.grace_until) > now else "expired"
    return "active"


def _info(row: Row[tuple[object, ...]], now: dt.datetime) -> KeyInfo:
    return KeyInfo(
        name=row.name, key_id=row.key_id, scopes=row.scopes.split(","), status=_status(row, now),
        created_at=_aware(row.created_at), last_used_at=_maybe(row.last_used_at),
        expires_at=_maybe(row.expires_at), revoked_at=_maybe(row.revoked_at),
        grace_until=_maybe(row.grace_until),
    )  # fmt: skip


def _aware(value: dt.datetime) -> dt.datetime:
    """SQLite gives back naive UTC datetimes; PostgreSQL aware ones."""
    return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value


def _maybe(value: dt.datetime | None) -> dt.datetime | None:
    return None if value is None else _aware(value)


@contextmanager
def _session(engine: Engine, *, begin: bool) -> Iterator[Connection]:
    """A connection (in a transaction when ``begin``); an outage is DependencyUnavailable."""
    try:
        with engine.connect() as conn:
            if begin:
                with conn.begin():
                    yield conn
            else:
                yield conn
    except OperationalError as exc:
        raise database_unavailable(exc) from None
