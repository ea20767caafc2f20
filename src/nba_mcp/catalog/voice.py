"""Pydantic's validation errors, said for a person: what argument, what is allowed, what came.

Every surface shows these words (MCP tool errors, REST 422 problems, CLI errors), so the
same bad input reads the same everywhere::

    season    A season is written like 2015-16, not '2016'.
    limit     limit must be from 1 to 25, not 30.
    split     split must be one of 'home_away', 'wins_losses', ..., not 'weekday'.
"""

from __future__ import annotations

from typing import Any

import annotated_types
from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from nba_mcp.errors import InvalidArguments

SHOWN_CHARACTERS = 40


def shown(value: Any) -> str:
    """A rejected value as quoted in a message: short, one line, never the whole input."""
    if isinstance(value, bool) or value is None:
        return {True: "true", False: "false", None: "null"}[value]
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str):
        if len(value) > SHOWN_CHARACTERS:
            value = value[: SHOWN_CHARACTERS - 1] + "…"
        return repr(value)
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    return f"a {type(value).__name__}"


def invalid_arguments(exc: ValidationError, model: type[BaseModel], tool: str) -> InvalidArguments:
    """The one :class:`~nba_mcp.errors.InvalidArguments` for ``exc``, naming each argument."""
    problems = [
        (_where(error), _say(error, model, tool))
        for error in exc.errors(include_url=False, include_context=True, include_input=True)
    ]
    return InvalidArguments(problems)


def _where(error: ErrorDetails) -> str:
    return ".".join(str(part) for part in error["loc"]) or "arguments"


def _say(error: ErrorDetails, model: type[BaseModel], tool: str) -> str:
    kind, ctx, name = error["type"], error.get("ctx", {}), _where(error)
    given = shown(error.get("input"))
    low, high = _bounds(model, str(error["loc"][0])) if error["loc"] else (None, None)
    if kind == "missing":
        return f"{name} is required."
    if kind == "extra_forbidden":
        taken = ", ".join(model.model_fields) or "no arguments"
        return f"{name} is not an argument of {tool}; it takes {taken}."
    if kind in ("literal_error", "enum"):
        return f"{name} must be one of {ctx.get('expected')}, not {given}."
    if kind in ("greater_than_equal", "less_than_equal", "greater_than", "less_than"):
        given = shown(error.get("input")).strip("'")  # a number, whether it came as text or not
        if low is not None and high is not None:
            return f"{name} must be from {low} to {high}, not {given}."
        bound = next(iter(ctx.values()), "")
        side = "at least" if kind.startswith("greater") else "at most"
        return f"{name} must be {side} {bound}, not {given}."
    if kind.startswith("int_"):
        return f"{name} must be a whole number, not {given}."
    if kind.startswith("float_") or kind.startswith("decimal_"):
        return f"{name} must be a number, not {given}."
    if kind.startswith("bool_"):
        return f"{name} must be true or false, not {given}."
    if kind.startswith("date"):
        return f"{name} must be a date written like 2016-04-13, not {given}."
    if kind == "string_too_short":
        return f"{name} must not be empty."
    if kind == "string_too_long":
        return f"{name} must be at most {ctx.get('max_length')} characters long."
    if kind in ("too_short", "too_long"):
        span = f"from {low} to {high}" if low is not None and high is not None else ""
        count = ctx.get("actual_length")
        return f"{name} takes {span or 'a different number of'} values, not {count}."
    if kind == "string_type":
        return f"{name} must be text, not {given}."
    if kind == "list_type":
        return f"{name} must be a list, not {given}."
    if kind == "dict_type":
        return f"{name} must be an object of names to values, not {given}."
    message = error["msg"]
    if kind in ("season_format", "season_years") or name.split(".")[0] in message:
        return message
    return f"{name}: {message}"


def _bounds(model: type[BaseModel], argument: str) -> tuple[Any, Any]:
    """The declared (lowest, highest) of an argument, value or length, when it has them."""
    field = model.model_fields.get(argument)
    low = high = None
    for rule in field.metadata if field is not None else ():
        if isinstance(rule, annotated_types.Ge | annotated_types.MinLen):
            low = rule.ge if isinstance(rule, annotated_types.Ge) else rule.min_length
        elif isinstance(rule, annotated_types.Le | annotated_types.MaxLen):
            high = rule.le if isinstance(rule, annotated_types.Le) else rule.max_length
    return low, high
