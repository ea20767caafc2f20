"""The evaluation set: questions over the loaded data with exact answers, and their scoring.

``questions.json`` (package data) is a JSON list of :class:`Question`. Each names what a
right answer must contain (:data:`Expected`) and how that value is computed from the data
(:class:`Truth`: a catalogue tool, its arguments and a path into its structured result),
so a test recomputes every expected answer on the real data. A path step is a key, a list
index (negative from the end), ``{"where": {field: value}}`` (the first item of a list
whose fields have those values), or ``{"max_by": [path]}`` / ``{"min_by": [path]}`` (the
item of a list with the largest or smallest value at that path).

:func:`score` judges a prose answer deterministically, without a model. Figures are read
as the number check reads them (:func:`nba_mcp.synthesis.numbers.extract`: seasons, dates,
game ids and "Game 7" are no figures):

- a number is right when the answer writes it at least to the expected precision and it
  rounds (half up) to the expected value: ``30.1 points`` for 30.1, not ``30.2`` nor ``30``;
  the sign counts; a fraction marked ``percent`` (TS% 0.669) is also right as ``.669`` or
  as a percentage, ``66.9%``, ``66.9 percent`` or ``TS% of 66.9``;
- a text is right when one of its forms appears as whole words, case, accents and
  possessives ignored (:func:`nba_mcp.names.name_key`); with ``rivals`` (the other
  candidates of a choice) it must also be named before any of them;
- a record is right as ``73-9``, ``73 to 9`` or ``73 wins and 9 losses`` (wins first); a
  score as its two numbers side by side in either order (``93-89``, ``Cavaliers 93,
  Warriors 89``), no other figure between them.

:func:`summarize` turns per-question outcomes into one line per model.
"""

from __future__ import annotations

import json
import math
import re
import statistics
from collections.abc import Iterable, Mapping, Sequence
from decimal import ROUND_HALF_UP, Decimal
from importlib import resources
from pathlib import Path
from typing import Annotated, Any, Literal, NamedTuple, TypeAlias

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError, model_validator

from nba_mcp.catalog import tool
from nba_mcp.catalog.invoke import invoke
from nba_mcp.catalog.spec import Services
from nba_mcp.errors import InvalidInput
from nba_mcp.names import name_key
from nba_mcp.rounding import display
from nba_mcp.synthesis.numbers import Claim, extract

PathStep: TypeAlias = str | int | dict[str, Any]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class NumberExpected(_Strict):
    kind: Literal["number"]
    value: float
    decimals: int = Field(ge=0, le=6, description="The display precision of the answer.")
    percent: bool = Field(default=False, description="A fraction also right as a percentage.")


class TextExpected(_Strict):
    kind: Literal["text"]
    value: str = Field(min_length=1, description="Exactly the string the truth path gives.")
    aliases: tuple[str, ...] = Field(default=(), description="Other right forms: 'Harden'.")
    rivals: tuple[str, ...] = Field(
        default=(), description="Forms of the wrong candidates; the right one must come first."
    )


class RecordExpected(_Strict):
    kind: Literal["record"]
    wins: int = Field(ge=0)
    losses: int = Field(ge=0)


class ScoreExpected(_Strict):
    kind: Literal["score"]
    home: int = Field(ge=0)
    away: int = Field(ge=0)


Expected: TypeAlias = Annotated[
    NumberExpected | TextExpected | RecordExpected | ScoreExpected, Field(discriminator="kind")
]


class Truth(_Strict):
    """How the expected value is computed: ``path`` to one value, or ``paths`` to the
    fields of a record (``wins``, ``losses``) or a score (``home``, ``away``)."""

    tool: str
    arguments: dict[str, Any] = Field(default_factory=dict)
    path: tuple[PathStep, ...] | None = None
    paths: dict[str, tuple[PathStep, ...]] | None = None

    @model_validator(mode="after")
    def _one_of_path_or_paths(self) -> Truth:
        if (self.path is None) == (self.paths is None):
            raise ValueError("give either path or paths")
        return self


class Question(_Strict):
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]{2,79}$")
    question: str = Field(min_length=10)
    difficulty: Literal["easy", "medium", "hard"]
    expected: Expected
    truth: Truth


