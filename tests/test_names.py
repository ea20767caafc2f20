"""Name keys: one key per player whatever accents, case, punctuation or suffix."""

from __future__ import annotations

import pytest

from nba_mcp.names import has_suffix, name_key


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("Nikola Jokić", "nikola jokic"),
        ("NIKOLA JOKIĆ", "nikola jokic"),
        ("Ömer Aşık", "omer asik"),  # dotless ı is not decomposed by Unicode
        ("Tibor Pleiß", "tibor pleiss"),
        ("Nenê Hilário", "nene hilario"),
        ("Kristaps Porziņģis", "kristaps porzingis"),
        ("Dāvis Bertāns", "davis bertans"),
        ("Goran Dragić", "goran dragic"),
        ("Timothé Luwawu-Cabarrot", "timothe luwawu cabarrot"),
        ("Karl-Anthony Towns", "karl anthony towns"),
        ("Karl–Anthony Towns", "karl anthony towns"),  # en dash
        ("D'Angelo Russell", "dangelo russell"),
        ("D’Angelo Russell", "dangelo russell"),  # typographic apostrophe
        ("Royce O'Neale", "royce oneale"),
        ("J.J. Redick", "jj redick"),
        ("  Stephen   Curry ", "stephen curry"),
    ],
)
def test_name_key_drops_accents_case_and_punctuation(name: str, key: str) -> None:
    assert name_key(name) == key


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("Tim Hardaway Jr.", "tim hardaway"),
        ("Tim Hardaway Jr", "tim hardaway"),
        ("Gary Payton II", "gary payton"),
        ("Glenn Robinson III", "glenn robinson"),
        ("Larry Nance Jr.", "larry nance"),
        ("Jaren Jackson, Jr.", "jaren jackson"),
        ("Marvin Bagley III", "marvin bagley"),
    ],
)
def test_name_key_drops_generational_suffixes(name: str, key: str) -> None:
    assert name_key(name) == key


def test_a_name_that_is_only_a_suffix_word_keeps_it() -> None:
    assert name_key("V") == "v"
    assert name_key("Jr.") == "jr"


def test_suffix_words_inside_a_name_are_kept() -> None:
    assert name_key("Iv Smith") == "iv smith"


@pytest.mark.parametrize(
    ("name", "suffixed"),
    [
        ("Tim Hardaway Jr.", True),
        ("Gary Payton II", True),
        ("Glenn Robinson III", True),
        ("Tim Hardaway", False),
        ("Jr.", False),
        ("Nikola Jokić", False),
    ],
)
def test_has_suffix(name: str, suffixed: bool) -> None:
    assert has_suffix(name) is suffixed
