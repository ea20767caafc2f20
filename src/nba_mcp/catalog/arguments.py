"""Argument types several tools share, each with the message a person gets when it is wrong."""

from __future__ import annotations

import re
from typing import Annotated, Literal

from pydantic import AfterValidator, BeforeValidator, Field, WithJsonSchema
from pydantic_core import PydanticCustomError

from nba_mcp.catalog.voice import shown
from nba_mcp.seasons import season_type_of

SEASON_PATTERN = r"^\d{4}-\d{2}$"
_SEASON = re.compile(SEASON_PATTERN)


def _season(value: str) -> str:
    """``2015-16``: a four-digit year, a dash, and the next year's last two digits."""
    if not _SEASON.fullmatch(value):
        raise PydanticCustomError(
            "season_format",
            "A season is written like 2015-16, not {value}.",
            {"value": shown(value)},
        )
    if (int(value[:4]) + 1) % 100 != int(value[5:]):
        raise PydanticCustomError(
            "season_years",
            "A season spans two years in a row, like 2015-16, not {value}.",
            {"value": shown(value)},
        )
    return value


SeasonLabel = Annotated[
    str,
    AfterValidator(_season),
    WithJsonSchema({"type": "string", "pattern": SEASON_PATTERN}),
]

PlayerName = Annotated[
    str,
    Field(
        description="A player's name; accents, case and suffixes (Jr., III) are optional.",
        examples=["Stephen Curry", "Nikola Jokic"],
        min_length=1,
        max_length=80,
    ),
]
TeamName = Annotated[
    str,
    Field(
        description="A team's abbreviation, nickname, city or full name.",
        examples=["GSW", "Warriors", "Golden State Warriors"],
        min_length=1,
        max_length=60,
    ),
]
Season = Annotated[
    SeasonLabel | None,
    Field(
        description="Season written like 2015-16. Omit for the latest season loaded.",
        examples=["2015-16", "2018-19"],
    ),
]


def _season_type(value: object) -> object:
    """``Playoffs``, ``REGULAR``, ``play-in``: a season type in any case or spelling."""
    return season_type_of(value) if isinstance(value, str) else value


#: A season type, taken in any case (``Playoffs``); the schema lists the three as written.
SeasonTypeValue = Annotated[
    Literal["regular", "playoffs", "play_in"], BeforeValidator(_season_type)
]
SeasonType = Annotated[
    SeasonTypeValue,
    Field(description="regular (default), playoffs or play_in."),
]
