"""Calling a tool of the catalogue: the one path every surface takes.

:func:`invoke` validates the arguments with the tool's model (bad ones become
:class:`~nba_mcp.errors.InvalidArguments` in the words of :mod:`nba_mcp.catalog.voice`),
answers from the result cache when it holds the answer for the current data version,
runs the tool otherwise, renders its text (and draws its picture, for a chart), and counts
the call in ``tool_calls_total{tool,status}`` and ``tool_duration_seconds{tool}``. A
database that cannot be reached becomes :class:`~nba_mcp.errors.DependencyUnavailable`
here, worded by :func:`nba_mcp.db.errors.database_unavailable`.
"""

from __future__ import annotations

import base64
import time
from collections.abc import Iterator, Mapping
from typing import Any

from pydantic import ValidationError
from sqlalchemy.exc import DataError, OperationalError

from nba_mcp.catalog.spec import Answer, AnyTool, Services, ToolArguments
from nba_mcp.catalog.voice import invalid_arguments
from nba_mcp.db.errors import database_unavailable
from nba_mcp.db.nowait import WouldWait, memory_only_now
from nba_mcp.errors import InvalidArguments, InvalidInput
from nba_mcp.jsonbody import parse_json
from nba_mcp.observability import metrics


def parse_arguments(spec: AnyTool, arguments: Mapping[str, Any]) -> ToolArguments:
    """``arguments`` validated by the tool's model, or :class:`InvalidArguments`.

    A list or object argument may also come as its JSON text (``'["A", "B"]'``), as
    some MCP clients send them and as the CLI takes them; it is parsed with the bounds
    of :func:`nba_mcp.jsonbody.parse_json`.
    """
    if not isinstance(arguments, Mapping):
        raise InvalidArguments(
            [("arguments", f"The arguments of {spec.name} must be an object of names to values.")]
        )
    values = dict(arguments)
    nul = [name for name, value in values.items() if any("\x00" in t for t in _texts(value))]
    if nul:
        raise InvalidArguments(
            [(name, f"{name} must not contain a NUL character.") for name in nul]
        )
    for name in spec.list_arguments | spec.object_arguments:
        value = values.get(name)
        if isinstance(value, str) and value.lstrip()[:1] in ("[", "{"):
            try:
                values[name] = parse_json(value, what=name)
            except InvalidInput as exc:
                raise InvalidArguments([(name, exc.message)]) from None
    try:
        args: ToolArguments = spec.arguments.model_validate(values)
    except ValidationError as exc:
        raise invalid_arguments(exc, spec.arguments, spec.name) from None
    return args


def invoke(services: Services, spec: AnyTool, arguments: Mapping[str, Any]) -> Answer:
    """The answer of ``spec`` to ``arguments``; see the module's docstring."""
    started = time.perf_counter()
    status: str | None = "error"
    try:
        args = parse_arguments(spec, arguments)
        # An answer from memory is cheaper than asking the result cache for it.
        cache = services.cache if spec.cached and not memory_only_now() else None
        if cache is None:
            answer = _answer(services, spec, args)
        else:
            answer = cache.cached(
                spec.name, args.model_dump(mode="json"),
                lambda: _answer(services, spec, args), Answer,
            )  # fmt: skip
        status = "ok"
        return answer
    except WouldWait:  # not a call yet: it runs again where it may wait
        status = None
        raise
    except OperationalError as exc:
        raise database_unavailable(exc) from exc
    except DataError:
        # The database refused a value the models let through (a number out of its range).
        raise InvalidInput("An argument holds a value the database cannot compare.") from None
    finally:
        if status is not None:
            count_call(spec.name, status, started)


def count_call(tool: str, status: str, started: float) -> None:
    """Count a call of ``tool`` begun at ``started`` (``time.perf_counter()``) in
    ``tool_calls_total`` and ``tool_duration_seconds``; surfaces that answer a repeated
    request from their own cache of finished responses count it here too."""
    counters = _COUNTERS.get((tool, status))
    if counters is None:  # labels() costs a lock and a lookup: once per tool and status
        counters = _COUNTERS[(tool, status)] = (
            metrics.TOOL_CALLS.labels(tool=tool, status=status),
            metrics.TOOL_DURATION.labels(tool=tool),
        )
    counters[0].inc()
    counters[1].observe(time.perf_counter() - started)


_COUNTERS: dict[tuple[str, str], tuple[Any, Any]] = {}


def _answer(services: Services, spec: AnyTool, args: ToolArguments) -> Answer:
    result = spec.run(services, args)
    image = base64.b64encode(spec.draw(result)).decode() if spec.draw is not None else None
    return Answer(
        data=result.model_dump(mode="json"), text=spec.render(args, result), image_png=image
    )


def _texts(value: Any) -> Iterator[str]:
    """The strings inside ``value`` (in lists and objects too, keys included), for a scan."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            yield item
        elif isinstance(item, list | tuple):
            stack.extend(item)
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
