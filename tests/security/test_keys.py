"""API keys on SQLite and PostgreSQL: made, found, revoked, rotated and expired; only
hashes stored; compared in constant time."""

from __future__ import annotations

import datetime as dt
import hmac

import pytest
from sqlalchemy import Engine, select

from nba_mcp.db.models import ApiKey, table_of
from nba_mcp.errors import InvalidInput, NotFound
from nba_mcp.security import keys
from nba_mcp.security.keys import AuthFailure, authenticate, create_key, revoke_key, rotate_key
from tests.security.helpers import Clock


def failure(engine: Engine, key: str, now: dt.datetime) -> str:
    with pytest.raises(AuthFailure) as raised:
        authenticate(engine, key=key, now=now)
    return raised.value.reason


def test_a_new_key_authenticates_with_its_name_and_scopes(engine: Engine, clock: Clock) -> None:
    new = create_key(engine, name="analyst", scopes="sql,read", now=clock.now)

    principal = authenticate(engine, key=new.key, now=clock.now)

    assert new.key.startswith(f"nbamcp_{new.info.key_id}_")
    assert len(new.key.removeprefix(f"nbamcp_{new.info.key_id}_")) >= 43  # 32 random bytes
    assert (principal.name, principal.scopes) == ("analyst", ("read", "sql"))
    assert new.info.status == "active"


def test_authenticating_records_last_use_at_most_once_a_minute(
    engine: Engine, clock: Clock
) -> None:
    new = create_key(engine, name="app", scopes="read", now=clock.now)
    authenticate(engine, key=new.key, now=clock.now)
    clock.advance(seconds=30)
    authenticate(engine, key=new.key, now=clock.now)

    (listed,) = keys.list_keys(engine, now=clock.now)

    assert listed.last_used_at == clock.now - dt.timedelta(seconds=30)


def test_a_wrong_secret_or_a_malformed_key_is_invalid(engine: Engine, clock: Clock) -> None:
    new = create_key(engine, name="app", scopes="read", now=clock.now)
    forged = new.key[:-4] + ("AAAA" if not new.key.endswith("AAAA") else "BBBB")

    assert failure(engine, forged, clock.now) == "invalid"
    assert failure(engine, "nbamcp_000000000000_" + "x" * 43, clock.now) == "invalid"
    assert failure(engine, "not a key", clock.now) == "invalid"
    assert failure(engine, "", clock.now) == "invalid"


def test_a_revoked_key_fails_as_revoked(engine: Engine, clock: Clock) -> None:
    new = create_key(engine, name="app", scopes="read", now=clock.now)

    (revoked,) = revoke_key(engine, name_or_id="app", now=clock.now)

    assert revoked.status == "revoked"
    assert failure(engine, new.key, clock.now) == "revoked"


def test_revoking_by_id_and_twice(engine: Engine, clock: Clock) -> None:
    new = create_key(engine, name="app", scopes="read", now=clock.now)

    revoke_key(engine, name_or_id=new.info.key_id, now=clock.now)

    with pytest.raises(InvalidInput, match="already revoked"):
        revoke_key(engine, name_or_id="app", now=clock.now)
    with pytest.raises(NotFound, match="No API key has the name or id 'nobody'"):
        revoke_key(engine, name_or_id="nobody", now=clock.now)


def test_an_expired_key_fails_as_expired(engine: Engine, clock: Clock) -> None:
    new = create_key(engine, name="temp", scopes="read", expires_days=1, now=clock.now)
    authenticate(engine, key=new.key, now=clock.now)

    clock.advance(days=1)

    assert failure(engine, new.key, clock.now) == "expired"
    assert keys.list_keys(engine, now=clock.now)[0].status == "expired"


def test_rotation_keeps_the_old_key_for_the_grace_period_only(engine: Engine, clock: Clock) -> None:
    old = create_key(engine, name="app", scopes="read,sql", expires_days=30, now=clock.now)
    clock.advance(days=1)

    new = rotate_key(engine, name_or_id="app", grace=dt.timedelta(minutes=60), now=clock.now)

    assert new.key != old.key
    assert (new.info.name, new.info.scopes) == ("app", ["read", "sql"])
    assert new.info.expires_at == clock.now + dt.timedelta(days=30)  # the same lifetime
    clock.advance(minutes=59)
    assert authenticate(engine, key=old.key, now=clock.now).name == "app"
    assert authenticate(engine, key=new.key, now=clock.now).name == "app"
    clock.advance(minutes=1)
    assert failure(engine, old.key, clock.now) == "expired"
    assert authenticate(engine, key=new.key, now=clock.now).name == "app"
    statuses = {info.key_id: info.status for info in keys.list_keys(engine, now=clock.now)}
    assert statuses == {old.info.key_id: "expired", new.info.key_id: "active"}


