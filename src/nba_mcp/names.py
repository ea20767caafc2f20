"""Name keys: how a player's name is matched whatever accents or suffix it carries.

``"Nikola Jokić"``, ``"nikola jokic"`` and ``"NIKOLA JOKIC"`` share the key
``"nikola jokic"``; ``"Tim Hardaway Jr."`` has the key ``"tim hardaway"``.
"""

from __future__ import annotations

import re
import unicodedata

SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv", "v"})
_SEPARATORS = re.compile(r"[\s\-‐–]+")
_DROPPED = re.compile(r"[^a-z0-9 ]")
# Letters that Unicode decomposition leaves alone.
_LATIN = str.maketrans(
    {"ı": "i", "ø": "o", "ł": "l", "đ": "d", "ß": "ss", "æ": "ae", "œ": "oe", "þ": "th"}
)


def name_key(name: str) -> str:
    """Lower-case ASCII words of ``name`` with generational suffixes removed."""
    decomposed = unicodedata.normalize("NFKD", name)
    ascii_only = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    words = _DROPPED.sub("", _SEPARATORS.sub(" ", ascii_only.lower().translate(_LATIN))).split()
    while len(words) > 1 and words[-1] in SUFFIXES:
        words.pop()
    return " ".join(words)


def has_suffix(name: str) -> bool:
    """Whether ``name`` ends with a generational suffix (Jr., III, ...)."""
    words = _DROPPED.sub("", name.lower().replace("-", " ")).split()
    return len(words) > 1 and words[-1] in SUFFIXES