_QUESTIONS = TypeAdapter(list[Question])


def load_questions(path: Path | None = None) -> list[Question]:
    """The questions of ``path``, by default the set shipped with the package."""
    if path is None:
        text = resources.files("nba_mcp.synthesis").joinpath("questions.json").read_text("utf-8")
        where = "the shipped questions.json"
    else:
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as exc:
            raise InvalidInput(f"Cannot read the questions file {path}: {exc.strerror}.") from None
        where = str(path)
    try:
        questions = _QUESTIONS.validate_python(json.loads(text))
    except (ValueError, ValidationError) as exc:
        raise InvalidInput(f"{where} is not a list of questions: {exc}") from None
    ids = [question.id for question in questions]
    repeated = sorted({i for i in ids if ids.count(i) > 1})
    if repeated:
        raise InvalidInput(f"{where} repeats the question ids {', '.join(repeated)}.")
    return questions


def truth_of(question: Question, services: Services) -> Any:
    """The value the question's truth tool gives on the loaded data: a number or a string,
    or for ``paths`` an object of the named values."""
    truth = question.truth
    data = invoke(services, tool(truth.tool), truth.arguments).data
    if truth.path is not None:
        return follow(data, truth.path)
    return {name: follow(data, path) for name, path in (truth.paths or {}).items()}


def follow(data: Any, path: Sequence[PathStep]) -> Any:
    """The value at ``path`` in ``data``; see the module's docstring for the steps."""
    value = data
    for step in path:
        try:
            value = _step(value, step)
        except (KeyError, IndexError, TypeError):
            raise InvalidInput(f"The path {list(path)} ends at {step!r}: no such value.") from None
    return value


def _step(value: Any, step: PathStep) -> Any:
    if not isinstance(step, dict):
        return value[step]
    if not isinstance(value, list) or not value:
        raise InvalidInput(f"The path step {step} needs a non-empty list.")
    if "where" in step:
        wanted: Mapping[str, Any] = step["where"]
        for item in value:
            if isinstance(item, dict) and all(item.get(k) == v for k, v in wanted.items()):
                return item
        raise InvalidInput(f"No item of the list matches {wanted}.")
    if "max_by" in step:
        return max(value, key=lambda item: follow(item, step["max_by"]))
    if "min_by" in step:
        return min(value, key=lambda item: follow(item, step["min_by"]))
    raise InvalidInput(f"Unknown path step {step}: a key, an index, where, max_by or min_by.")


def agrees(expected: Expected, truth: Any) -> bool:
    """Whether the truth computed from the data is the expected value (at its precision)."""
    if isinstance(expected, NumberExpected):
        if isinstance(truth, bool) or not isinstance(truth, int | float):
            return False
        return display(float(truth), expected.decimals) == expected.value
    if isinstance(expected, TextExpected):
        return bool(truth == expected.value)
    if isinstance(expected, RecordExpected):
        return bool(truth == {"wins": expected.wins, "losses": expected.losses})
    return bool(truth == {"home": expected.home, "away": expected.away})


# -- scoring -----------------------------------------------------------------------------

_POSSESSIVE = re.compile(r"['’]s\b")
_DASH = re.compile(r"\s*[-–—]\s*|\s+to\s+")
_WINS_AND = re.compile(r"\s+wins?\b[\s,]*(?:and|against|to|with)?\s*")
_LOSSES = re.compile(r"\s+loss(?:es)?\b")
_SIDE_BY_SIDE = 40  # characters at most between the two numbers of a score


def _is(written: Decimal, places: int, wanted: Decimal, decimals: int) -> bool:
    if places < decimals:
        return False
    quantum = Decimal(1).scaleb(-decimals)
    return written.quantize(quantum, ROUND_HALF_UP) == wanted.quantize(quantum, ROUND_HALF_UP)


def _score_number(answer: str, expected: NumberExpected) -> bool:
    value = Decimal(repr(expected.value))
    percent_places = max(expected.decimals - 2, 0)
    return any(
        _is(claim.values[0], claim.decimals[0], value, expected.decimals)
        or (
            expected.percent
            and claim.percent
            and _is(claim.values[0], claim.decimals[0], value * 100, percent_places)
        )
        for claim in extract(answer)
        if claim.kind in ("number", "rank")
    )


