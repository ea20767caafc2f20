"""The numbers of an answer, and whether the results its sentences cite hold them.

A deterministic check, not a model: :func:`extract` reads every figure of an answer and
:func:`check` looks each one up in the JSON results of the calls its sentence cites.

What counts as a figure (a :class:`Claim`):

- integers ``73``, ``2,375``, ``1316``; decimals ``30.1``, ``.669``, ``0.669``; signed
  ``+9.0``, ``-2.1``, ``−2.1`` (a sign only when no letter or digit touches it on the left:
  ``10-for-20`` is 10 and 20);
- claims in percent: ``66.9%``, ``66.9 percent``, ``3.2 percentage points``, ``45.4 3P%``,
  and a number right after a ``%`` (``TS%: 62.1``, ``USG% 32.6``);
- records, scores and ranges ``73-9``, ``111–95``, ``25-30``: one claim of two values;
- ranks ``1st``, ``2nd``, ``#1``: kind ``rank``, matched like any integer (a ``rank`` field
  holds them); rank words ("first") are words, not figures;
- identifiers: a digit run with a leading zero (the game id ``0021500003``), or any figure of
  more than 40 digits, is kind ``id``: no numeric value, matched as text.

What is not a figure: citation markers ``[1]``, ``[1, 2]``, ``[1-3]``; seasons and spans of
years ``2015-16``, ``2015–16``, ``2015/16``, ``2014-2016``; dates ``2016-04-13``,
``4/13/2016``, ``April 13, 2016``, ``13 April`` (the day too); clock times ``2:31``; ``'07``;
a year: 1946 to 2100 in four digits without a comma, after a month or a word such as in,
since, during, from, of, the, season, draft, summer (unless a stat noun follows: "in 2016
games" is a figure), or before season, playoffs, draft, Finals, NBA or ``'s``, or alone in
parentheses, or joined to the year before it by and, or, to, through or a comma; digits
touching letters (``Q4``, ``FG3M``, ``76ers``, ``1990s``, ``3PT``, ``2OT``; only st/nd/rd/th
and ppg, rpg, apg, spg, bpg, mpg, topg, pts may follow) or inside ``1.2.3``; ``3-point`` and
``2-pointer``; a number before quarter, half, period, overtime or OT; ``Game 7``; a list
marker ``1.`` opening a line.

A claim's citations are the ``[n]`` markers of its sentence. A sentence ends at ``.``, ``!``
or ``?`` before a space (not after Jr., vs., No., a month abbreviation or an initial) and at
every line break; markers right after its end (``... 30.1 points. [1]``) belong to it.

What matches: a claim matches when each of its values is within half a unit of its last
shown place of a number anywhere in a result its sentence cites, that is when the result
rounds to it (30.0833 matches 30.1; 30.1 matches 30; 30.0833 does not match 30.08; a value
exactly halfway matches both neighbours, so half-up and half-even displays pass). A claim in
percent matches a fraction ×100 (45.4% matches 0.4540) and percentage points (32.6% matches
32.6); a bare number matches neither way (45 does not match 0.454). A claim without a sign
matches a value of either sign (outscored by "2.1" matches -2.1), a signed one only its own.
The two values of a pair may come from different places or different cited results. The
numbers of a result are its ints, floats and Decimals (not booleans) and the figures written
in its strings, read by the rules above (``"2375"``, ``"58 of 82 games"``); a claim also
matches a string equal to its text (``"73-9"``), and an ``id`` a digit run of a string. A
claim whose sentence cites nothing is unmatched as "uncited"; a marker naming no recorded
call is reported as such.

Bounds, since every input is hostile: only the first :data:`MAX_ANSWER_CHARS` characters of
an answer are read (cut after a sentence, else at a space), and :func:`check` counts the
unread tail of a longer answer as one more unmatched item, so no figure hides past the cut.
Results are walked without recursion (any depth, cycles included) over at most
:data:`MAX_NODES` values per check, all cited results together; strings give at most
:data:`MAX_STRING_SCAN` characters each and :data:`MAX_STRING_CHARS` in all. A number past a
cap is not found: the check fails safe.
"""

from __future__ import annotations

import math
import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any, Final, Literal, TypeAlias

from nba_mcp.synthesis.types import NumberCheck

__all__ = ["MAX_ANSWER_CHARS", "MAX_NODES", "Claim", "Kind", "check", "extract"]

Kind: TypeAlias = Literal["number", "pair", "rank", "id"]

