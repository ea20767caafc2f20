"""/openapi.json describes every route; schemathesis fuzzes a live server and finds no 5xx."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

from sqlalchemy import Engine
from starlette.testclient import TestClient

from nba_mcp.catalog import CATALOG
from tests.mcp.conftest import database_url
from tests.web.live import live_server

SCHEMATHESIS = str(Path(sys.executable).with_name("schemathesis"))


def refs(node: Any) -> set[str]:
    if isinstance(node, dict):
        found = {node["$ref"]} if isinstance(node.get("$ref"), str) else set()
        return found.union(*(refs(v) for v in node.values()))
    if isinstance(node, list):
        return set().union(*(refs(v) for v in node))
    return set()


def test_document_describes_every_route(sqlite_client: TestClient) -> None:
    document = sqlite_client.get("/openapi.json").json()
    assert document["openapi"] == "3.1.0"
    for spec in CATALOG:
        operation = document["paths"][spec.route.path][spec.route.method.lower()]
        assert operation["operationId"] == spec.name
        in_path = {p["name"] for p in operation["parameters"] if p["in"] == "path"}
        assert in_path == {p[1:-1] for p in spec.route.path.split("/") if p.startswith("{")}
        ok = operation["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
        assert ok.startswith("#/components/schemas/")
        assert "application/problem+json" in operation["responses"]["404"]["content"]
    for path in ("/health", "/ready", "/metrics"):
        assert path in document["paths"]
    schemas = document["components"]["schemas"]
    assert {"Problem", "PlayerSeason", "Readiness"} <= set(schemas)
    for ref in refs(document):
        assert ref.removeprefix("#/components/schemas/") in schemas, ref


def test_parameters_carry_the_tools_schemas(sqlite_client: TestClient) -> None:
    document = sqlite_client.get("/openapi.json").json()
    season = document["paths"]["/v1/players/{player}/season"]["get"]
    params = {p["name"]: p for p in season["parameters"]}
    assert set(params) == {"player", "season", "season_type"}  # `mode` only shapes MCP text
    assert params["player"]["required"] is True and params["player"]["in"] == "path"
    assert params["season_type"]["schema"]["enum"] == ["regular", "playoffs", "play_in"]
    compare = {p["name"]: p for p in document["paths"]["/v1/compare"]["get"]["parameters"]}
    assert compare["players"]["explode"] is True and compare["players"]["schema"]["minItems"] == 2
    sql = document["paths"]["/v1/sql"]["post"]["requestBody"]["content"]["application/json"]
    assert sql["schema"]["required"] == ["query"]


def test_schemathesis_finds_no_server_error(loaded_engine: Engine, tmp_path: Path) -> None:
    env = {"NBA_MCP_RATE_LIMIT_PER_MINUTE": "0"}  # fuzzing is not abuse here
    with live_server(database_url(loaded_engine), tmp_path, env=env) as server:
        result = subprocess.run(
            [SCHEMATHESIS, "run", f"{server.base}/openapi.json", "--checks", "not_a_server_error",
             "--max-examples", "25", "--request-timeout", "30", "--seed", "20151027",
             "--no-color"],
            cwd=tmp_path, capture_output=True, text=True, timeout=500,
        )  # fmt: skip
    assert result.returncode == 0, result.stdout[-5000:]
    assert f"Tested: {len(CATALOG) + 3}" in result.stdout  # every tool, /health, /ready, /metrics
