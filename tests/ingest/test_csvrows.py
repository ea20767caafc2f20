"""Reading source CSVs: every failure names the file, the line, the column and the reason."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from nba_mcp.errors import IngestError
from nba_mcp.ingest.csvrows import Row, read_rows


def rows_of(tmp_path: Path, content: str, required: tuple[str, ...] = ()) -> list[Row]:
    path = tmp_path / "box.csv"
    path.write_text(content, encoding="utf-8")
    return list(read_rows(path, required))


def cell(value: str) -> Row:
    return Row("box.csv", 7, {"v": value})


def failure(tmp_path: Path, content: str, required: tuple[str, ...] = ()) -> IngestError:
    with pytest.raises(IngestError) as raised:
        rows_of(tmp_path, content, required)
    return raised.value


def test_rows_carry_their_file_and_line_number(tmp_path: Path) -> None:
    rows = rows_of(tmp_path, "a,b\n1,2\n\n3,4\n", ("a", "b"))

    assert [(r.file, r.line, r.int("a"), r.int("b")) for r in rows] == [
        ("box.csv", 2, 1, 2),
        ("box.csv", 4, 3, 4),  # the blank line 3 is skipped but still counted
    ]


def test_missing_columns_are_named_all_at_once_on_line_1(tmp_path: Path) -> None:
    error = failure(tmp_path, "a,c\n1,2\n", ("a", "b", "d"))

    assert (error.file, error.line, error.column) == ("box.csv", 1, "b")
    assert error.reason == "required column(s) missing: b, d"
    assert str(error) == "box.csv, line 1, column 'b': required column(s) missing: b, d"


def test_an_empty_file_is_refused(tmp_path: Path) -> None:
    error = failure(tmp_path, "", ("a",))

    assert str(error) == "box.csv, line 1: the file is empty"


def test_a_record_with_the_wrong_number_of_fields_is_refused(tmp_path: Path) -> None:
    error = failure(tmp_path, "a,b,c\n1,2,3\n4,5\n")

    assert str(error) == "box.csv, line 3: expected 3 fields, found 2"


def test_a_file_that_is_not_utf8_is_an_ingest_error_naming_the_file(tmp_path: Path) -> None:
    path = tmp_path / "players.csv"
    path.write_bytes("slug,name\nasikom01,Ömer Aşık\n".encode("cp1254"))

    with pytest.raises(IngestError) as raised:
        list(read_rows(path, ("slug", "name")))

    assert raised.value.file == "players.csv"
    assert "not UTF-8" in raised.value.reason


@pytest.mark.parametrize(("value", "number"), [("12", 12), (" 7 ", 7), ("203112.0", 203112)])
def test_int_accepts_whole_numbers_written_as_floats(value: str, number: int) -> None:
    assert cell(value).int("v") == number


@pytest.mark.parametrize("value", ["x", "1.5", "", "nan", "inf"])
def test_int_refuses_anything_but_a_whole_number(value: str) -> None:
    with pytest.raises(IngestError) as raised:
        cell(value).int("v")

    assert (
        str(raised.value)
        == f"box.csv, line 7, column 'v': expected a whole number, found {value!r}"
    )


def test_count_refuses_a_negative_stat() -> None:
    with pytest.raises(IngestError, match="expected a count of zero or more, found -2"):
        cell("-2").count("v")


def test_optional_values_are_none_when_blank() -> None:
    assert cell(" ").optional_int("v") is None
    assert cell("").optional_text("v") is None
    assert cell("").timestamp("v") is None


def test_text_refuses_an_empty_value() -> None:
    with pytest.raises(IngestError, match=r"column 'v': the value is empty"):
        cell("  ").text("v")


def test_dates_and_timestamps_are_parsed_or_refused() -> None:
    assert cell("2015-10-27").date("v") == dt.date(2015, 10, 27)
    assert cell("2015-10-28 00:00:00+00:00").timestamp("v") == dt.datetime(
        2015, 10, 28, tzinfo=dt.UTC
    )
    with pytest.raises(IngestError, match="expected a date YYYY-MM-DD, found '10/27/2015'"):
        cell("10/27/2015").date("v")
    with pytest.raises(IngestError, match="expected a timestamp, found 'tonight'"):
        cell("tonight").timestamp("v")


@pytest.mark.parametrize(("value", "flag"), [("True", True), ("0", False), ("no", False)])
def test_flag_reads_booleans(value: str, flag: bool) -> None:
    assert cell(value).flag("v") is flag


def test_flag_refuses_other_words() -> None:
    with pytest.raises(IngestError, match="expected True or False, found 'maybe'"):
        cell("maybe").flag("v")


def test_game_ids_keep_or_regain_their_leading_zeros() -> None:
    assert cell("0021500003").game_id("v") == "0021500003"
    assert cell("21500003").game_id("v") == "0021500003"
    with pytest.raises(
        IngestError, match=r"expected a 10-digit NBA\.com game id, found '00215000031'"
    ):
        cell("00215000031").game_id("v")
    with pytest.raises(IngestError, match=r"expected a 10-digit NBA\.com game id"):
        cell("G1").game_id("v")
