"""Reading source CSV files with errors that say where: file, line, column, reason."""

from __future__ import annotations

import builtins
import csv
import datetime as dt
from collections.abc import Iterator, Sequence
from pathlib import Path

from nba_mcp.errors import IngestError


class Row:
    """One CSV record; every accessor raises :class:`IngestError` naming its cell."""

    __slots__ = ("_values", "file", "line")

    def __init__(self, file: str, line: int, values: dict[str, str]) -> None:
        self.file = file
        self.line = line
        self._values = values

    def fail(self, column: str | None, reason: str) -> IngestError:
        return IngestError(file=self.file, line=self.line, column=column, reason=reason)

    def text(self, column: str) -> str:
        value = self._values[column].strip()
        if not value:
            raise self.fail(column, "the value is empty")
        return value

    def optional_text(self, column: str) -> str | None:
        return self._values[column].strip() or None

    def int(self, column: str) -> int:
        value = self._values[column].strip()
        try:
            return int(value)
        except ValueError:
            try:
                number = float(value)
            except ValueError:
                number = float("nan")
            if number.is_integer():
                return int(number)
            raise self.fail(column, f"expected a whole number, found {value!r}") from None

    def optional_int(self, column: str) -> builtins.int | None:
        return self.int(column) if self._values[column].strip() else None

    def count(self, column: str) -> builtins.int:
        """A non-negative whole number (a box-score stat)."""
        number = self.int(column)
        if number < 0:
            raise self.fail(column, f"expected a count of zero or more, found {number}")
        return number

    def date(self, column: str) -> dt.date:
        value = self.text(column)
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            raise self.fail(column, f"expected a date YYYY-MM-DD, found {value!r}") from None

    def timestamp(self, column: str) -> dt.datetime | None:
        value = self.optional_text(column)
        if value is None:
            return None
        try:
            return dt.datetime.fromisoformat(value)
        except ValueError:
            raise self.fail(column, f"expected a timestamp, found {value!r}") from None

    def flag(self, column: str) -> bool:
        value = self.text(column).lower()
        if value in {"true", "1", "yes"}:
            return True
        if value in {"false", "0", "no"}:
            return False
        raise self.fail(column, f"expected True or False, found {value!r}")

    def game_id(self, column: str) -> str:
        """An NBA.com game id: ten digits, leading zeros kept."""
        value = self.text(column)
        if value.isdigit() and len(value) < 10:
            value = value.zfill(10)
        if not (value.isdigit() and len(value) == 10):
            raise self.fail(column, f"expected a 10-digit NBA.com game id, found {value!r}")
        return value


def read_rows(path: Path, required: Sequence[str]) -> Iterator[Row]:
    """Yield the records of ``path`` after checking that every required column is there."""
    name = path.name
    try:
        yield from _read(path, name, required)
    except UnicodeDecodeError as exc:
        raise IngestError(
            file=name, reason=f"the file is not UTF-8 text (byte {exc.start})"
        ) from None


def _read(path: Path, name: str, required: Sequence[str]) -> Iterator[Row]:
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.reader(handle)
        try:
            header = next(reader)
        except StopIteration:
            raise IngestError(file=name, line=1, reason="the file is empty") from None
        missing = [column for column in required if column not in header]
        if missing:
            raise IngestError(
                file=name,
                line=1,
                column=missing[0],
                reason="required column(s) missing: " + ", ".join(missing),
            )
        width = len(header)
        for values in reader:
            line = reader.line_num
            if not values:
                continue
            if len(values) != width:
                raise IngestError(
                    file=name,
                    line=line,
                    reason=f"expected {width} fields, found {len(values)}",
                )
            yield Row(name, line, dict(zip(header, values, strict=True)))
