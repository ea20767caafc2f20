"""JSON from clients, parsed with bounds: every surface reads request bodies through here.

``json.loads`` alone accepts what later hurts: nesting a thousand levels deep (a
``RecursionError`` in whatever walks it next), integers of thousands of digits (a
``ValueError`` past Python's conversion limit), ``NaN``, ``Infinity`` and ``1e999``
(non-finite numbers that break arithmetic and JSON output). :func:`parse_json` refuses
all of these, and invalid JSON or UTF-8, with one :class:`~nba_mcp.errors.InvalidInput`
that says what is wrong.
"""

from __future__ import annotations

import json
import math
from typing import Any, Final

from nba_mcp.errors import InvalidInput

#: Deepest nesting of arrays and objects a request may send.
MAX_DEPTH: Final = 32
#: Longest number literal (digits, sign, exponent) a request may send.
MAX_NUMBER_CHARS: Final = 40


def _number(literal: str) -> None:
    if len(literal) > MAX_NUMBER_CHARS:
        raise InvalidInput(
            f"A number in the JSON has {len(literal)} characters; at most {MAX_NUMBER_CHARS}."
        )


def _int(literal: str) -> int:
    _number(literal)
    return int(literal)


def _float(literal: str) -> float:
    _number(literal)
    value = float(literal)
    if not math.isfinite(value):
        raise InvalidInput(f"The number {literal} is too large: JSON numbers must be finite.")
    return value


def _constant(literal: str) -> float:
    raise InvalidInput(f"{literal} is not a JSON number: numbers must be finite.")


# Made once: json.loads and json.dumps with options build a new decoder or encoder per call.
_DECODER: Final = json.JSONDecoder(parse_int=_int, parse_float=_float, parse_constant=_constant)
_CANONICAL: Final = json.JSONEncoder(sort_keys=True, separators=(",", ":"), default=str)


def canonical_json(value: Any) -> str:
    """``value`` as JSON that is the same text for equal values (keys sorted, no spaces):
    what cache keys and result hashes are made of."""
    return _CANONICAL.encode(value)


def parse_json(raw: bytes | str, *, what: str = "The body") -> Any:
    """``raw`` parsed, or ``InvalidInput`` naming ``what`` and the problem."""
    try:
        # Bytes decoded as json.loads decodes them (UTF-8, -16 or -32 by their first bytes).
        text = (
            raw if isinstance(raw, str) else raw.decode(json.detect_encoding(raw), "surrogatepass")
        )
        value = _DECODER.decode(text)
    except RecursionError:
        raise InvalidInput(f"{what} is nested too deeply: at most {MAX_DEPTH} levels.") from None
    except UnicodeDecodeError:
        raise InvalidInput(f"{what} is not valid UTF-8.") from None
    except json.JSONDecodeError as exc:
        raise InvalidInput(f"{what} is not valid JSON: {exc}") from None
    check_depth(value, what=what)
    return value


def check_depth(value: Any, *, what: str = "The body") -> None:
    """``InvalidInput`` when ``value`` nests arrays and objects deeper than :data:`MAX_DEPTH`."""
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            children: Any = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        if depth > MAX_DEPTH:
            raise InvalidInput(f"{what} is nested too deeply: at most {MAX_DEPTH} levels.")
        stack.extend((child, depth + 1) for child in children)
