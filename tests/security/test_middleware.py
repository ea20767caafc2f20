"""The middleware on a real database: 401/403 per route and per MCP tool, open probes,
/metrics protected only when asked, failures counted, the body replayed to the app."""

from __future__ import annotations

import json

import pytest
from prometheus_client import REGISTRY
from sqlalchemy import Engine

from nba_mcp.security.keys import create_key, revoke_key
from tests.security.apps import bearer, client, tools_call
from tests.security.helpers import Clock


def failures(reason: str) -> float:
    return REGISTRY.get_sample_value("nba_mcp_auth_failures_total", {"reason": reason}) or 0.0


def test_probes_are_open_and_metrics_too_by_default(engine: Engine, clock: Clock) -> None:
    create_key(engine, name="app", scopes="read", now=clock.now)
    with client(engine, clock, auth_required=True) as http:
        assert [http.get(p).status_code for p in ("/health", "/ready", "/metrics")] == [200] * 3


def test_a_request_without_a_key_is_401_problem_json_with_a_challenge(
    engine: Engine, clock: Clock
) -> None:
    before = failures("missing")
    with client(engine, clock, auth_required=True) as http:
        response = http.get("/v1/players/search", params={"name": "Curry"})

    assert response.status_code == 401
    assert response.headers["content-type"] == "application/problem+json"
    assert response.headers["www-authenticate"] == 'Bearer realm="nba-mcp"'
    assert response.json() == {
        "type": "about:blank", "title": "Unauthorized", "status": 401,
        "detail": "An API key is needed: send the header Authorization: Bearer <key>, with a "
                  "key made by nba-mcp keys create --name NAME --scopes read (see docs/security.md).",
    }  # fmt: skip
    assert failures("missing") == before + 1


def test_an_mcp_refusal_is_a_json_rpc_error_answering_the_request_with_the_same_detail(
    engine: Engine, clock: Clock
) -> None:
    # MCP clients show a JSON-RPC error's message and nothing else of a body.
    create_key(engine, name="app", scopes="read", now=clock.now)
    with client(engine, clock) as http:
        missing = http.post("/mcp", json=tools_call("find_player"))
        wrong = http.post("/mcp", json=tools_call("find_player"),
                          headers=bearer("nbamcp_0123456789ab_" + "x" * 43))  # fmt: skip
        batch = http.post("/mcp", json=[tools_call("find_player")])

    assert missing.status_code == wrong.status_code == batch.status_code == 401
    assert missing.headers["content-type"] == "application/json"
    assert missing.headers["www-authenticate"] == 'Bearer realm="nba-mcp"'
    assert wrong.headers["www-authenticate"] == 'Bearer realm="nba-mcp", error="invalid_token"'
    error = missing.json()["error"]
    assert missing.json()["jsonrpc"] == "2.0" and missing.json()["id"] == 1
    assert error["code"] == -32001
    assert error["message"].startswith(
        "An API key is needed: send the header Authorization: Bearer"
    )
    assert error["data"] == {"type": "about:blank", "title": "Unauthorized", "status": 401,
                             "detail": error["message"]}  # fmt: skip
    assert wrong.json()["error"]["message"] == (
        "The API key is not valid: send the header Authorization: Bearer <key>, with a key "
        "made by nba-mcp keys create --name NAME --scopes read (see docs/security.md)."
    )
    assert batch.json()["id"] is None  # no one id to answer


@pytest.mark.parametrize("header", ["Bearer nbamcp_0123456789ab_" + "x" * 43, "Basic abc"])
def test_a_bad_key_is_401_invalid(engine: Engine, clock: Clock, header: str) -> None:
    create_key(engine, name="app", scopes="read", now=clock.now)
    before = failures("invalid") + failures("missing")
    with client(engine, clock) as http:
        response = http.get("/v1/players/search", headers={"Authorization": header})

    assert response.status_code == 401
    assert failures("invalid") + failures("missing") == before + 1


def test_a_revoked_or_expired_key_is_401_with_its_reason(engine: Engine, clock: Clock) -> None:
    revoked = create_key(engine, name="gone", scopes="read", now=clock.now)
    revoke_key(engine, name_or_id="gone", now=clock.now)
    expiring = create_key(engine, name="brief", scopes="read", expires_days=1, now=clock.now)
    clock.advance(days=2)
    before = (failures("revoked"), failures("expired"))
    with client(engine, clock) as http:
        first = http.get("/v1/players/search", headers=bearer(revoked.key))
        second = http.get("/v1/players/search", headers=bearer(expiring.key))

    assert (first.status_code, first.json()["detail"]) == (
        401, "The API key was revoked: ask for a new one (nba-mcp keys create).")  # fmt: skip
    assert (second.status_code, second.json()["detail"]) == (
        401, "The API key has expired: ask for a new one (nba-mcp keys create, or keys rotate NAME).",
    )  # fmt: skip
    assert 'error="invalid_token"' in first.headers["www-authenticate"]
    assert (failures("revoked"), failures("expired")) == (before[0] + 1, before[1] + 1)


