"""Metrics under the DESIGN names by route template, request ids, JSON access log lines."""

from __future__ import annotations

import datetime as dt
import logging
import re
from pathlib import Path

from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route
from starlette.testclient import TestClient

from nba_mcp.db.engine import make_engine
from nba_mcp.db.migrate import upgrade
from nba_mcp.service import build_app
from nba_mcp.web.middleware import configure_access_log, request_id
from tests.web.conftest import Lines, settings


def sample(text: str, name: str, **labels: str) -> float:
    """The value of one sample of the exposition text, 0 when absent."""
    wanted = ",".join(f'{k}="{v}"' for k, v in sorted(labels.items()))
    for line in text.splitlines():
        match = re.match(r"^(\w+)\{(.*)\} (\S+)$", line)
        if match and match[1] == name and ",".join(sorted(match[2].split(","))) == wanted:
            return float(match[3])
    return 0.0


def test_metrics_use_design_names_and_route_templates(sqlite_client: TestClient) -> None:
    before = sqlite_client.get("/metrics").text
    sqlite_client.get("/v1/players/Nobody%20Here/season?season=2015-16")
    sqlite_client.get("/v1/no/such/route?secret=1")
    response = sqlite_client.get("/metrics")
    assert response.headers["content-type"].startswith("text/plain")
    text = response.text
    route = "/v1/players/{player}/season"
    labels = {"method": "GET", "route": route, "status": "404"}
    assert sample(text, "nba_mcp_http_requests_total", **labels) == sample(
        before, "nba_mcp_http_requests_total", **labels) + 1  # fmt: skip
    assert (
        sample(text, "nba_mcp_http_requests_total", method="GET", route="unmatched", status="404")
        >= 1
    )
    assert f'nba_mcp_http_request_duration_seconds_bucket{{le="0.005",method="GET",route="{route}"}}' in text or \
        f'nba_mcp_http_request_duration_seconds_count{{method="GET",route="{route}"}}' in text  # fmt: skip
    assert "Nobody" not in text and "/v1/no/such" not in text  # raw paths never become labels
    assert sample(text, "nba_mcp_tool_calls_total", tool="player_season_stats", status="error") >= 1
    assert "nba_mcp_build_info{" in text


def test_request_id_is_echoed_or_made(sqlite_client: TestClient) -> None:
    assert (
        sqlite_client.get("/health", headers={"X-Request-ID": "abc-123.x_y"}).headers[
            "x-request-id"
        ]
        == "abc-123.x_y"
    )
    made = sqlite_client.get("/health").headers["x-request-id"]
    assert re.fullmatch(r"[0-9a-f]{32}", made)
    unsafe = sqlite_client.get("/health", headers={"X-Request-ID": "evil\tinjected {json}"})
    assert re.fullmatch(r"[0-9a-f]{32}", unsafe.headers["x-request-id"])
    assert len(request_id("a" * 129)) == 32 and request_id("a" * 128) == "a" * 128


def test_access_log_is_one_json_line_per_request(
    sqlite_client: TestClient, access_log: Lines
) -> None:
    sqlite_client.get(
        "/v1/players/Nobody/season?season=2015-16&api_key=hunter2",
        headers={"X-Request-ID": "req-42"},
    )
    [line] = access_log.lines
    assert line["logger"] == "nba_mcp.access"
    assert line["request_id"] == "req-42"
    assert line["key_name"] is None
    assert (line["method"], line["route"], line["status"]) == (
        "GET",
        "/v1/players/{player}/season",
        422,  # api_key is not an argument of the route: refused, and still not logged
    )
    assert line["path"] == "/v1/players/Nobody/season"
    assert line["latency_ms"] > 0 and line["bytes"] > 0 and line["time"]
    assert "hunter2" not in str(line)  # the query string is never logged


def test_access_log_never_holds_the_authorization_header(
    sqlite_client: TestClient, access_log: Lines
) -> None:
    response = sqlite_client.get("/v1/standings", headers={"Authorization": "Bearer hunter2"})
    [line] = access_log.lines
    assert line["status"] == response.status_code  # 401 once API keys are on
    assert "hunter2" not in str(line)


def test_access_log_names_the_key_the_security_layer_found(
    access_log: Lines, tmp_path: Path
) -> None:
    async def whoami(request: Request) -> Response:
        request.state.key_name = "analytics-team"
        return PlainTextResponse("ok")

    engine = make_engine(f"sqlite:///{tmp_path / 'nba.sqlite3'}")
    upgrade(engine)
    app = build_app(settings(), engine)
    app.router.routes.append(Route("/whoami", whoami))
    with TestClient(app) as client:
        client.get("/whoami")
    assert access_log.lines[-1]["key_name"] == "analytics-team"


def test_access_log_writes_json_even_when_the_root_logger_does_not() -> None:
    logger = logging.getLogger("nba_mcp.access")
    try:
        configure_access_log(json_root=False)
        assert logger.propagate is False
        [handler] = logger.handlers
        assert type(handler.formatter).__name__ == "JsonFormatter"
        configure_access_log(json_root=True)
        assert logger.propagate is True and logger.handlers == []
    finally:
        logger.handlers.clear()
        logger.propagate = True


def test_access_log_can_be_switched_off(sqlite_client: TestClient, access_log: Lines) -> None:
    logger = logging.getLogger("nba_mcp.access")
    try:
        for enabled in (False, True):
            configure_access_log(json_root=True, enabled=enabled)  # NBA_MCP_ACCESS_LOG
            logger.addHandler(access_log)  # configuring leaves the root's handlers only
            sqlite_client.get("/health")
        assert [line["route"] for line in access_log.lines] == ["/health"]  # the second only
    finally:
        logger.setLevel(logging.INFO)


def test_mcp_is_served_at_mcp_in_the_same_app(sqlite_client: TestClient) -> None:
    response = sqlite_client.post(
        "http://127.0.0.1:8000/mcp",  # the SDK guards loopback against DNS rebinding
        json={"jsonrpc": "2.0", "id": 1, "method": "tools/list", "params": {}},
        headers={
            "Accept": "application/json, text/event-stream",
            "MCP-Protocol-Version": "2025-06-18",
        },
    )
    assert response.status_code == 200, response.text
    names = {tool["name"] for tool in response.json()["result"]["tools"]}
    assert "player_season_stats" in names
    assert "/mcp" in sqlite_client.get("/metrics").text


def test_metrics_report_the_latest_game_loaded(client: TestClient) -> None:
    text = client.get("/metrics").text
    # The last game of the shared data: the 2023 Finals' game 5, 2023-06-12 (midnight UTC).
    latest = dt.datetime(2023, 6, 12, tzinfo=dt.UTC).timestamp()
    (line,) = [
        line for line in text.splitlines()
        if line.startswith("nba_mcp_data_latest_game_timestamp_seconds ")
    ]  # fmt: skip
    assert float(line.split()[1]) == latest
