"""A report written twice from one description: Markdown and a standalone HTML page, with
its PNG charts beside them. Every value is escaped: report contents come from requests."""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from pathlib import Path

from pydantic import BaseModel, Field


class Section(BaseModel):
    title: str
    text: list[str] = Field(default_factory=list, description="Paragraphs (plain text).")
    columns: list[str] = Field(default_factory=list)
    rows: list[list[str]] = Field(default_factory=list)
    chart: str | None = Field(default=None, description="A PNG file name in the same directory.")


class Written(BaseModel):
    markdown: Path
    html: Path
    charts: list[Path]


def write(*, directory: Path, stem: str, title: str, sections: Sequence[Section],
          charts: Sequence[Path]) -> Written:  # fmt: skip
    directory.mkdir(parents=True, exist_ok=True)
    markdown = directory / f"{stem}.md"
    page = directory / f"{stem}.html"
    markdown.write_text(_markdown(title, sections))
    page.write_text(_html(title, sections))
    return Written(markdown=markdown, html=page, charts=list(charts))


def _markdown(title: str, sections: Sequence[Section]) -> str:
    lines = [f"# {plain_cell(title)}", ""]
    for section in sections:
        lines += [f"## {plain_cell(section.title)}", ""]
        for paragraph in section.text:
            lines += [plain_cell(paragraph), ""]
        if section.columns:
            lines.append("| " + " | ".join(plain_cell(c) for c in section.columns) + " |")
            lines.append("|" + "---|" * len(section.columns))
            lines += ["| " + " | ".join(plain_cell(v) for v in row) + " |" for row in section.rows]
            lines.append("")
        if section.chart:
            lines += [f"![{plain_cell(section.title)}]({section.chart})", ""]
    return "\n".join(lines)


def _html(title: str, sections: Sequence[Section]) -> str:
    e = html.escape
    parts = ["<!doctype html>", '<html lang="en"><head><meta charset="utf-8">',
             f"<title>{e(title)}</title>",
             "<style>body{font-family:sans-serif;max-width:60em;margin:2em auto}"
             "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:2px 8px}"
             "td{text-align:right}td:first-child{text-align:left}</style></head><body>",
             f"<h1>{e(title)}</h1>"]  # fmt: skip
    for section in sections:
        parts.append(f"<h2>{e(section.title)}</h2>")
        parts += [f"<p>{e(p)}</p>" for p in section.text]
        if section.columns:
            parts.append("<table><tr>" + "".join(f"<th>{e(c)}</th>" for c in section.columns)
                         + "</tr>")  # fmt: skip
            parts += ["<tr>" + "".join(f"<td>{e(v)}</td>" for v in row) + "</tr>"
                      for row in section.rows]  # fmt: skip
            parts.append("</table>")
        if section.chart:
            parts.append(f'<p><img src="{e(section.chart)}" alt="{e(section.title)}"></p>')
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"


def plain_cell(value: str) -> str:
    """Plain text safe in a Markdown table cell: no pipes, markup or line breaks."""
    return re.sub(r"[|`<>\r\n*_\[\]]", " ", value)
