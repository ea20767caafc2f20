"""The shipped evaluation set: its expected answers recomputed on the real data, its scoring
of prose answers, and the per-model summary."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine

from nba_mcp.catalog import BY_NAME
from nba_mcp.catalog.spec import Services
from nba_mcp.config import Settings
from nba_mcp.errors import InvalidInput
from nba_mcp.synthesis.evaluation import (
    Expected,
    NumberExpected,
    Outcome,
    Question,
    RecordExpected,
    ScoreExpected,
    TextExpected,
    agrees,
    follow,
    load_questions,
    score,
    summarize,
    truth_of,
)

QUESTIONS = load_questions()


@pytest.fixture(scope="module")
def services(loaded_engine: Engine) -> Services:
    return Services(Settings(_env_file=None), loaded_engine)  # type: ignore[call-arg]


@pytest.mark.parametrize("question", QUESTIONS, ids=[q.id for q in QUESTIONS])
def test_expected_answer_is_what_the_data_gives(question: Question, services: Services) -> None:
    truth = truth_of(question, services)
    assert agrees(question.expected, truth), f"{question.id}: the data gives {truth!r}"


def test_shipped_set_is_large_and_varied() -> None:
    assert len(QUESTIONS) >= 30
    assert len({q.id for q in QUESTIONS}) == len(QUESTIONS)
    assert {q.expected.kind for q in QUESTIONS} == {"number", "text", "record", "score"}
    assert {q.difficulty for q in QUESTIONS} == {"easy", "medium", "hard"}
    assert len({q.truth.tool for q in QUESTIONS}) >= 12


def test_truths_read_data_and_never_call_a_model() -> None:
    for question in QUESTIONS:
        assert BY_NAME[question.truth.tool].scope in ("read", "sql"), question.id


def test_every_truth_names_its_season() -> None:
    """Without a season a tool answers for the latest season loaded, which a load may change."""
    for question in QUESTIONS:
        arguments = question.truth.arguments
        if question.truth.tool not in ("run_sql", "calculate_metric", "find_team", "find_player"):
            assert "season" in arguments or "game_id" in arguments, question.id


def _prose(expected: Expected) -> str:
    """A right answer written as a person would."""
    if isinstance(expected, NumberExpected):
        return f"It was {expected.value:,.{expected.decimals}f}, per the data."
    if isinstance(expected, TextExpected):
        return f"That was {expected.value}."
    if isinstance(expected, RecordExpected):
        return f"They went {expected.wins}-{expected.losses}."
    return f"The final was {expected.home}-{expected.away}."


@pytest.mark.parametrize("question", QUESTIONS, ids=[q.id for q in QUESTIONS])
def test_a_right_answer_scores_right(question: Question) -> None:
    assert score(_prose(question.expected), question.expected)


def _write(tmp_path: Path, questions: Any) -> Path:
    path = tmp_path / "questions.json"
    path.write_text(json.dumps(questions), encoding="utf-8")
    return path


def test_load_questions_reads_a_file_of_ones_own(tmp_path: Path) -> None:
    mine = [QUESTIONS[0].model_dump(mode="json", exclude_defaults=True)]
    assert load_questions(_write(tmp_path, mine)) == [QUESTIONS[0]]


def test_load_questions_refuses_repeated_ids(tmp_path: Path) -> None:
    twice = [QUESTIONS[0].model_dump(mode="json")] * 2
    with pytest.raises(InvalidInput, match=QUESTIONS[0].id):
        load_questions(_write(tmp_path, twice))


@pytest.mark.parametrize(
    "broken",
    [
        {"questions": []},
        [{"id": "x-1", "question": "What is it, then?", "difficulty": "easy"}],
        [{**QUESTIONS[0].model_dump(mode="json"), "expected": {"kind": "guess", "value": 1}}],
        [{**QUESTIONS[0].model_dump(mode="json"), "truth": {"tool": "standings"}}],
    ],
)
def test_load_questions_refuses_a_malformed_file(tmp_path: Path, broken: Any) -> None:
    with pytest.raises(InvalidInput):
        load_questions(_write(tmp_path, broken))


def test_load_questions_names_a_missing_file(tmp_path: Path) -> None:
    with pytest.raises(InvalidInput, match="Cannot read"):
        load_questions(tmp_path / "absent.json")


DATA = {
    "rows": [
        {"team": "LAC", "pts": 20.9},
        {"team": "PHI", "pts": 18.2},
        {"team": "TOT", "pts": 20.0},
    ]
}


@pytest.mark.parametrize(
    ("path", "value"),
    [
        (["rows", -1, "pts"], 20.0),
        (["rows", {"where": {"team": "PHI"}}, "pts"], 18.2),
        (["rows", {"max_by": ["pts"]}, "team"], "LAC"),
        (["rows", {"min_by": ["pts"]}, "team"], "PHI"),
    ],
)
def test_follow_walks_keys_indexes_and_selections(path: list[Any], value: Any) -> None:
    assert follow(DATA, path) == value


@pytest.mark.parametrize(
    ("path", "message"),
    [
        (["rows", {"where": {"team": "BOS"}}], "matches"),
        (["rows", 7, "pts"], "no such value"),
        (["teams"], "no such value"),
        (["rows", 0, {"where": {"team": "LAC"}}], "non-empty list"),
        (["rows", {"sum_by": ["pts"]}], "Unknown path step"),
    ],
)
def test_follow_names_a_path_that_leads_nowhere(path: list[Any], message: str) -> None:
    with pytest.raises(InvalidInput, match=message):
        follow(DATA, path)


def test_a_truth_that_is_no_number_does_not_agree() -> None:
    assert not agrees(number(0, 0), None)
    assert not agrees(number(1, 0), True)


def number(value: float, decimals: int, *, percent: bool = False) -> NumberExpected:
    return NumberExpected(kind="number", value=value, decimals=decimals, percent=percent)


def text(value: str, aliases: tuple[str, ...] = (), rivals: tuple[str, ...] = ()) -> TextExpected:
    return TextExpected(kind="text", value=value, aliases=aliases, rivals=rivals)


PPG = number(30.1, 1)
TS = number(0.669, 3, percent=True)
HARDEN = text("James Harden", ("Harden",), ("Giannis Antetokounmpo", "Giannis"))
RECORD = RecordExpected(kind="record", wins=73, losses=9)
FINAL = ScoreExpected(kind="score", home=89, away=93)


@pytest.mark.parametrize(
    ("answer", "expected", "right"),
    [
        ("Curry averaged 30.1 points per game.", PPG, True),
        ("Curry averaged 30.1.", PPG, True),
        ("He put up 30.06 a night.", PPG, True),  # more digits that round to it
        ("Curry averaged 30.2 points per game.", PPG, False),
        ("Curry averaged about 30 points.", PPG, False),  # less precise than asked
        ("Curry averaged 130.1 points.", PPG, False),
        ("He made 402 threes.", number(402, 0), True),
        ("He made 1,402 threes.", number(402, 0), False),
        ("Harden scored 2,818 points.", number(2818, 0), True),
        ("Harden scored 2818 points.", number(2818, 0), True),
        ("He scored 30 in 2015-16.", number(16, 0), False),  # a season label is no answer
        ("Their SOS was -0.38.", number(-0.38, 2), True),
        ("Their SOS was −0.38.", number(-0.38, 2), True),
        ("Their SOS was 0.38.", number(-0.38, 2), False),  # the sign counts
        ("It was the 7th seed.", number(7, 0), True),
        ("Curry won Game 7.", number(7, 0), False),
        ("Game 0041500407 ended late.", number(41500407, 0), False),
        ("Usage: 40.5%.", number(40.5, 1), True),
    ],
)
def test_score_numbers_at_display_precision(answer: str, expected: Expected, right: bool) -> None:
    assert score(answer, expected) is right


@pytest.mark.parametrize(
    ("answer", "right"),
    [
        ("His TS% was .669.", True),
        ("His TS% was 0.669.", True),
        ("He had a true shooting percentage of 66.9%.", True),
        ("He had a true shooting percentage of 66.9 percent.", True),
        ("His TS% of 66.9 led the league.", True),
        ("He had a true shooting percentage of 66.9.", False),  # a percentage needs its sign
        ("His TS% was .67.", False),
        ("His TS% was 67%.", False),
        ("His TS% was .668.", False),
    ],
)
def test_score_percentages_as_fractions_or_percent(answer: str, right: bool) -> None:
    assert score(answer, TS) is right


@pytest.mark.parametrize(
    ("answer", "expected", "right"),
    [
        ("Nikola Jokic had the higher PER.", text("Nikola Jokić"), True),
        ("NIKOLA JOKIĆ had the higher PER.", text("Nikola Jokić"), True),
        ("Jokić's PER was higher.", text("Nikola Jokić", ("Jokic",)), True),
        ("James Harden's 36.1 led the league.", text("James Harden"), True),
        ("The Warriors' first seed", text("Golden State Warriors", ("Warriors",)), True),
        ("Jameson Hardenberg led the league.", text("James Harden"), False),
        ("Russell Westbrook led the league.", HARDEN, False),
        ("Harden had 15.2 win shares to Giannis' 14.4.", HARDEN, True),
        ("Giannis had more win shares than Harden.", HARDEN, False),
        ("Giannis Antetokounmpo, 14.4", HARDEN, False),
    ],
)
def test_score_texts_ignoring_case_accents_and_possessives(
    answer: str, expected: Expected, right: bool
) -> None:
    assert score(answer, expected) is right


@pytest.mark.parametrize(
    ("answer", "expected", "right"),
    [
        ("Golden State went 73-9.", RECORD, True),
        ("Golden State went 73–9.", RECORD, True),
        ("They finished 73 - 9.", RECORD, True),
        ("They finished 73 to 9.", RECORD, True),
        ("A record of 73-9 in 2015-16.", RECORD, True),
        ("They had 73 wins and 9 losses.", RECORD, True),
        ("They had 73 wins, 9 losses.", RECORD, True),
        ("They went 9-73.", RECORD, False),
        ("They went 73-19.", RECORD, False),
        ("They went 173-9.", RECORD, False),
        ("They won 73 games.", RECORD, False),
        ("Cleveland won 93-89.", FINAL, True),
        ("It ended 89–93.", FINAL, True),
        ("Final: Cavaliers 93, Warriors 89.", FINAL, True),
        ("Cleveland won 93-88.", FINAL, False),
        ("Cleveland scored 93; James had 27; Golden State 89.", FINAL, False),
    ],
)
def test_score_records_and_game_scores(answer: str, expected: Expected, right: bool) -> None:
    assert score(answer, expected) is right


def test_summarize_counts_costs_and_latency_per_model() -> None:
    report = summarize(
        [
            Outcome("openai:a", "q1", True, 0.01, 100.0),
            ("openai:a", "q2", False, 0.02, 300.0),
            ("openai:a", "q3", True, 0.03, 200.0),
            ("local:b", "q1", True, None, 50.0),
            ("local:b", "q2", True, 0.1, 70.0),
        ]
    )
    b, a = report.models
    assert (a.model, a.questions, a.correct) == ("openai:a", 3, 2)
    assert a.accuracy == pytest.approx(2 / 3)
    assert a.cost_usd == pytest.approx(0.06)
    assert a.median_latency_ms == 200.0
    assert (b.model, b.questions, b.correct, b.accuracy) == ("local:b", 2, 2, 1.0)
    assert b.cost_usd is None  # one price unknown
    assert b.median_latency_ms == 60.0


def test_summarize_ranks_equal_accuracy_by_cost() -> None:
    report = summarize([("x:dear", "q1", True, 0.5, 1.0), ("x:cheap", "q1", True, 0.1, 1.0)])
    assert [m.model for m in report.models] == ["x:cheap", "x:dear"]


def test_summarize_of_nothing_is_empty() -> None:
    assert summarize([]).models == []
