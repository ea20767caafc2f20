"""``check_bind``: an open server stays on loopback until a key exists."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine

from nba_mcp.errors import InvalidInput
from nba_mcp.security import check_bind, is_loopback
from nba_mcp.security.keys import create_key, revoke_key
from tests.security.apps import settings


@pytest.mark.parametrize("host", ["127.0.0.1", "127.0.0.2", "localhost", "::1", "[::1]"])
def test_loopback_hosts(host: str) -> None:
    assert is_loopback(host)


@pytest.mark.parametrize("host", ["0.0.0.0", "::", "10.0.0.5", "nba.example.com"])
def test_hosts_beyond_loopback(host: str) -> None:
    assert not is_loopback(host)


def test_loopback_needs_no_key(engine: Engine) -> None:
    check_bind("127.0.0.1", settings(), engine)


def test_a_public_bind_without_keys_is_refused_with_the_fix(engine: Engine) -> None:
    with pytest.raises(InvalidInput) as raised:
        check_bind("0.0.0.0", settings(), engine)

    assert "Refusing to listen on 0.0.0.0: no API key exists" in raised.value.message
    assert "nba-mcp keys create" in raised.value.message
    assert "NBA_MCP_ALLOW_UNAUTHENTICATED_PUBLIC=true" in raised.value.message


def test_a_public_bind_with_an_active_key_is_allowed(engine: Engine) -> None:
    create_key(engine, name="app", scopes="read")
    check_bind("0.0.0.0", settings(), engine)
    revoke_key(engine, name_or_id="app")

    with pytest.raises(InvalidInput):
        check_bind("0.0.0.0", settings(), engine)


def test_the_operator_may_allow_an_open_public_bind(engine: Engine) -> None:
    check_bind("0.0.0.0", settings(allow_unauthenticated_public=True), engine)
