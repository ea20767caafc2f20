"""Errors as RFC 9457 problem details (``application/problem+json``), in one place.

Every error the HTTP surface returns has this shape; the error tree of
:mod:`nba_mcp.errors` maps to statuses here and nowhere else::

    InvalidArguments        422   (each bad parameter named in ``errors``)
    MalformedBody           400   (a body that is not JSON, or nests too deep)
    UnsupportedMediaType    415   (a body that is not sent as JSON)
    InvalidInput            400   (bad arguments the schema could not catch)
    NotFound                404   (``candidates`` lists the closest matches)
    Ambiguous               409   (``candidates`` lists the matches)
    DependencyUnavailable   503   (its ``message`` only, never the driver's ``detail``;
                                  a database OperationalError is one too)
    anything unexpected     500   (the request id only: details stay in the log)
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel, Field
from sqlalchemy.exc import OperationalError
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from nba_mcp.db.errors import database_unavailable
from nba_mcp.errors import (
    Ambiguous,
    DependencyUnavailable,
    InvalidArguments,
    InvalidInput,
    NbaMcpError,
    NotFound,
)

MEDIA_TYPE = "application/problem+json"
TYPE_PREFIX = "urn:nba-mcp:problem:"


class ParameterError(BaseModel):
    """One rejected parameter of a 422 problem."""

    parameter: str = Field(description="The parameter's name (dotted for nested fields).")
    message: str


class Problem(BaseModel):
    """An error, as RFC 9457 problem details."""

    type: str = Field(description="A URN naming the kind of problem.", examples=[TYPE_PREFIX])
    title: str = Field(description="A short summary of the kind of problem.")
    status: int = Field(description="The HTTP status code.")
    detail: str = Field(description="What went wrong with this request, for people.")
    request_id: str | None = Field(default=None, description="The request's X-Request-ID.")
    candidates: list[str] | None = Field(
        default=None, description="For 404/409 on a name: the closest valid values."
    )
    errors: list[ParameterError] | None = Field(
        default=None, description="For 422: each rejected parameter."
    )


class MalformedBody(InvalidInput):
    """A request body that is not valid JSON (400 ``malformed-json``)."""


class UnsupportedMediaType(InvalidInput):
    """A request body not sent as JSON (415)."""


class ProblemResponse(JSONResponse):
    media_type = MEDIA_TYPE


TITLES = {
    400: ("bad-request", "Bad request"),
    404: ("not-found", "Not found"),
    405: ("method-not-allowed", "Method not allowed"),
    409: ("ambiguous", "Ambiguous name"),
    413: ("body-too-large", "Request body too large"),
    415: ("unsupported-media-type", "Unsupported media type"),
    422: ("invalid-parameters", "Invalid parameters"),
    500: ("internal-error", "Internal server error"),
    503: ("dependency-unavailable", "Dependency unavailable"),
}


def problem(
    status: int,
    detail: str,
    *,
    request_id: str | None = None,
    slug: str | None = None,
    headers: Mapping[str, str] | None = None,
    **extra: Any,
) -> Response:
    """A problem+json response; ``slug`` overrides the problem type derived from the status."""
    default_slug, title = TITLES.get(status, ("error", "Error"))
    body = Problem(
        type=TYPE_PREFIX + (slug or default_slug),
        title=title,
        status=status,
        detail=detail,
        request_id=request_id,
        **extra,
    )
    return ProblemResponse(
        body.model_dump(exclude_none=True), status_code=status, headers=dict(headers or {})
    )


def request_id_of(request: Request) -> str | None:
    value = request.scope.get("state", {}).get("request_id")
    return value if isinstance(value, str) else None


def from_exception(exc: BaseException, request: Request) -> Response | None:
    """The problem for a known error, or None when ``exc`` is unexpected (a 500)."""
    rid = request_id_of(request)
    if isinstance(exc, InvalidArguments):
        errors = [ParameterError(parameter=name, message=text) for name, text in exc.problems]
        return problem(422, exc.message, request_id=rid, errors=errors)
    if isinstance(exc, MalformedBody):
        return problem(400, exc.message, request_id=rid, slug="malformed-json")
    if isinstance(exc, UnsupportedMediaType):
        return problem(415, exc.message, request_id=rid)
    if isinstance(exc, Ambiguous):
        return problem(409, exc.message, request_id=rid, candidates=exc.candidates)
    if isinstance(exc, NotFound):
        return problem(404, exc.message, request_id=rid, candidates=exc.candidates or None)
    if isinstance(exc, InvalidInput):
        return problem(400, exc.message, request_id=rid)
    if isinstance(exc, OperationalError):
        exc = database_unavailable(exc)
    if isinstance(exc, DependencyUnavailable):
        return problem(503, exc.message, request_id=rid, headers={"Retry-After": "5"})
    if isinstance(exc, NbaMcpError):
        return problem(400, exc.message, request_id=rid)
    return None


async def http_exception(request: Request, exc: Exception) -> Response:
    """Starlette's own HTTP errors (unknown route, wrong method) as problems."""
    assert isinstance(exc, HTTPException)
    detail = exc.detail
    if exc.status_code == 404:
        detail = f"No route {request.url.path}. The routes are listed at /openapi.json."
    elif exc.status_code == 405:
        detail = f"{request.method} is not allowed on {request.url.path}."
    return problem(exc.status_code, detail, request_id=request_id_of(request), headers=exc.headers)


EXCEPTION_HANDLERS = {HTTPException: http_exception}