def test_a_rotated_key_cannot_be_rotated_again_but_its_name_can(
    engine: Engine, clock: Clock
) -> None:
    old = create_key(engine, name="app", scopes="read", now=clock.now)
    rotate_key(engine, name_or_id="app", now=clock.now)

    with pytest.raises(InvalidInput, match="already rotated"):
        rotate_key(engine, name_or_id=old.info.key_id, now=clock.now)
    rotate_key(engine, name_or_id="app", now=clock.now)  # the successor
    assert keys.any_active_key(engine, now=clock.now)


def test_revoking_a_name_revokes_keys_still_in_their_grace_period(
    engine: Engine, clock: Clock
) -> None:
    old = create_key(engine, name="app", scopes="read", now=clock.now)
    new = rotate_key(engine, name_or_id="app", now=clock.now)

    revoked = revoke_key(engine, name_or_id="app", now=clock.now)

    assert {info.key_id for info in revoked} == {old.info.key_id, new.info.key_id}
    assert failure(engine, old.key, clock.now) == "revoked"
    assert not keys.any_active_key(engine, now=clock.now)


def test_names_are_unique_among_active_keys_only(engine: Engine, clock: Clock) -> None:
    create_key(engine, name="app", scopes="read", now=clock.now)

    with pytest.raises(InvalidInput, match="A key named 'app' exists"):
        create_key(engine, name="app", scopes="read", now=clock.now)
    revoke_key(engine, name_or_id="app", now=clock.now)
    create_key(engine, name="app", scopes="read", now=clock.now)  # free again


@pytest.mark.parametrize(
    ("name", "scopes", "message"),
    [
        ("app", "read,root", "Unknown scope"),
        ("app", "", "Unknown scope"),
        ("bad name!", "read", "Not a key name"),
        ("x" * 65, "read", "Not a key name"),
    ],
)
def test_bad_names_and_scopes_are_refused(
    engine: Engine, name: str, scopes: str, message: str
) -> None:
    with pytest.raises(InvalidInput, match=message):
        create_key(engine, name=name, scopes=scopes)


def test_the_database_holds_hashes_never_keys(engine: Engine, clock: Clock) -> None:
    made = [create_key(engine, name=f"k{i}", scopes="read", now=clock.now) for i in range(3)]
    made.append(rotate_key(engine, name_or_id="k0", now=clock.now))

    with engine.connect() as conn:
        cells = [str(v) for row in conn.execute(select(table_of(ApiKey))) for v in row]

    for new in made:
        secret = new.key.removeprefix(f"nbamcp_{new.info.key_id}_")
        assert not any(new.key in cell or secret in cell for cell in cells)
        assert keys.hash_key(new.key) in cells


def test_listing_shows_no_hash(engine: Engine, clock: Clock) -> None:
    new = create_key(engine, name="app", scopes="admin", now=clock.now)

    (info,) = keys.list_keys(engine, now=clock.now)

    assert keys.hash_key(new.key) not in info.model_dump_json()
    assert "key_hash" not in info.model_dump()


def test_hashes_are_compared_in_constant_time(
    engine: Engine, clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    new = create_key(engine, name="app", scopes="read", now=clock.now)
    compared: list[tuple[str, str]] = []
    real = hmac.compare_digest

    def spy(a: str, b: str) -> bool:
        compared.append((a, b))
        return real(a, b)

    monkeypatch.setattr(hmac, "compare_digest", spy)

    authenticate(engine, key=new.key, now=clock.now)
    failure(engine, "nbamcp_000000000000_" + "y" * 43, clock.now)  # unknown id: compared too

    assert len(compared) == 2
    assert compared[0] == (keys.hash_key(new.key), keys.hash_key(new.key))
