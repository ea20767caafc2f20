"""Division that never raises: a zero (or missing) denominator gives NaN.

Every ratio in the analytics package goes through :func:`div`, so a player with no
field-goal attempts gets ``NaN`` for FG% instead of an exception or an ``inf``.
"""

from __future__ import annotations

from typing import TypeVar, overload

import numpy as np
import numpy.typing as npt
import pandas as pd

FloatArray = npt.NDArray[np.float64]
Numeric = TypeVar("Numeric", float, "pd.Series[float]", FloatArray)


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
        n = np.asarray(num, dtype=np.float64)
        d = np.asarray(den, dtype=np.float64)
        n, d = np.broadcast_arrays(n, d)
        out = np.full(n.shape, np.nan)
        ok = (d != 0) & np.isfinite(d)
        np.divide(n, d, out=out, where=ok)
        return pd.Series(out, index=index, dtype=np.float64)
    n_f = float(num)
    d_f = float(den)
    if d_f == 0 or not np.isfinite(d_f):
        return float("nan")
    return n_f / d_f


def div0(num: pd.Series[float], den: pd.Series[float] | float) -> pd.Series[float]:
    """``num / den`` with 0 where ``den`` is zero: for terms that vanish with their base.

    Used inside composite formulas, e.g. the FT part of Oliver's scoring possessions
    is ``0.4 * FTA * (1 - (1 - FTM/FTA)**2)``, which is zero (not unknown) when FTA = 0.
    """
    return div(num, den).fillna(0.0)
