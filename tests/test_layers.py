"""The layers of DESIGN.md, checked on every ``nba_mcp`` import of every module in src/nba_mcp.

Imports are read with :mod:`ast`, so every form counts: ``import nba_mcp.x``,
``from nba_mcp.x import y``, ``from nba_mcp import x``, relative imports, and imports
inside functions or under ``if TYPE_CHECKING:``. Layers, lowest first (:data:`RANKS`):

0. base: errors, names, rounding, boxscore, jsonbody, objectstore, seasons, config,
   redis_client, observability/ and the package itself (``__version__``);
1. db/;
2. analytics/ and ingest/, side by side: neither imports the other (today neither
   does), and analytics imports no db/ either: it is pure formulas, no I/O;
3. queries/, which imports no ingest/: reads do not depend on the write path (the
   season vocabulary both use is :mod:`nba_mcp.seasons`);
4. services: result_cache.py and readiness.py, what the catalogue and the surfaces share
   over the dependencies (the catalogue's services carry the result cache, so the
   cache sits below the catalogue; both need only db/ and base);
5. catalog/, the tool catalogue, built on queries/;
6. security/, the guard the HTTP app puts in front of its routes (keys, scopes,
   rate limits, the request log);
7. the surfaces mcp/ and web/, side by side: no surface imports another (web/ may
   import security/, which is below it);
8. service.py, the one HTTP application that composes mcp/ and web/ (and installs
   security/), and ops/, which may use everything below it (readiness, the request log
   table, ...), side by side;
9. cli/, which imports everything.

A module may import its own layer and every layer of a lower rank; an import of a
layer above, or of another layer of the same rank, fails, naming both modules and
both layers. A module in no layer fails too: a new package must be placed in
:data:`PLACES`.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src"
PACKAGE = "nba_mcp"

#: Layer -> rank, lowest first. Two layers of one rank may not import each other.
RANKS: dict[str, int] = {
    "base": 0,
    "db": 1,
    "analytics": 2,
    "ingest": 2,
    "queries": 3,
    "services": 4,
    "catalog": 5,
    "security": 6,
    "mcp": 7,
    "web": 7,
    "service": 8,
    "ops": 8,
    "cli": 9,
}

#: Module or package (standing for all its modules) -> layer.
PLACES: dict[str, str] = {
    "nba_mcp": "base",  # the package's __init__: only __version__
    "nba_mcp.errors": "base",
    "nba_mcp.names": "base",
    "nba_mcp.rounding": "base",
    "nba_mcp.boxscore": "base",
    "nba_mcp.jsonbody": "base",
    "nba_mcp.asgi": "base",
    "nba_mcp.objectstore": "base",
    "nba_mcp.seasons": "base",
    "nba_mcp.scopes": "base",
    "nba_mcp.config": "base",
    "nba_mcp.redis_client": "base",
    "nba_mcp.observability": "base",
    "nba_mcp.db": "db",
    "nba_mcp.analytics": "analytics",
    "nba_mcp.ingest": "ingest",
    "nba_mcp.queries": "queries",
    "nba_mcp.result_cache": "services",
    "nba_mcp.readiness": "services",
    "nba_mcp.catalog": "catalog",
    # synthesize is a tool of the catalogue whose pipeline calls the other tools: the two
    # packages are one layer (synthesis reads the catalogue when a run starts, not at import).
    "nba_mcp.synthesis": "catalog",
    "nba_mcp.security": "security",
    "nba_mcp.mcp": "mcp",
    "nba_mcp.web": "web",
    "nba_mcp.service": "service",
    "nba_mcp.ops": "ops",
    "nba_mcp.cli": "cli",
}

#: Imports of a lower layer that are refused all the same: (importer, imported) -> why.
FORBIDDEN: dict[tuple[str, str], str] = {
    ("analytics", "db"): "analytics is pure formulas with no I/O",
    ("queries", "ingest"): "reads do not depend on the write path",
}


@dataclass(frozen=True)
class Import:
    module: str  # the importing module
    target: str  # the nba_mcp module (or package) it imports
    line: int


@dataclass(frozen=True)
class Violation:
    found: Import
    layers: tuple[str, str]
    reason: str

    def __str__(self) -> str:
        importer, imported = self.layers
        return (
            f"{self.found.module} ({importer}) imports {self.found.target} ({imported}) "
            f"at line {self.found.line}: {self.reason}"
        )


def module_name(path: Path) -> str:
    parts = list(path.relative_to(SRC).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def source_modules() -> dict[str, Path]:
    return {module_name(path): path for path in sorted((SRC / PACKAGE).rglob("*.py"))}


def imports_of(module: str, source: str, *, is_package: bool, known: set[str]) -> Iterator[Import]:
    """Every ``nba_mcp`` import in ``source``, wherever it stands in the file."""
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name == PACKAGE or alias.name.startswith(PACKAGE + "."):
                    yield Import(module, alias.name, node.lineno)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:  # relative: resolve against the importing module's package
                package = module.split(".")
                if not is_package:
                    package.pop()
                anchor = package[: len(package) - (node.level - 1)]
                base = ".".join([*anchor, *([base] if base else [])])
            if base != PACKAGE and not base.startswith(PACKAGE + "."):
                continue
            for alias in node.names:
                submodule = f"{base}.{alias.name}"
                yield Import(module, submodule if submodule in known else base, node.lineno)


def layer_of(module: str) -> str | None:
    """The layer of ``module``: its own entry, else its nearest package's (not the root's)."""
    parts = module.split(".")
    for end in range(len(parts), 1, -1):
        layer = PLACES.get(".".join(parts[:end]))
        if layer is not None:
            return layer
    return PLACES.get(module)


def all_imports() -> list[Import]:
    modules = source_modules()
    known = set(modules)
    found = []
    for module, path in modules.items():
        is_package = path.name == "__init__.py"
        found += imports_of(module, path.read_text(), is_package=is_package, known=known)
    return found


def violations(imports: Iterable[Import]) -> list[Violation]:
    found = []
    for imported in imports:
        importer, target = layer_of(imported.module), layer_of(imported.target)
        if importer is None or target is None:
            continue  # reported by test_every_module_is_in_a_layer
        layers = (importer, target)
        if importer == target:
            continue
        if RANKS[target] > RANKS[importer]:
            found.append(Violation(imported, layers, f"{target} is above {importer}"))
        elif RANKS[target] == RANKS[importer]:
            found.append(Violation(imported, layers, f"{importer} and {target} are side by side"))
        elif layers in FORBIDDEN:
            found.append(Violation(imported, layers, FORBIDDEN[layers]))
    return found


def test_every_module_is_in_a_layer() -> None:
    modules = source_modules()
    unplaced = sorted(m for m in modules if layer_of(m) is None)
    unknown = sorted(
        f"{i.module} imports {i.target} (line {i.line})"
        for i in all_imports()
        if layer_of(i.target) is None
    )
    assert not unplaced, f"modules in no layer (add them to PLACES): {unplaced}"
    assert not unknown, f"imports of modules in no layer: {unknown}"


def test_every_place_names_a_module_or_package_that_exists() -> None:
    modules = source_modules()
    stale = [
        name
        for name in PLACES
        if name not in modules and not any(m.startswith(name + ".") for m in modules)
    ]
    assert not stale, f"PLACES names modules that do not exist: {stale}"
    assert set(PLACES.values()) <= set(RANKS)


def test_no_module_imports_a_layer_above_or_beside_its_own() -> None:
    found = [str(v) for v in violations(all_imports())]
    assert not found, "imports against the layers:\n" + "\n".join(found)


def test_web_does_not_import_mcp() -> None:
    """web/ and mcp/ both adapt the tool catalogue; neither reaches into the other."""
    found = [str(v) for v in violations(all_imports()) if v.layers == ("web", "mcp")]
    assert not found, "web/ reaches into mcp/:\n" + "\n".join(found)


def test_every_form_of_import_is_seen() -> None:
    source = """
