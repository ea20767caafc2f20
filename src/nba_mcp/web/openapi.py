"""The OpenAPI 3.1 document at ``/openapi.json``, generated from the pydantic models.

Parameters come from each catalogue tool's argument model (the JSON Schema MCP
publishes as the tool's ``inputSchema``), responses from its result model
(``outputSchema``) and :class:`~nba_mcp.web.problems.Problem`. OpenAPI 3.1 takes JSON Schema 2020-12 as is, so
pydantic's schemas go in unchanged; only their ``$defs`` move to ``components``.
"""

from __future__ import annotations

import re
from typing import Any

from pydantic import BaseModel
from pydantic.json_schema import models_json_schema

from nba_mcp import __version__
from nba_mcp.catalog import CATALOG
from nba_mcp.catalog.spec import AnyTool
from nba_mcp.web.health import Health, Readiness
from nba_mcp.web.problems import MEDIA_TYPE, Problem

REF = "#/components/schemas/{model}"
PATH_PARAMETER = re.compile(r"{(\w+)}")
ERRORS = {
    "400": "Bad input (unknown stat, bad SQL, malformed JSON)",
    "404": "Unknown player, team, season or game; lists candidates",
    "409": "Ambiguous name; lists candidates",
    "422": "Invalid parameters, each named",
    "503": "The database is unavailable",
}


def openapi_document() -> dict[str, Any]:
    """Every route of the HTTP service with its parameters and response schemas."""
    components: dict[str, Any] = {}
    paths: dict[str, Any] = {}
    result_models: list[type[BaseModel]] = [Problem, Health, Readiness]
    for spec in CATALOG:
        result_models.append(spec.result)
        arguments = _lift(spec.arguments.model_json_schema(ref_template=REF), components)
        paths.setdefault(spec.route.path, {})[spec.route.method.lower()] = _operation(
            spec, arguments
        )
    _, schemas = models_json_schema([(m, "serialization") for m in result_models], ref_template=REF)
    components.update(schemas.get("$defs", {}))
    for path, model, summary in (
        ("/health", Health, "Liveness: the process answers; touches no dependency."),
        ("/ready", Readiness, "Readiness: database, cache and object store checked."),
    ):
        paths[path] = {"get": _plain_get(summary, model.__name__, path == "/ready")}
    paths["/metrics"] = {
        "get": {
            "summary": "Prometheus metrics in the text exposition format.",
            "operationId": "metrics",
            "responses": {"200": {"description": "Metrics", "content": {"text/plain": {}}}},
        }
    }
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "NBA MCP Synthesis",
            "version": __version__,
            "description": "REST mirror of the MCP tools (MCP itself: streamable HTTP at /mcp).",
        },
        "paths": paths,
        "components": {"schemas": components},
    }


def _lift(schema: dict[str, Any], components: dict[str, Any]) -> dict[str, Any]:
    components.update(schema.pop("$defs", {}))
    return schema


def _operation(spec: AnyTool, arguments: dict[str, Any]) -> dict[str, Any]:
    route, description = spec.route, spec.description
    properties: dict[str, Any] = arguments.get("properties", {})
    required = set(arguments.get("required", []))
    in_path = set(PATH_PARAMETER.findall(route.path))
    taken = {name: prop for name, prop in properties.items() if name not in route.hidden}
    parameters = [
        _parameter(name, "path" if name in in_path else "query", prop,
                   name in required or name in in_path)
        for name, prop in taken.items()
        if route.method == "GET" or name in in_path
    ]  # fmt: skip
    operation: dict[str, Any] = {
        "operationId": spec.name,
        "summary": description.split("\n")[0],
        "description": description,
        "tags": [route.path.split("/")[2]],
        "parameters": parameters,
        "responses": {
            "200": _content(
                "The tool's structured result", "application/json", spec.result.__name__
            ),
            **{code: _content(text, MEDIA_TYPE, "Problem") for code, text in ERRORS.items()},
        },
    }
    if route.method == "POST":
        body = {name: prop for name, prop in taken.items() if name not in in_path}
        operation["requestBody"] = {
            "required": True,
            "content": {
                "application/json": {
                    "schema": {
                        "type": "object",
                        "properties": body,
                        "required": sorted(required & set(body)),
                    }
                }
            },
        }
        operation["responses"]["415"] = _content("Body not JSON", MEDIA_TYPE, "Problem")
    if spec.draw is not None:  # a chart: its PNG, unless only JSON is accepted
        picture = {"schema": {"type": "string", "format": "binary"}}
        operation["responses"]["200"]["content"] = {
            "image/png": picture,
            **operation["responses"]["200"]["content"],
        }
    return operation


def _parameter(name: str, where: str, schema: dict[str, Any], required: bool) -> dict[str, Any]:
    schema = dict(schema)
    description = schema.pop("description", None)
    if where == "path" and "anyOf" in schema:  # a path segment is never null
        schema = next(s for s in schema["anyOf"] if s.get("type") != "null")
    parameter: dict[str, Any] = {"name": name, "in": where, "required": required, "schema": schema}
    if description:
        parameter["description"] = description
    if "array" in str(schema.get("type")) or any(
        s.get("type") == "array" for s in schema.get("anyOf", [])
    ):
        parameter.update(style="form", explode=True)
    return parameter


def _content(description: str, media_type: str, model: str) -> dict[str, Any]:
    return {
        "description": description,
        "content": {media_type: {"schema": {"$ref": REF.format(model=model)}}},
    }


def _plain_get(summary: str, model: str, may_fail: bool) -> dict[str, Any]:
    responses = {"200": _content("OK", "application/json", model)}
    if may_fail:
        responses["503"] = _content("A required dependency is down", "application/json", model)
    return {
        "summary": summary,
        "operationId": summary.split(":")[0].lower(),
        "responses": responses,
    }
