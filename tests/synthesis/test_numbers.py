"""The deterministic number check: what counts as a figure and what a cited result holds."""

from __future__ import annotations

import time
from decimal import Decimal
from typing import Any

import pytest

from nba_mcp.synthesis.numbers import MAX_ANSWER_CHARS, MAX_NODES, Claim, check, extract
from nba_mcp.synthesis.types import NumberCheck


def texts(answer: str) -> list[str]:
    return [claim.text for claim in extract(answer)]


def test_season_average_is_one_matched_number() -> None:
    result, claims = check(
        "Stephen Curry averaged 30.1 points in 2015-16 [1].",
        {1: {"rows": [{"per_game": {"pts": 30.0833}}]}},
    )

    assert result == NumberCheck(numbers=1, matched=1, unmatched=[])
    assert claims == [
        Claim(
            text="30.1",
            values=(Decimal("30.1"),),
            decimals=(1,),
            percent=False,
            signed=False,
            kind="number",
            start=23,
            end=27,
            citations=(1,),
        )
    ]


def test_fraction_and_percent_both_match_shooting_fractions() -> None:
    result, claims = check(
        "He shot .504 from the field and 45.4% from three [1]",
        {1: {"shooting": {"fg_pct": 0.5036, "fg3_pct": 0.4540}}},
    )

    assert result == NumberCheck(numbers=2, matched=2, unmatched=[])
    assert [(c.text, c.values, c.decimals, c.percent) for c in claims] == [
        (".504", (Decimal("0.504"),), (3,), False),
        ("45.4%", (Decimal("45.4"),), (1,), True),
    ]


def test_record_matches_wins_and_losses() -> None:
    result, claims = check("The Warriors went 73-9 [2]", {2: {"record": {"wins": 73, "losses": 9}}})

    assert result == NumberCheck(numbers=1, matched=1, unmatched=[])
    assert claims[0].kind == "pair"
    assert claims[0].values == (Decimal(73), Decimal(9))


def test_record_with_one_wrong_side_names_it() -> None:
    result, _ = check("The Warriors went 73-10 [2]", {2: {"record": {"wins": 73, "losses": 9}}})

    assert result.unmatched == ["73-10 (10 not in [2])"]


def test_made_up_number_is_unmatched_with_its_citation() -> None:
    result, _ = check("He scored 41.2 per game [1].", {1: {"per_game": {"pts": 30.0833}}})

    assert result == NumberCheck(numbers=1, matched=0, unmatched=["41.2 (not in [1])"])


def test_number_in_a_sentence_without_markers_is_uncited() -> None:
    result, claims = check(
        "He averaged 30.1 points [1]. He added 12 rebounds.",
        {1: {"pts": 30.1, "reb": 12}},
    )

    assert result == NumberCheck(numbers=2, matched=1, unmatched=["12 (uncited)"])
    assert claims[1].citations == ()


def test_citing_an_unrecorded_call_says_so() -> None:
    result, _ = check("He scored 30.1 [7].", {1: {"pts": 30.1}})

    assert result.unmatched == ["30.1 ([7] is not a recorded call)"]


@pytest.mark.parametrize("markers", ["[1]", "[2, 3]", "[1][2]", "[1] [2]", "[1-3]"])
def test_citation_markers_are_never_numbers(markers: str) -> None:
    assert extract(f"The Warriors won the title {markers}.") == []


@pytest.mark.parametrize("markers", ["[1][2]", "[1, 2]", "[1,2]", "[1] [2]"])
def test_adjacent_and_listed_markers_cite_both(markers: str) -> None:
    result, claims = check(
        f"Curry scored 402 threes and went 73-9 {markers}.",
        {
            1: {"fg3m": 402},
            2: {"record": {"wins": 73, "losses": 9}},
        },
    )

    assert [claim.citations for claim in claims] == [(1, 2), (1, 2)]
    assert result.matched == 2


def test_marker_after_the_period_belongs_to_its_sentence() -> None:
    claims = extract("He scored 30.1 points. [1] He grabbed 5.4 boards. [2]")

    assert [claim.citations for claim in claims] == [(1,), (2,)]


def test_game_id_matches_a_string_field_as_text() -> None:
    box = {1: {"game_id": "0021500003", "home": {"score": 111}}}

    result, claims = check("In game 0021500003 they scored 111 [1].", box)
    other, _ = check("In game 0021500004 they scored 111 [1].", box)

    assert claims[0].kind == "id"
    assert result == NumberCheck(numbers=2, matched=2, unmatched=[])
    assert other.unmatched == ["0021500004 (not in [1])"]


def test_unicode_minus_is_a_sign() -> None:
    result, claims = check("Their net rating was −2.1 [1].", {1: {"net_rtg": -2.1}})
    wrong_sign, _ = check("Their net rating was −2.1 [1].", {1: {"net_rtg": 2.1}})
    unsigned, _ = check("They were outscored by 2.1 per game [1].", {1: {"mov": -2.1}})

    assert claims[0].values == (Decimal("-2.1"),)
    assert claims[0].signed
    assert result.matched == 1
    assert wrong_sign.unmatched == ["−2.1 (not in [1])"]
    assert unsigned.matched == 1


def test_plus_sign_is_kept() -> None:
    result, claims = check("A net rating of +9.0 [1].", {1: {"net_rtg": 9.04}})

    assert claims[0].values == (Decimal("9.0"),)
    assert result.matched == 1


def test_thousands_match_sql_rows_of_lists() -> None:
    result, claims = check("He played 1,316 games [3].", {3: {"columns": ["g"], "rows": [[1316]]}})

    assert claims[0].values == (Decimal(1316),)
    assert result == NumberCheck(numbers=1, matched=1, unmatched=[])


