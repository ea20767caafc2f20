"""The suite cannot hang: every test has a timeout, and creating or dropping a PostgreSQL
test database gives up on a lock held elsewhere, with a message naming the step."""

from __future__ import annotations

import time

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from tests.conftest import PG_URL, PostgresServer


def test_every_test_has_a_timeout(request: pytest.FixtureRequest) -> None:
    # pytest-timeout, configured in pyproject.toml; it covers fixtures' set-up and
    # tear-down too (timeout_func_only is off).
    assert float(request.config.getini("timeout")) >= 600
    assert request.config.getini("timeout_func_only") is False


@pytest.mark.postgres
def test_a_drop_blocked_by_another_session_fails_quickly_naming_the_step_and_database() -> None:
    server = PostgresServer(PG_URL, lock_timeout=1, statement_timeout=30)
    url = server.create()
    name = make_url(url).database
    holder = create_engine(PG_URL)  # a session that is not the suite's own, on another database
    try:
        with holder.connect() as conn:
            # An open transaction that commented on the database holds a lock on it, which
            # DROP DATABASE ... WITH (FORCE) waits for: it ends sessions on the database only.
            conn.execute(text(f"COMMENT ON DATABASE \"{name}\" IS 'held by a test'"))
            started = time.monotonic()
            with pytest.raises(pytest.fail.Exception) as failed:
                server.drop(url)
            elapsed = time.monotonic() - started
            conn.rollback()
        server.drop(url)  # the lock released, the drop goes through
        with server.admin.connect() as conn:
            left = conn.execute(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name})
            assert left.first() is None
    finally:
        holder.dispose()
        server.admin.dispose()

    host = make_url(PG_URL)
    assert str(failed.value) == (
        f"test database set-up/tear-down: dropping {name!r} on {host.host}:{host.port or 5432} "
        "failed: waited over 1 s for a lock; another session holds it "
        "(pg_locks / pg_stat_activity show which)"
    )
    assert 0.9 < elapsed < 5


@pytest.mark.postgres
def test_a_create_that_fails_names_the_step_and_database() -> None:
    server = PostgresServer(PG_URL)
    url = server.create()
    name = str(make_url(url).database)
    try:
        with pytest.raises(pytest.fail.Exception) as failed:
            server._run("creating", name, f'CREATE DATABASE "{name}"')
    finally:
        server.drop(url)
        server.admin.dispose()
    assert f"creating {name!r}" in str(failed.value)
    assert "already exists" in str(failed.value)