def test_a_read_key_reads_and_its_name_reaches_the_app(engine: Engine, clock: Clock) -> None:
    new = create_key(engine, name="reader", scopes="read", now=clock.now)
    with client(engine, clock) as http:
        response = http.get("/v1/players/Curry/season", headers=bearer(new.key))

    assert response.status_code == 200
    assert response.json()["key_name"] == "reader"


def test_run_sql_over_rest_needs_the_sql_scope(engine: Engine, clock: Clock) -> None:
    reader = create_key(engine, name="reader", scopes="read", now=clock.now)
    analyst = create_key(engine, name="analyst", scopes="sql", now=clock.now)
    before = failures("forbidden")
    with client(engine, clock) as http:
        refused = http.post("/v1/sql", json={"query": "SELECT 1"}, headers=bearer(reader.key))
        allowed = http.post("/v1/sql", json={"query": "SELECT 1"}, headers=bearer(analyst.key))

    assert refused.status_code == 403
    assert refused.headers["content-type"] == "application/problem+json"
    assert refused.json()["detail"] == "This key lacks the scope 'sql' needed here."
    assert 'scope="sql"' in refused.headers["www-authenticate"]
    assert failures("forbidden") == before + 1
    assert allowed.status_code == 200


def test_synthesis_needs_its_scope_and_admin_may_do_everything(
    engine: Engine, clock: Clock
) -> None:
    analyst = create_key(engine, name="analyst", scopes="read,sql", now=clock.now)
    admin = create_key(engine, name="root", scopes="admin", now=clock.now)
    with client(engine, clock, metrics_require_key=True) as http:
        assert http.post("/v1/ask", json={}, headers=bearer(analyst.key)).status_code == 403
        for path in ("/v1/ask", "/v1/sql", "/mcp"):
            assert http.post(path, json=tools_call("run_sql"), headers=bearer(admin.key)).is_success
        assert http.get("/metrics", headers=bearer(admin.key)).status_code == 200


def test_mcp_tools_call_of_run_sql_needs_sql_and_the_body_reaches_the_app(
    engine: Engine, clock: Clock
) -> None:
    reader = create_key(engine, name="reader", scopes="read", now=clock.now)
    analyst = create_key(engine, name="analyst", scopes="read,sql", now=clock.now)
    call = tools_call("run_sql")
    with client(engine, clock) as http:
        refused = http.post("/mcp", json=call, headers=bearer(reader.key))
        listed = http.post("/mcp", json={"jsonrpc": "2.0", "id": 2, "method": "tools/list"},
                           headers=bearer(reader.key))  # fmt: skip
        read_tool = http.post("/mcp", json=tools_call("find_player"), headers=bearer(reader.key))
        batch = http.post(
            "/mcp", json=[tools_call("find_player"), call], headers=bearer(reader.key)
        )
        allowed = http.post("/mcp", json=call, headers=bearer(analyst.key))

    assert refused.status_code == 403
    assert (listed.status_code, read_tool.status_code, batch.status_code) == (200, 200, 403)
    assert allowed.status_code == 200
    assert json.loads(allowed.json()["body"]) == call  # replayed, byte for byte


def test_an_mcp_body_that_is_not_json_or_too_large_is_refused(engine: Engine, clock: Clock) -> None:
    new = create_key(engine, name="reader", scopes="read", now=clock.now)
    with client(engine, clock, max_body_bytes=100) as http:
        garbled = http.post("/mcp", content=b"{nope", headers=bearer(new.key))
        large = http.post("/mcp", content=b" " * 101, headers=bearer(new.key))

    assert (garbled.status_code, large.status_code) == (400, 413)
    assert garbled.json()["error"]["code"] == -32700  # JSON-RPC's parse error
    assert large.json()["error"]["data"]["status"] == 413


def test_metrics_need_an_admin_key_when_the_setting_says_so(engine: Engine, clock: Clock) -> None:
    reader = create_key(engine, name="reader", scopes="read,sql,synthesize", now=clock.now)
    with client(engine, clock, metrics_require_key=True) as http:
        assert http.get("/metrics").status_code == 401
        assert http.get("/metrics", headers=bearer(reader.key)).status_code == 403
        assert http.get("/health").status_code == 200


def test_without_any_key_development_is_open_but_production_is_not(
    engine: Engine, clock: Clock
) -> None:
    with client(engine, clock, environment="development") as http:
        open_response = http.get("/v1/players/search")
    with client(engine, clock, environment="production") as http:
        closed = http.get("/v1/players/search")

    assert (open_response.status_code, open_response.json()["key_name"]) == (200, None)
    assert closed.status_code == 401


def test_the_first_key_closes_development_mode(engine: Engine, clock: Clock) -> None:
    with client(engine, clock, auth_required=False) as http:
        assert http.get("/v1/players/search").status_code == 200
        create_key(engine, name="first", scopes="read", now=clock.now)
        assert http.get("/v1/players/search").status_code == 401


def test_metrics_protected_stay_closed_in_development_without_keys(
    engine: Engine, clock: Clock
) -> None:
    with client(engine, clock, environment="development", metrics_require_key=True) as http:
        assert http.get("/metrics").status_code == 401