def _pairs(answer: str) -> list[tuple[Claim, Claim | None]]:
    """The written pairs of ``answer`` (73-9), each with None, and each number with the
    number that follows it."""
    claims = [claim for claim in extract(answer) if claim.kind in ("number", "pair")]
    found: list[tuple[Claim, Claim | None]] = []
    for claim, following in zip(claims, [*claims[1:], None], strict=True):
        if claim.kind == "pair":
            found.append((claim, None))
        elif following is not None and following.kind == "number":
            found.append((claim, following))
    return found


def _score_record(answer: str, expected: RecordExpected) -> bool:
    wanted = (Decimal(expected.wins), Decimal(expected.losses))
    for claim, following in _pairs(answer):
        if following is None:
            if claim.values == wanted:
                return True
        elif (claim.values[0], following.values[0]) == wanted:
            between = answer[claim.end : following.start]
            if _DASH.fullmatch(between) or (
                _WINS_AND.fullmatch(between) and _LOSSES.match(answer, following.end)
            ):
                return True
    return False


def _score_score(answer: str, expected: ScoreExpected) -> bool:
    wanted = sorted((Decimal(expected.home), Decimal(expected.away)))
    for claim, following in _pairs(answer):
        if following is None:
            values = list(claim.values)
        elif following.start - claim.end <= _SIDE_BY_SIDE:
            values = [claim.values[0], following.values[0]]
        else:
            continue
        if sorted(values) == wanted:
            return True
    return False


def _first_mention(answer: str, forms: Iterable[str]) -> int | None:
    positions = [answer.find(f" {name_key(form)} ") for form in forms if name_key(form)]
    found = [position for position in positions if position >= 0]
    return min(found) if found else None


def _score_text(answer: str, expected: TextExpected) -> bool:
    words = f" {name_key(_POSSESSIVE.sub('', answer))} "
    right = _first_mention(words, (expected.value, *expected.aliases))
    if right is None:
        return False
    wrong = _first_mention(words, expected.rivals)
    return wrong is None or right < wrong


def score(answer: str, expected: Expected) -> bool:
    """Whether the prose ``answer`` holds the expected answer; see the module's docstring."""
    if isinstance(expected, NumberExpected):
        return _score_number(answer, expected)
    if isinstance(expected, TextExpected):
        return _score_text(answer, expected)
    if isinstance(expected, RecordExpected):
        return _score_record(answer, expected)
    return _score_score(answer, expected)


# -- summary -----------------------------------------------------------------------------


class Outcome(NamedTuple):
    """One model's answer to one question, as the runner scored it."""

    model: str
    question_id: str
    correct: bool
    cost_usd: float | None
    latency_ms: float


class ModelScore(BaseModel):
    model: str = Field(description="provider:model")
    questions: int
    correct: int
    accuracy: float = Field(description="correct / questions, from 0 to 1.")
    cost_usd: float | None = Field(description="The sum; null when any cost is unknown.")
    median_latency_ms: float


class EvalReport(BaseModel):
    models: list[ModelScore] = Field(description="Most accurate first, then cheapest.")


def summarize(rows: Iterable[Outcome | tuple[str, str, bool, float | None, float]]) -> EvalReport:
    """One :class:`ModelScore` per model over its outcome rows."""
    by_model: dict[str, list[Outcome]] = {}
    for row in rows:
        outcome = Outcome(*row)
        by_model.setdefault(outcome.model, []).append(outcome)
    scores = []
    for model, outcomes in by_model.items():
        correct = sum(1 for outcome in outcomes if outcome.correct)
        costs = [outcome.cost_usd for outcome in outcomes]
        known = [cost for cost in costs if cost is not None]
        scores.append(
            ModelScore(
                model=model,
                questions=len(outcomes),
                correct=correct,
                accuracy=correct / len(outcomes),
                cost_usd=math.fsum(known) if len(known) == len(costs) else None,
                median_latency_ms=statistics.median(o.latency_ms for o in outcomes),
            )
        )
    scores.sort(key=lambda s: (-s.accuracy, math.inf if s.cost_usd is None else s.cost_usd))
    return EvalReport(models=scores)