#: Characters of an answer that are read; the rest counts as one unmatched item.
MAX_ANSWER_CHARS: Final = 20_000
#: Values of the cited results walked per check, all results together.
MAX_NODES: Final = 200_000
#: Characters of result strings read per check, and per string.
MAX_STRING_CHARS: Final = 200_000
MAX_STRING_SCAN: Final = 2_000
#: Digits beyond which a figure is an identifier, matched as text.
MAX_DIGITS: Final = 40
FIRST_YEAR, LAST_YEAR = 1946, 2100


@dataclass(frozen=True, slots=True)
class Claim:
    """A figure of the answer as written, with where it is and what its sentence cites.

    ``text`` as written (``45.4%``, ``73-9``, ``−2.1``, ``#1``, ``0021500003``); ``values``
    one, two for a pair, none for an ``id``; ``decimals`` shown, one per value; ``percent``
    for a claim in percent; ``signed`` when a sign was written (``+9.0``, ``-2.1``);
    ``start``/``end`` its span in the answer; ``citations`` the ids of its sentence's markers.
    """

    text: str
    values: tuple[Decimal, ...]
    decimals: tuple[int, ...]
    percent: bool
    signed: bool
    kind: Kind
    start: int
    end: int
    citations: tuple[int, ...] = ()


@dataclass(frozen=True, slots=True)
class _Cite:
    start: int
    ids: tuple[int, ...]


_NUM = r"(?:(?:[0-9]{1,3}(?:,[0-9]{3})+(?![0-9]|,[0-9])|[0-9]+)(?:\.[0-9]+)?|\.[0-9]+)"
_ITEM = r"[0-9]{1,6}(?:[ \t]*[-–][ \t]*[0-9]{1,6})?"
_CITE = rf"\[[ \t]*{_ITEM}(?:[ \t]*,[ \t]*{_ITEM})*[ \t]*\]"
_DATE = (
    r"[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}|[0-9]{1,2}[/-][0-9]{1,2}[/-][0-9]{4}"
    r"|[0-9]{1,2}:[0-9]{2}(?::[0-9]{2})?(?:\.[0-9]+)?"
)
_PCT = r"[ \t]?%|\s+(?i:percent|per\s+cent|percentage\s+points?)\b|[ \t][A-Za-z0-9]{1,4}%"
_TOKEN = re.compile(
    rf"(?P<cite>{_CITE})|(?P<skip>{_DATE})"
    rf"|(?P<sign>[-+−]?)(?P<a>{_NUM})(?:(?P<sep>[-–−])(?P<b>{_NUM}))?(?P<pct>{_PCT})?"
)
_MONTH = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November"
    r"|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)"
)
_ORD = r"(?:st|nd|rd|th)"
_MONTH_THEN_YEAR = re.compile(
    rf"\b{_MONTH}\.?,?\s+(?:[0-9]{{1,2}}{_ORD}?,?\s+)?$|\b[0-9]{{1,2}}{_ORD}?\s+(?:of\s+)?{_MONTH}\.?,?\s+$"
)
_MONTH_THEN_DAY = re.compile(rf"\b{_MONTH}\.?\s+(?:the\s+)?$")
_DAY_THEN_MONTH = re.compile(rf"\s+(?:of\s+)?{_MONTH}\b")
_YEAR_BEFORE = re.compile(
    r"\b(?i:in|since|during|from|until|till|through|thru|before|after|by|of|circa|around"
    r"|year|season|summer|fall|autumn|spring|winter|draft|class|the|early|late|mid)[\s-]+$"
)
_YEAR_AFTER = re.compile(
    r"['’]s\b|\s+(?i:seasons?|draft|playoffs?|postseason|finals|nba|all-star|offseason"
    r"|campaign|title|championship|olympics|regular)\b"
)
_FIGURE_AFTER = re.compile(
    r"\s+(?i:points?|pts|rebounds?|boards|assists?|steals?|blocks?|turnovers?|fouls?|games?"
    r"|minutes?|mins?|shots?|attempts?|threes|makes|field|free|wins?|losses|possessions?)\b"
)
_CHAIN = re.compile(r"\s*(?:,|,?\s*and|,?\s*or|to|through|thru|until|&|-|–)\s*")
_SHOT = re.compile(r"[-\s]?(?i:pointers?|points?|pt)\b")
_PERIOD = re.compile(r"[-\s]?(?i:quarters?|qtrs?|half|halves|periods?|overtimes?|ot)\b")
_GAME = re.compile(r"\bGames?\s+$")
_PCT_BEFORE = re.compile(r"%\s*(?::|=|(?i:of|was|at|is))?\s*$")
_LIST_MARK = re.compile(r"[.)]\s")
_LINE_OPEN = re.compile(r"[ \t>#]*")
_LETTERS = re.compile(r"[^\W\d_]+")
_ORDINALS: Final = frozenset({"st", "nd", "rd", "th"})
_UNITS: Final = frozenset({"ppg", "rpg", "apg", "spg", "bpg", "mpg", "topg", "pts"})
_DASHES = str.maketrans({"−": "-", "–": "-", "—": "-"})

