"""The models' tool calls: run in process through the catalogue, each recorded as a citation.

A model sees every catalogue tool but ``synthesize`` itself and the tools that draw
pictures, which a model reading JSON cannot look at (:func:`tools`; read when a
run starts, since this package is the catalogue's ``synthesize`` and loads with it). Each call runs the real
query (:func:`nba_mcp.catalog.invoke.invoke`, so the result cache and the metrics apply)
and gets an id; the model reads the result with that id and cites it as ``[id]``. The
same call made again (by another model of the run, say) keeps its first id.
"""

from __future__ import annotations

import asyncio
import hashlib
from typing import Any

from nba_mcp import catalog
from nba_mcp.catalog.invoke import invoke
from nba_mcp.catalog.spec import AnyTool, Services
from nba_mcp.errors import NbaMcpError
from nba_mcp.jsonbody import canonical_json
from nba_mcp.synthesis.types import Citation, ToolCall


def tools() -> list[AnyTool]:
    """The tools a model may call: the catalogue's, but ``synthesize`` and the charts."""
    return [spec for spec in catalog.CATALOG if _offered(spec)]


def _offered(spec: AnyTool) -> bool:
    return spec.name != "synthesize" and spec.draw is None


#: Longest tool result a model reads; a longer one is cut, its text summary kept.
MAX_RESULT_CHARACTERS = 24_000


class Recorder:
    """The calls of one run and their results."""

    def __init__(self, services: Services) -> None:
        self.services = services
        self.citations: list[Citation] = []
        self.results: dict[int, Any] = {}
        self._ids: dict[str, int] = {}

    async def run(self, call: ToolCall) -> str:
        """What the model reads back: the result with its citation id, or the error."""
        spec = catalog.BY_NAME.get(call.name)
        if spec is None or not _offered(spec):
            return canonical_json({"error": f"There is no tool {call.name!r}."})
        try:
            answer = await asyncio.to_thread(invoke, self.services, spec, call.arguments)
        except NbaMcpError as exc:
            return canonical_json({"tool": call.name, "error": exc.message})
        key = canonical_json({"tool": call.name, "arguments": call.arguments})
        cid = self._ids.get(key)
        if cid is None:
            cid = len(self.citations) + 1
            self._ids[key] = cid
            self.citations.append(
                Citation(id=cid, tool=call.name, arguments=call.arguments,
                         result_hash=hashlib.sha256(canonical_json(answer.data).encode()).hexdigest())
            )  # fmt: skip
            self.results[cid] = answer.data
        content = canonical_json({"citation": cid, "tool": call.name, "result": answer.data})
        if len(content) > MAX_RESULT_CHARACTERS:
            content = canonical_json({
                "citation": cid, "tool": call.name, "summary": answer.text,
                "note": "The full result is too long to show; narrow the call for details.",
            })  # fmt: skip
        return content

    def evidence(self, ids: list[int] | None = None) -> str:
        """The recorded results as a reviewer reads them: ``[id] tool(arguments): result``."""
        lines = []
        for citation in self.citations:
            if ids is not None and citation.id not in ids:
                continue
            body = canonical_json(self.results[citation.id])
            if len(body) > MAX_RESULT_CHARACTERS:
                body = body[:MAX_RESULT_CHARACTERS] + "…"
            lines.append(
                f"[{citation.id}] {citation.tool}({canonical_json(citation.arguments)}): {body}"
            )
        return "\n".join(lines)
