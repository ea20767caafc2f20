"""Rounding as Basketball-Reference displays figures: exactly, half up.

``round(363 / 400, 3)`` gives 0.907 because the float 0.9075 lies a hair below the
half; Basketball-Reference shows Curry's 2015-16 FT% (363 of 400) as .908.
"""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

#: How far from a half (in units of the last place kept) a scaled figure must be for
#: round() to be trusted: far beyond a float's error on any figure we show.
NEAR_HALF = 1e-6


def round_half_up(numerator: int | Fraction, denominator: int | Fraction, places: int) -> float:
    """``numerator / denominator`` rounded exactly, half up."""
    scale: int = 10**places
    if isinstance(numerator, int) and isinstance(denominator, int) and denominator:
        # floor(n / d * scale + 1/2) in integers: exact, and a tenth of Fraction's cost.
        if denominator < 0:
            numerator, denominator = -numerator, -denominator
        return ((2 * numerator * scale + denominator) // (2 * denominator)) / scale
    exact = Fraction(numerator) / Fraction(denominator) * scale
    return math.floor(exact + Fraction(1, 2)) / scale


def display(value: float, places: int) -> float:
    """A computed figure rounded half up on its shortest decimal form."""
    scaled = value * 10.0**places
    if math.isfinite(scaled) and abs(scaled - math.floor(scaled) - 0.5) > NEAR_HALF:
        # Not near a half: the binary value and its shortest decimal round alike, and
        # round() is exact; only a figure near a half needs the decimal arithmetic.
        return round(value, places)
    quantum = Decimal(1).scaleb(-places)
    return float(Decimal(repr(value)).quantize(quantum, rounding=ROUND_HALF_UP))


def figure(value: object, places: int) -> float | None:
    """A computed figure for display: None for a missing or NaN value, else :func:`display`."""
    if value is None:
        return None
    number = float(value)  # type: ignore[arg-type]
    return None if math.isnan(number) else display(number, places)
