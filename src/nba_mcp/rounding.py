"""Rounding as Basketball-Reference displays figures: exactly, half up.

``round(363 / 400, 3)`` gives 0.907 because the float 0.9075 lies a hair below the
half; Basketball-Reference shows Curry's 2015-16 FT% (363 of 400) as .908.
"""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction


def round_half_up(numerator: int | Fraction, denominator: int | Fraction, places: int) -> float:
    """``numerator / denominator`` rounded exactly, half up."""
    scale: int = 10**places
    exact = Fraction(numerator) / Fraction(denominator) * scale
    return math.floor(exact + Fraction(1, 2)) / scale


def display(value: float, places: int) -> float:
    """A computed figure rounded half up on its shortest decimal form."""
    quantum = Decimal(1).scaleb(-places)
    return float(Decimal(repr(value)).quantize(quantum, rounding=ROUND_HALF_UP))


def figure(value: object, places: int) -> float | None:
    """A computed figure for display: None for a missing or NaN value, else :func:`display`."""
    if value is None:
        return None
    number = float(value)  # type: ignore[arg-type]
    return None if math.isnan(number) else display(number, places)
