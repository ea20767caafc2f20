"""Every error is application/problem+json with the right status; never a stack trace."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

from sqlalchemy.exc import OperationalError
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from starlette.testclient import TestClient

from nba_mcp.db.engine import make_engine
from nba_mcp.db.migrate import upgrade
from nba_mcp.errors import Ambiguous, DependencyUnavailable, InvalidInput, NotFound
from nba_mcp.service import build_app
from nba_mcp.web.problems import from_exception
from tests.web.conftest import CLOSED_PORT_PG, problem, settings


def test_unknown_route_is_404(sqlite_client: TestClient) -> None:
    body = problem(sqlite_client.get("/v2/nothing"), 404)
    assert "/openapi.json" in body["detail"]


def test_wrong_method_is_405(sqlite_client: TestClient) -> None:
    problem(sqlite_client.delete("/v1/standings"), 405)
    problem(sqlite_client.get("/v1/sql"), 405)


def test_malformed_json_is_400(sqlite_client: TestClient) -> None:
    response = sqlite_client.post(
        "/v1/sql", content=b'{"query": ', headers={"content-type": "application/json"}
    )
    assert problem(response, 400)["type"].endswith("malformed-json")


def test_json_that_is_not_an_object_is_422(sqlite_client: TestClient) -> None:
    problem(sqlite_client.post("/v1/sql", json=["SELECT 1"]), 422)


def test_missing_argument_in_body_is_422_naming_it(sqlite_client: TestClient) -> None:
    body = problem(sqlite_client.post("/v1/sql", json={"limit": 5}), 422)
    assert body["errors"] == [{"parameter": "query", "message": "query is required."}]
    assert "query" in body["detail"]


def test_wrong_content_type_is_415(sqlite_client: TestClient) -> None:
    response = sqlite_client.post(
        "/v1/sql",
        content=b"query=SELECT 1",
        headers={"content-type": "application/x-www-form-urlencoded"},
    )
    problem(response, 415)
    problem(sqlite_client.post("/v1/metrics/ts_pct", content=b"{}"), 415)


def test_oversize_body_is_413_by_content_length(sqlite_client: TestClient) -> None:
    big = b'{"query": "' + b"x" * 1_100_000 + b'"}'
    response = sqlite_client.post(
        "/v1/sql", content=big, headers={"content-type": "application/json"}
    )
    problem(response, 413)


def test_oversize_chunked_body_is_413_while_reading(sqlite_client: TestClient) -> None:
    def chunks() -> Iterator[bytes]:
        yield b'{"query": "'
        for _ in range(20):
            yield b"x" * 100_000
        yield b'"}'

    response = sqlite_client.post(
        "/v1/sql", content=chunks(), headers={"content-type": "application/json"}
    )
    problem(response, 413)


def test_unexpected_error_is_500_with_the_request_id_only(tmp_path: Path) -> None:
    async def boom(_request: Request) -> Response:
        raise RuntimeError("secret internals: password=hunter2")

    engine = make_engine(f"sqlite:///{tmp_path / 'nba.sqlite3'}")
    upgrade(engine)
    app = build_app(settings(), engine)
    app.router.routes.append(Route("/boom", boom))
    with TestClient(app, raise_server_exceptions=False) as client:
        response = client.get("/boom", headers={"X-Request-ID": "trace-500"})
    body = problem(response, 500)
    assert body["request_id"] == "trace-500"
    assert response.headers["x-request-id"] == "trace-500"
    assert "hunter2" not in response.text and "RuntimeError" not in response.text


def test_database_down_is_503() -> None:
    engine = make_engine(CLOSED_PORT_PG)
    with TestClient(build_app(settings(), engine)) as client:
        problem(client.get("/v1/players/Stephen%20Curry/season?season=2015-16"), 503)
    engine.dispose()


def test_error_tree_maps_to_statuses() -> None:
    request = Request({"type": "http", "method": "GET", "path": "/", "headers": [],
                       "state": {"request_id": "r1"}})  # fmt: skip
    outage = OperationalError("SELECT 1", {}, Exception("host 10.0.0.5 refused"))
    cases: list[tuple[Exception, int]] = [
        (InvalidInput("bad"), 400), (NotFound("none", candidates=["a"]), 404),
        (Ambiguous("two", candidates=["a", "b"]), 409), (DependencyUnavailable("down"), 503),
        (outage, 503),
    ]  # fmt: skip
    for error, status in cases:
        response = from_exception(error, request)
        assert response is not None and response.status_code == status
        assert response.media_type == "application/problem+json"
        body = json.loads(bytes(response.body))
        assert body["request_id"] == "r1" and body["status"] == status
        assert "10.0.0.5" not in str(body)
        if status == 503:
            assert response.headers["retry-after"]
    assert from_exception(RuntimeError("boom"), request) is None


def test_a_security_refusal_carries_the_request_id_in_its_header(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'nba.sqlite3'}")
    upgrade(engine)
    with TestClient(build_app(settings(auth_required=True), engine)) as client:
        response = client.get("/v1/standings", headers={"X-Request-ID": "refused-1"})
    assert response.status_code == 401
    assert response.headers["x-request-id"] == "refused-1"
    assert response.json()["type"] == "about:blank"  # as docs/http.md says: no id in the body
