"""Every published schema says what each value is: no schema that constrains nothing.

A bare ``JsonValue`` publishes ``{}``; the MCP Inspector's ``--strict`` flags it
("Schema carries no validation keyword at all"), and clients that map tool schemas onto
a stricter dialect may drop the tool. The check runs on the catalogue's own schemas,
then through the Inspector against the real server when it is installed.
"""

from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import Engine

from nba_mcp.catalog import BY_NAME, CATALOG
from tests.mcp.conftest import database_url
from tests.mcp.servers import NBA_MCP, inspector, server_env

#: Keywords that constrain a value (JSON Schema validation and applicators).
CONSTRAINING = frozenset(
    {"type", "$ref", "anyOf", "oneOf", "allOf", "not", "enum", "const", "properties", "items"}
)
#: Keywords whose values are schemas.
SUBSCHEMAS = ("items", "additionalProperties", "not")
SCHEMA_LISTS = ("anyOf", "oneOf", "allOf", "prefixItems")


def subschemas(schema: dict[str, Any], path: str = "") -> Iterator[tuple[str, dict[str, Any]]]:
    yield path, schema
    for name, child in schema.get("properties", {}).items():
        yield from subschemas(child, f"{path}.properties.{name}")
    for name, child in schema.get("$defs", {}).items():
        yield from subschemas(child, f"{path}.$defs.{name}")
    for key in SUBSCHEMAS:
        if isinstance(schema.get(key), dict):
            yield from subschemas(schema[key], f"{path}.{key}")
    for key in SCHEMA_LISTS:
        for i, child in enumerate(schema.get(key, [])):
            yield from subschemas(child, f"{path}.{key}[{i}]")


@pytest.mark.parametrize("name", list(BY_NAME))
def test_no_schema_accepts_anything_unsaid(name: str) -> None:
    spec = BY_NAME[name]
    for kind, schema in (("input", spec.input_schema), ("output", spec.output_schema)):
        loose = [path or "(root)" for path, s in subschemas(schema) if not CONSTRAINING & set(s)]
        assert loose == [], f"{name} {kind}Schema"


def test_run_sql_cells_name_their_json_types() -> None:
    rows = BY_NAME["run_sql"].output_schema["properties"]["rows"]
    cell = rows["items"]["items"]

    assert [branch["type"] for branch in cell["anyOf"]] == [
        "string", "number", "boolean", "null", "array", "object",
    ]  # fmt: skip


LAUNCHER = inspector()


@pytest.mark.skipif(LAUNCHER is None, reason="npm ci --prefix tools/inspector")
def test_the_inspector_strict_finds_no_problem(loaded_engine: Engine) -> None:
    assert LAUNCHER is not None
    url = server_env(database_url(loaded_engine))["NBA_MCP_DATABASE_URL"]
    done = subprocess.run(
        [LAUNCHER, "--cli", "-e", f"NBA_MCP_DATABASE_URL={url}", "-e", "NBA_MCP_LOG_LEVEL=WARNING",
         NBA_MCP, "serve", "--transport", "stdio", "--method", "tools/list", "--strict"],
        env=dict(os.environ), capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip

    assert done.returncode == 0, done.stderr
    assert "Warning" not in done.stderr and "Error" not in done.stderr, done.stderr
    listed = {tool["name"] for tool in json.loads(done.stdout)["tools"]}
    assert {spec.name for spec in CATALOG} <= listed
