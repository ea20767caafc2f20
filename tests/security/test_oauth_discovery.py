"""OAuth discovery paths are answered 404 without a key: the server offers no OAuth, and a
client that looks for it (mcp-remote does, even with a good key) learns that at once
instead of reading a 401 as "sign in first"."""

from __future__ import annotations

import pytest
from prometheus_client import REGISTRY
from sqlalchemy import Engine

from nba_mcp.security.keys import create_key
from tests.security.apps import client
from tests.security.helpers import Clock

DISCOVERY = (
    "/.well-known/oauth-protected-resource",
    "/.well-known/oauth-protected-resource/mcp",
    "/.well-known/oauth-authorization-server",
    "/.well-known/oauth-authorization-server/mcp",
    "/.well-known/openid-configuration",
    "/.well-known/openid-configuration/mcp",
    "/mcp/.well-known/openid-configuration",
)


def missing() -> float:
    return REGISTRY.get_sample_value("nba_mcp_auth_failures_total", {"reason": "missing"}) or 0.0


@pytest.mark.parametrize("path", DISCOVERY)
def test_discovery_paths_are_404_without_a_key_and_no_auth_failure(
    engine: Engine, clock: Clock, path: str
) -> None:
    create_key(engine, name="app", scopes="read", now=clock.now)
    before = missing()
    with client(engine, clock, auth_required=True) as http:
        response = http.get(path)
    assert response.status_code == 404
    assert missing() == before


def test_a_data_route_with_well_known_inside_its_path_still_needs_a_key(
    engine: Engine, clock: Clock
) -> None:
    create_key(engine, name="app", scopes="read", now=clock.now)
    with client(engine, clock, auth_required=True) as http:
        response = http.get("/v1/players/.well-known/season")
    assert response.status_code == 401