@pytest.mark.parametrize("answer", ["His USG% was 32.6 [1].", "A usage rate of 32.6% [1]."])
def test_rate_stats_match_percentage_points(answer: str) -> None:
    result, _ = check(answer, {1: {"advanced": {"usg_pct": 32.6}}})

    assert result.matched == 1


def test_a_percent_is_not_matched_by_an_unrelated_fraction() -> None:
    result, _ = check("He shot 50.4% [1].", {1: {"fg_pct": 0.467}})

    assert result.unmatched == ["50.4% (not in [1])"]


def test_a_bare_number_is_not_read_as_a_percent_of_a_fraction() -> None:
    result, _ = check("He made 45 threes [1].", {1: {"fg3_pct": 0.454}})

    assert result.matched == 0


@pytest.mark.parametrize(
    ("answer", "value", "matched"),
    [
        ("He averaged 30.1 [1].", 30.0833, True),
        ("He averaged 30 [1].", 30.1, True),
        ("He averaged 30.2 [1].", 30.0833, False),
        ("He averaged 30.08 [1].", 30.1, False),
        ("His FT% was .908 [1].", 0.9075, True),
        ("His FT% was .907 [1].", 0.9075, True),
    ],
)
def test_results_are_rounded_to_the_shown_decimals(
    answer: str, value: float, matched: bool
) -> None:
    result, _ = check(answer, {1: {"value": value}})

    assert (result.matched == 1) is matched


def test_numeric_strings_of_a_result_match() -> None:
    result, _ = check(
        "He scored 2375 points, qualified with 58 games and went 73-9 [1].",
        {1: {"pts": "2375", "qualification": "at least 58 of 82 games", "record": "73–9"}},
    )

    assert result == NumberCheck(numbers=3, matched=3, unmatched=[])


def test_booleans_are_not_numbers() -> None:
    result, _ = check("He won 1 title [1].", {1: {"champion": True}})

    assert result.matched == 0


def test_ordinal_ranks_match_a_rank_field() -> None:
    result, claims = check(
        "Curry ranked 1st and Harden #2 [1].",
        {1: {"leaders": [{"rank": 1, "value": 30.1}, {"rank": 2, "value": 29.0}]}},
    )

    assert [(claim.text, claim.kind) for claim in claims] == [("1st", "rank"), ("#2", "rank")]
    assert result.matched == 2


@pytest.mark.parametrize(
    "answer",
    [
        "Curry averaged 30.1 points in 2015-16 and 2015–16 [1].",
        "The 2016 Finals began in June 2016 [1], on June 2, 2016 and on 2016-06-02 at 9:00 [1].",
        "In 2016, he won; from 2014 to 2016 and in the 2016 playoffs [1].",
        "The 76ers' Q4 FG3M in the 1990s [1].",
        "He hit 3-pointers in the 4th quarter and 2OT of Game 7 in '16 [1].",
    ],
)
def test_seasons_dates_years_and_labels_are_not_figures(answer: str) -> None:
    assert [text for text in texts(answer) if text != "30.1"] == []


def test_a_year_sized_count_of_games_is_a_figure() -> None:
    assert texts("He played in 2016 games and scored 1990 points [1].") == ["2016", "1990"]


def test_numbered_list_markers_are_not_figures() -> None:
    assert texts("1. Curry: 30.1 ppg [1]\n2. Harden: 29.0 ppg [2]") == ["30.1", "29.0"]


def test_percent_words_make_a_percent_claim() -> None:
    claims = extract("He shot 66.9 percent, 3.2 percentage points better [1].")

    assert [(claim.values, claim.percent) for claim in claims] == [
        ((Decimal("66.9"),), True),
        ((Decimal("3.2"),), True),
    ]


def test_a_very_long_answer_is_cut_and_its_tail_flagged() -> None:
    answer = "Curry scored 30.1 points [1]. " * 1700  # 51,000 characters
    started = time.perf_counter()

    result, claims = check(answer, {1: {"pts": 30.1}})

    assert time.perf_counter() - started < 5
    assert all(claim.end <= MAX_ANSWER_CHARS for claim in claims)
    assert result.numbers == len(claims) + 1
    assert result.matched == len(claims)
    assert result.unmatched == ["… (the answer past 20000 characters is not checked)"]


@pytest.mark.parametrize("answer", ["1" * 50_000, "[1," * 17_000, "-1-1" * 12_500, "1% " * 17_000])
def test_hostile_answers_finish_quickly(answer: str) -> None:
    started = time.perf_counter()

    result, _ = check(answer, {1: list(range(1_000))})

    assert time.perf_counter() - started < 5
    assert result.unmatched


def test_a_deeply_nested_result_is_walked_without_recursion() -> None:
    node: Any = {"pts": 30.0833}
    for _ in range(100_000):
        node = [node]

    result, _ = check("He averaged 30.1 [1].", {1: node})

    assert result.matched == 1


def test_a_huge_result_is_walked_up_to_the_cap() -> None:
    rows = [[index + 0.25] for index in range(MAX_NODES * 2)]
    started = time.perf_counter()

    result, _ = check("Values 7.25 and 399999.25 [1].", {1: {"rows": rows}})

    assert time.perf_counter() - started < 5
    assert result.unmatched == ["399999.25 (not in [1])"]


def test_a_cyclic_result_terminates() -> None:
    cycle: list[Any] = [5]
    cycle.append(cycle)

    result, _ = check("He had 5 steals [1].", {1: cycle})

    assert result.matched == 1


def test_huge_strings_in_a_result_are_bounded() -> None:
    started = time.perf_counter()

    result, _ = check("He scored 3 [1].", {1: ["1 " * 5_000 for _ in range(1_000)]})

    assert time.perf_counter() - started < 5
    assert result.unmatched == ["3 (not in [1])"]