_END = re.compile(r"[.!?]+[\"'”’)]*(?=\s|$)|\n")
_TRAILING = re.compile(rf"(?:[ \t]*{_CITE})+")
_WORD_BEFORE = re.compile(r"([A-Za-z]+(?:\.[A-Za-z]+)*)$")
_ABBREVIATIONS: Final = frozenset(
    {"vs", "v", "Jr", "Sr", "St", "Mr", "Mrs", "Ms", "Dr", "No", "Nos", "approx", "ca", "e.g"}
    | {"i.e", "Jan", "Feb", "Mar", "Apr", "Jun", "Jul", "Aug", "Sep", "Sept", "Oct", "Nov"}
    | {"Dec", "Ft", "Mt", "Gen", "Lt"}
)


def extract(answer: str) -> list[Claim]:
    """Every figure of ``answer`` (its first :data:`MAX_ANSWER_CHARS` characters), in order."""
    text = _cut(answer)
    starts = _sentence_starts(text)
    cites: dict[int, set[int]] = {}
    claims: list[Claim] = []
    for item in _scan(text):
        if isinstance(item, _Cite):
            cites.setdefault(bisect_right(starts, item.start), set()).update(item.ids)
        else:
            claims.append(item)
    return [
        replace(claim, citations=tuple(sorted(cites.get(bisect_right(starts, claim.start), ()))))
        for claim in claims
    ]


def check(answer: str, cited: Mapping[int, Any]) -> tuple[NumberCheck, list[Claim]]:
    """Each figure of ``answer`` looked up in the results (id -> JSON) its sentence cites."""
    claims = extract(answer)
    budget = _Budget()
    indexes: dict[int, _Index] = {}
    unmatched: list[str] = []
    for claim in claims:
        reason = _verdict(claim, cited, indexes, budget)
        if reason is not None:
            unmatched.append(f"{claim.text} ({reason})")
    numbers = len(claims)
    if len(answer) > MAX_ANSWER_CHARS:
        numbers += 1
        unmatched.append(f"… (the answer past {MAX_ANSWER_CHARS} characters is not checked)")
    result = NumberCheck(numbers=numbers, matched=numbers - len(unmatched), unmatched=unmatched)
    return result, claims


