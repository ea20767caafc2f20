"""Numeric helpers: division that never raises, and fast column access.

Every ratio in the analytics package goes through :func:`div` (pandas/scalars) or
:func:`adiv` (numpy arrays), so a player with no field-goal attempts gets ``NaN`` for FG%
instead of an exception, an ``inf`` or a warning. Formulas run on numpy arrays taken once
from the input frame (:class:`Columns`): pandas' per-operation overhead would otherwise
dominate a season's computation.
"""

from __future__ import annotations

from typing import Any, overload

import numpy as np
import numpy.typing as npt
import pandas as pd

FloatArray = npt.NDArray[np.float64]


@overload
def div(num: float, den: float) -> float: ...
@overload
def div(num: pd.Series[float] | float, den: pd.Series[float]) -> pd.Series[float]: ...
@overload
def div(num: pd.Series[float], den: pd.Series[float] | float) -> pd.Series[float]: ...


def div(num: pd.Series[float] | float, den: pd.Series[float] | float) -> pd.Series[float] | float:
    """``num / den`` with NaN where ``den`` is zero or missing (never inf, never a warning)."""
    if isinstance(num, pd.Series) or isinstance(den, pd.Series):
        index = num.index if isinstance(num, pd.Series) else den.index  # type: ignore[union-attr]
        out = adiv(np.asarray(num, dtype=np.float64), np.asarray(den, dtype=np.float64))
        return pd.Series(out, index=index, dtype=np.float64)
    n_f = float(num)
    d_f = float(den)
    if d_f == 0 or not np.isfinite(d_f):
        return float("nan")
    return n_f / d_f


def adiv(num: npt.NDArray[Any] | float, den: npt.NDArray[Any] | float) -> FloatArray:
    """Array ``num / den`` with NaN where ``den`` is zero or not finite."""
    n, d = np.broadcast_arrays(np.asarray(num, dtype=np.float64), np.asarray(den, dtype=np.float64))
    out = np.full(n.shape, np.nan)
    np.divide(n, d, out=out, where=(d != 0) & np.isfinite(d))
    return out


def adiv0(num: npt.NDArray[Any] | float, den: npt.NDArray[Any] | float) -> FloatArray:
    """Array ``num / den`` with 0 where ``den`` is zero: for terms that vanish with their base.

    Used inside composite formulas, e.g. the FT part of Oliver's scoring possessions
    is ``0.4 * FTA * (1 - (1 - FTM/FTA)**2)``, which is zero (not unknown) when FTA = 0.
    """
    return np.nan_to_num(adiv(num, den), nan=0.0)


class Columns:
    """Float64 numpy views of a frame's columns, converted once on first use."""

    __slots__ = ("_cache", "_frame")

    def __init__(self, frame: pd.DataFrame) -> None:
        self._frame = frame
        self._cache: dict[str, FloatArray] = {}

    def __getitem__(self, name: str) -> FloatArray:
        array = self._cache.get(name)
        if array is None:
            array = self._frame[name].to_numpy(dtype=np.float64)
            self._cache[name] = array
        return array

    @property
    def index(self) -> pd.Index:
        """The frame's index, to wrap results back into pandas."""
        return self._frame.index