from typing import TYPE_CHECKING
import json
import nba_mcp.db.engine
from nba_mcp import __version__, readiness
from nba_mcp.observability import metrics
from . import sibling
from ..queries import lookup
if TYPE_CHECKING:
    from nba_mcp.result_cache import ResultCache
def build():
    from nba_mcp.web.app import build_app
"""
    known = {"nba_mcp.readiness", "nba_mcp.observability.metrics", "nba_mcp.ops.sibling"}

    found = imports_of("nba_mcp.ops.health", source, is_package=False, known=known)

    assert sorted(i.target for i in found) == [
        "nba_mcp",
        "nba_mcp.db.engine",
        "nba_mcp.observability.metrics",
        "nba_mcp.ops.sibling",
        "nba_mcp.queries",
        "nba_mcp.readiness",
        "nba_mcp.result_cache",
        "nba_mcp.web.app",
    ]


def test_a_violation_names_both_modules_and_both_layers() -> None:
    imports = [
        Import("nba_mcp.ingest.validate", "nba_mcp.queries.coverage", 17),
        Import("nba_mcp.mcp.server", "nba_mcp.web.app", 3),
        Import("nba_mcp.analytics.per", "nba_mcp.db.models", 5),
        Import("nba_mcp.queries.seasons", "nba_mcp.db.models", 7),
        Import("nba_mcp.web.app", "nba_mcp.security", 9),
    ]

    assert [str(v) for v in violations(imports)] == [
        "nba_mcp.ingest.validate (ingest) imports nba_mcp.queries.coverage (queries) "
        "at line 17: queries is above ingest",
        "nba_mcp.mcp.server (mcp) imports nba_mcp.web.app (web) at line 3: "
        "mcp and web are side by side",
        "nba_mcp.analytics.per (analytics) imports nba_mcp.db.models (db) at line 5: "
        "analytics is pure formulas with no I/O",
    ]
