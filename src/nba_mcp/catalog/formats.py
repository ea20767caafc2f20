"""How each stat is shown to a person: its label and its decimals, Basketball-Reference's way.

One table, :data:`FORMATS`, keyed by the names the results and the season tables use
(``pts`` a total, ``pts_per_g`` per game, ``ts_pct``, ``mov``, ...). The tools' texts
(:mod:`nba_mcp.catalog.render`) and the CLI's tables both format through it, so a stat
has the same label and the same number of decimals wherever it is shown. The data
(the structured results, JSON) keeps its own precision; only the text is formatted.

Basketball-Reference's conventions, followed here:

- totals and games are whole numbers, minutes included (``MP 2700``);
- per-game, per-36 and per-100 figures have one decimal (``PTS 30.1``, ``MP 34.2``);
- shooting and other fractions three places without the leading zero (``TS% .669``,
  ``WS/48 .318``; 1 stays ``1.000``);
- rates in percentage points (``USG% 32.6``), ratings, PER, win shares, BPM and VORP one
  decimal;
- MOV, SRS and SOS two decimals (``MOV 10.76``, and ``1.80``, not ``1.8``).

Every figure is rounded half up (:func:`nba_mcp.rounding.display`), as Basketball-Reference
rounds, never half to even.
"""

from __future__ import annotations

from dataclasses import dataclass

from nba_mcp.boxscore import BOX_STATS
from nba_mcp.rounding import display

MISSING = "-"
"""What a missing figure (no attempts, a zero denominator) is shown as."""


@dataclass(frozen=True)
class Format:
    """One stat's label and decimals; ``fraction`` for the ``.669`` style."""

    label: str
    places: int | None  # None: shown as it is (a stat this table does not know)
    fraction: bool = False

    def __call__(self, value: float | int | None) -> str:
        """``value`` as Basketball-Reference prints it; :data:`MISSING` if none."""
        if value is None:
            return MISSING
        if self.places is None:
            return f"{value:g}" if isinstance(value, float) else str(value)
        rounded = display(float(value), self.places) + 0.0  # + 0.0: no "-0.0"
        shown = f"{rounded:.{self.places}f}"
        if self.fraction and abs(rounded) < 1:
            return shown.replace("0.", ".", 1)
        return shown


def fraction(value: float | None) -> str:
    """A fraction the Basketball-Reference way: ``.669`` (``1.000`` stays whole)."""
    return _FRACTION(value)


_FRACTION = Format("", 3, fraction=True)

#: Basketball-Reference's column headers of the counting stats.
_COUNT_LABELS = {
    "g": "G", "gs": "GS", "mp": "MP",
    "fgm": "FG", "fga": "FGA", "fg3m": "3P", "fg3a": "3PA", "fg2m": "2P", "fg2a": "2PA",
    "ftm": "FT", "fta": "FTA", "oreb": "ORB", "dreb": "DRB", "reb": "TRB", "ast": "AST",
    "stl": "STL", "blk": "BLK", "tov": "TOV", "pf": "PF", "pts": "PTS",
}  # fmt: skip
_FRACTIONS = {
    "fg_pct": "FG%", "fg2_pct": "2P%", "fg3_pct": "3P%", "ft_pct": "FT%", "efg_pct": "eFG%",
    "ts_pct": "TS%", "fg3a_rate": "3PAr", "fta_rate": "FTr", "ws_per_48": "WS/48",
    "win_pct": "W-L%", "ft_per_fga": "FT/FGA", "opp_efg_pct": "Opp eFG%",
    "opp_ts_pct": "Opp TS%", "opp_ft_per_fga": "Opp FT/FGA",
}  # fmt: skip
_ONE_DECIMAL = {
    "orb_pct": "ORB%", "drb_pct": "DRB%", "trb_pct": "TRB%", "ast_pct": "AST%",
    "stl_pct": "STL%", "blk_pct": "BLK%", "tov_pct": "TOV%", "usg_pct": "USG%",
    "opp_tov_pct": "Opp TOV%", "ortg": "ORtg", "drtg": "DRtg", "net_rtg": "NRtg",
    "pace": "Pace", "poss": "Poss", "per": "PER", "ows": "OWS", "dws": "DWS", "ws": "WS",
    "obpm": "OBPM", "dbpm": "DBPM", "bpm": "BPM", "vorp": "VORP", "game_score": "GmSc",
    "opp_pts_per_g": "Opp PTS/G",
}  # fmt: skip
_TWO_DECIMALS = {"mov": "MOV", "srs": "SRS", "sos": "SOS"}
#: The calculator's metrics that are not season-table stats (``calculate_metric``).
_METRICS = {
    "possessions": Format("Poss", 1), "ortg_team": Format("ORtg", 1),
    "pythagorean_win_pct": Format("Pyth W-L%", 3, fraction=True),
    "per_36": Format("Per 36", 1), "per_game": Format("Per game", 1),
    "games_behind": Format("GB", 1),
}  # fmt: skip
_WHOLE = {"wins": "W", "losses": "L", "pyth_wins": "PW", "pyth_losses": "PL"}


def _table() -> dict[str, Format]:
    formats: dict[str, Format] = {}
    for stat in ("g", "gs", "mp", "fg2m", "fg2a", "reb", *BOX_STATS):
        formats[stat] = Format(_COUNT_LABELS[stat], 0)
    for stat in ("mp", "fg2m", "fg2a", "reb", *BOX_STATS):
        label = _COUNT_LABELS[stat]
        formats[f"{stat}_per_g"] = Format(f"{label}/G", 1)
        formats[f"{stat}_per_36"] = Format(f"{label}/36", 1)
        formats[f"{stat}_per_100"] = Format(f"{label}/100", 1)
    formats.update({stat: Format(label, 3, fraction=True) for stat, label in _FRACTIONS.items()})
    formats.update({stat: Format(label, 1) for stat, label in _ONE_DECIMAL.items()})
    formats.update({stat: Format(label, 2) for stat, label in _TWO_DECIMALS.items()})
    formats.update({stat: Format(label, 0) for stat, label in _WHOLE.items()})
    formats.update(_METRICS)
    return formats


FORMATS: dict[str, Format] = _table()
"""Stat name -> its :class:`Format`; see the module's docstring."""


def format_of(stat: str) -> Format:
    """The format of ``stat``; a stat this table does not know is shown as it is."""
    return FORMATS.get(stat) or Format(stat, None)


def show(stat: str, value: float | int | None) -> str:
    """``value`` of ``stat`` as text: ``show("mov", 1.8)`` is ``"1.80"``."""
    return format_of(stat)(value)


def labelled(stat: str, value: float | int | None) -> str:
    """Label and value: ``labelled("ts_pct", 0.641)`` is ``"TS% .641"``."""
    return f"{format_of(stat).label} {show(stat, value)}"


def minutes(value: float | int) -> str:
    """Minutes of one game or an average: one decimal (``34.2``)."""
    return show("mp_per_g", value)


def per_game(stat: str, value: float | int | None) -> str:
    """A per-game average of counting stat ``stat`` (``pts``): one decimal."""
    return show(f"{stat}_per_g", value)