def _cut(answer: str) -> str:
    """The first :data:`MAX_ANSWER_CHARS` characters, cut after a sentence or at a space."""
    if len(answer) <= MAX_ANSWER_CHARS:
        return answer
    text = answer[:MAX_ANSWER_CHARS]
    starts = _sentence_starts(text)
    if starts and starts[-1] > MAX_ANSWER_CHARS // 2:
        return text[: starts[-1]]
    space = max(text.rfind(blank) for blank in " \n\t")
    return text[: space if space > MAX_ANSWER_CHARS // 2 else MAX_ANSWER_CHARS]


def _sentence_starts(text: str) -> list[int]:
    """Where each sentence after the first begins (the first begins at 0)."""
    starts: list[int] = []
    for end in _END.finditer(text):
        if starts and end.start() < starts[-1]:
            continue
        stop = end.end()
        if end.group() != "\n":
            if end.group() == ".":
                word = _WORD_BEFORE.search(text, max(0, end.start() - 12), end.start())
                if word and _abbreviation(word.group()):
                    continue
            trailing = _TRAILING.match(text, stop)
            if trailing:
                stop = trailing.end()
        starts.append(stop)
    return starts


def _abbreviation(word: str) -> bool:
    """Jr., vs., No., Sept. or an initial (J. R. Smith): a period that ends no sentence."""
    return word in _ABBREVIATIONS or (len(word) == 1 and word.isupper())


def _cite_ids(marker: str) -> tuple[int, ...]:
    ids: set[int] = set()
    for item in marker.strip("[] \t").split(","):
        first, _, last = item.replace("–", "-").partition("-")
        low = int(first)
        high = int(last) if last else low
        ids.update(range(low, min(high, low + 50) + 1))
    return tuple(sorted(ids))


def _scan(text: str) -> Iterator[_Cite | Claim]:
    """Citation markers and figures of ``text``, by the rules of the module docstring."""
    last_year = -1
    for found in _TOKEN.finditer(text):
        if found["cite"]:
            yield _Cite(found.start(), _cite_ids(found["cite"]))
        elif not found["skip"]:
            read = _read(text, found, last_year)
            if read == "year":
                last_year = found.end()
            elif read is not None:
                yield read


def _read(text: str, found: re.Match[str], last_year: int) -> Claim | Literal["year"] | None:
    """The figure of one numeric token; "year" for a season or a year; None for no figure."""
    start, end = found.start(), found.end()
    sign, first, second, pct = found["sign"], found["a"], found["b"], found["pct"]
    before = text[start - 1] if start else " "
    if sign and (before.isalnum() or before in "._"):
        sign, start, before = "", start + 1, sign  # a hyphen (10-for-20), not a sign
    if before.isalnum() or before in "._":
        return None  # inside an identifier or a word: Q4, FG3M, 1.2.3
    kind: Kind = "pair" if second else "number"
    if before == "#" and not second:
        kind, start = "rank", start - 1
    after = text[end : end + 40]
    if not pct:
        letters = _LETTERS.match(after)
        if letters:
            suffix = letters.group().lower()
            if suffix in _ORDINALS and not second and first.isdigit():
                kind, end = "rank", end + len(suffix)
                after = text[end : end + 40]
            elif suffix not in _UNITS:
                return None  # 76ers, 1990s, 3PT, 2OT
        if after[:1] == "." and after[1:2].isdigit():
            return None
    written = text[start:end]
    plain = not sign and not pct and first.isdigit()
    if (len(written) > MAX_DIGITS and sum(ch.isdigit() for ch in written) > MAX_DIGITS) or (
        plain and not second and kind == "number" and len(first) > 1 and first[0] == "0"
    ):
        return Claim(written, (), (), False, False, "id", start, end)
    if plain and second and _is_span(first, second):
        return "year"
    if plain and not second:
        label = _label(text, first, start, end, kind=kind, last_year=last_year)
        if label != "figure":
            return label
    parts = [first, second] if second else [first]
    values = tuple(Decimal(part.replace(",", "")) for part in parts)
    if sign in ("-", "−"):
        values = (-values[0], *values[1:])
    decimals = tuple(len(part.partition(".")[2]) for part in parts)
    percent = bool(pct) or (
        "%" in text[max(0, start - 12) : start]
        and _PCT_BEFORE.search(text, max(0, start - 12), start) is not None
    )
    return Claim(written, values, decimals, percent, bool(sign), kind, start, end)


def _label(
    text: str, digits: str, start: int, end: int, *, kind: Kind, last_year: int
) -> Literal["figure", "year"] | None:
    """An unsigned integer in its context: a figure, a year, or no figure (a day, Game 7)."""
    value = int(digits)
    before, after = text[max(0, start - 40) : start], text[end : end + 40]
    if (
        (value in (2, 3) and _SHOT.match(after))
        or _PERIOD.match(after)
        or ("Game" in before and _GAME.search(before))
        or (before[-1:] in ("'", "’") and len(digits) == 2)
        or (kind != "rank" and _LIST_MARK.match(after) and _opens_line(text, start))
    ):
        return None
    day = len(digits) <= 2 and 1 <= value <= 31
    if day and (_MONTH_THEN_DAY.search(before) or _DAY_THEN_MONTH.match(after)):
        return None
    year = len(digits) == 4 and FIRST_YEAR <= value <= LAST_YEAR and kind != "rank"
    return "year" if year and _is_year(text, start, end, last_year) else "figure"


def _opens_line(text: str, start: int) -> bool:
    line = text.rfind("\n", 0, start) + 1
    return _LINE_OPEN.fullmatch(text, line, start) is not None


def _is_span(first: str, second: str) -> bool:
    """A season (2015-16, 1999-00) or a span of years (2016-18, 2014-2016)."""
    if len(first) != 4 or not FIRST_YEAR <= int(first) <= LAST_YEAR:
        return False
    year, other = int(first), int(second)
    if len(second) == 2:
        return other == (year + 1) % 100 or year % 100 < other
    return len(second) == 4 and year < other <= year + 50


def _is_year(text: str, start: int, end: int, last_year: int) -> bool:
    before = text[max(0, start - 40) : start]
    after = text[end : end + 40]
    if _MONTH_THEN_YEAR.search(before):
        return True
    if before.endswith("(") and after.startswith(")"):
        return True
    if last_year >= 0 and start - last_year <= 16 and _CHAIN.fullmatch(text, last_year, start):
        return True
    if _FIGURE_AFTER.match(after):
        return False
    return bool(_YEAR_AFTER.match(after) or _YEAR_BEFORE.search(before))


_DONE: Final = object()


@dataclass
class _Budget:
    nodes: int = MAX_NODES
    chars: int = MAX_STRING_CHARS


@dataclass
class _Index:
    """What one cited result holds: its numbers (sorted), their magnitudes, its strings."""

    numbers: list[Decimal] = field(default_factory=list)
    magnitudes: list[Decimal] = field(default_factory=list)
    texts: set[str] = field(default_factory=set)
    runs: set[str] = field(default_factory=set)

    def holds(self, value: Decimal, places: int, *, percent: bool, signed: bool) -> bool:
        half = Decimal(5).scaleb(-places - 1)
        pool = self.numbers if signed else self.magnitudes
        low, high = value - half, value + half
        return _near(pool, low, high) or (percent and _near(pool, low / 100, high / 100))


def _near(pool: list[Decimal], low: Decimal, high: Decimal) -> bool:
    at = bisect_left(pool, low)
    return at < len(pool) and pool[at] <= high


def _index(result: Any, budget: _Budget) -> _Index:
    """Walk ``result`` without recursion, within the budget shared by the whole check."""
    index = _Index()
    stack: list[Iterator[Any]] = [iter((result,))]  # document order, memory by depth
    while stack and budget.nodes > 0:
        node = next(stack[-1], _DONE)
        if node is _DONE:
            stack.pop()
            continue
        budget.nodes -= 1
        if isinstance(node, bool) or node is None:
            continue
        if isinstance(node, int):
            if -(10**MAX_DIGITS) < node < 10**MAX_DIGITS:
                index.numbers.append(Decimal(node))
        elif isinstance(node, float):
            if math.isfinite(node):
                index.numbers.append(Decimal(repr(node)))
        elif isinstance(node, Decimal):
            if node.is_finite():
                index.numbers.append(node)
        elif isinstance(node, str):
            _read_string(node, index, budget)
        elif isinstance(node, Mapping):
            stack.append(iter(node.values()))
        elif isinstance(node, (list, tuple)):
            stack.append(iter(node))
    index.numbers.sort()
    index.magnitudes = sorted(abs(number) for number in index.numbers)
    return index


def _read_string(text: str, index: _Index, budget: _Budget) -> None:
    if len(text) <= 64:
        index.texts.add(text.strip().translate(_DASHES))
    part = text[: min(MAX_STRING_SCAN, budget.chars)]
    budget.chars -= len(part)
    index.runs.update(re.findall(r"[0-9]+", part))
    for item in _scan(part):
        if isinstance(item, Claim):
            index.numbers.extend(item.values)


def _verdict(
    claim: Claim, cited: Mapping[int, Any], indexes: dict[int, _Index], budget: _Budget
) -> str | None:
    """None when the claim is in a result its sentence cites, else why not."""
    if not claim.citations:
        return "uncited"
    known = [number for number in claim.citations if number in cited]
    unknown = [number for number in claim.citations if number not in cited]
    pools = []
    for number in known:
        if number not in indexes:
            indexes[number] = _index(cited[number], budget)
        pools.append(indexes[number])
    text = claim.text.strip().translate(_DASHES)
    if any(text in pool.texts or (claim.kind == "id" and text in pool.runs) for pool in pools):
        return None
    missing = [
        value
        for value, places in zip(claim.values, claim.decimals, strict=True)
        if not any(
            pool.holds(value, places, percent=claim.percent, signed=claim.signed) for pool in pools
        )
    ]
    if pools and claim.values and not missing:
        return None
    reasons = []
    if known:
        where = "[" + ", ".join(map(str, known)) + "]"
        parts = f"{', '.join(map(str, missing))} not in" if len(claim.values) > 1 else "not in"
        reasons.append(f"{parts} {where}")
    if unknown:
        names = ", ".join(f"[{number}]" for number in unknown)
        reasons.append(f"{names} {'is' if len(unknown) == 1 else 'are'} not a recorded call")
    return "; ".join(reasons)
