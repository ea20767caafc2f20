"""Request bodies parsed with bounds: every trick that made a 500 is one clear InvalidInput."""

from __future__ import annotations

import pytest

from nba_mcp.errors import InvalidInput
from nba_mcp.jsonbody import MAX_DEPTH, parse_json


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("[" * 1000 + "]" * 1000, "nested too deeply"),
        ("[" * 100_000, "nested too deeply"),
        ('{"a":' * (MAX_DEPTH + 1) + "1" + "}" * (MAX_DEPTH + 1), "nested too deeply"),
        ('{"limit": ' + "9" * 5000 + "}", "has 5000 characters"),
        ('{"x": 1e999}', "too large"),
        ('{"x": -1e400}', "too large"),
        ('{"x": NaN}', "NaN is not a JSON number"),
        ('{"x": Infinity}', "Infinity is not a JSON number"),
        ("{'x': 1}", "not valid JSON"),
        (b'{"x": "\xff"}', "not valid UTF-8"),
    ],
)
def test_hostile_bodies_are_invalid_input(raw: str | bytes, message: str) -> None:
    with pytest.raises(InvalidInput, match=message):
        parse_json(raw)


def test_ordinary_bodies_parse_as_json() -> None:
    nested: object = 1
    for _ in range(MAX_DEPTH - 1):
        nested = [nested]
    assert parse_json('{"query": "SELECT 1", "limit": 10, "x": 1.5e3}') == {
        "query": "SELECT 1", "limit": 10, "x": 1500.0,
    }  # fmt: skip
    assert parse_json(str(nested)) == nested
