"""Seasons as every layer writes them: ``2015-16``, the season that starts in 2015.

A season's label names the two years it spans; its games are dated from 1 July of
the first year to 30 June of the next. Ingest checks files and payloads against
these, queries check the seasons callers ask for. The season types stored with
each game are the schema's (:data:`nba_mcp.db.models.SEASON_TYPES`).
"""

from __future__ import annotations

import datetime as dt

from nba_mcp.errors import InvalidInput


def season_label(start_year: int) -> str:
    """2015 -> ``"2015-16"``."""
    return f"{start_year}-{(start_year + 1) % 100:02d}"


def season_start_year(label: str) -> int:
    """``"2015-16"`` -> 2015; anything else is refused with the expected form."""
    head, _, tail = label.partition("-")
    if not (head.isdigit() and len(head) == 4 and tail.isdigit() and len(tail) == 2):
        raise InvalidInput(f"A season is written like 2015-16, not {label!r}.")
    start = int(head)
    if (start + 1) % 100 != int(tail):
        raise InvalidInput(f"{label!r} is not a season: the years must follow each other.")
    return start


def season_span(label: str) -> tuple[dt.date, dt.date]:
    """The first and last day a game of the season can be dated: 1 July to 30 June."""
    start = season_start_year(label)
    return dt.date(start, 7, 1), dt.date(start + 1, 6, 30)


#: How a person may write each season type, by its form in :func:`season_type_of`.
_SEASON_TYPE_FORMS: dict[str, str] = {
    "regular": "regular", "regular season": "regular", "regularseason": "regular",
    "playoffs": "playoffs", "playoff": "playoffs", "postseason": "playoffs",
    "post season": "playoffs",
    "play in": "play_in", "playin": "play_in", "play in tournament": "play_in",
}  # fmt: skip

#: Each season type as a sentence says it: "no play-in games".
SEASON_TYPE_WORDS: dict[str, str] = {
    "regular": "regular-season",
    "playoffs": "playoff",
    "play_in": "play-in",
}


def season_type_of(value: str) -> str:
    """The season type ``value`` stands for, in any case and spelling: ``Playoffs``,
    ``REGULAR``, ``Regular Season``, ``play-in`` -> ``playoffs``, ``regular``, ``play_in``.
    A value that is none of them comes back as given, for the caller to refuse."""
    form = " ".join(value.strip().lower().replace("_", " ").replace("-", " ").split())
    return _SEASON_TYPE_FORMS.get(form, value)
