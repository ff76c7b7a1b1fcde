"""Imports follow the data flow `ingest -> graph <- matching <- service` (pure: parses the source).

Every module of the project's packages is parsed with `ast` (nothing is imported or run), and
each `import` of another package of ours, at the top or inside a function, must be allowed by
this table (README, "Architecture"):

| a module in | may import |
|---|---|
| `partnergraph.errors`, `.settings` (the base) | the base only |
| `graph/` | the base |
| `ingest/` | `graph`, the base |
| `matching/` | `graph`, the base |
| `sample/` (the sample generator as a package) | `ingest`, `graph`, the base |
| `service/` | `matching`, `graph`, the base; `ingest.pipeline` only (upload jobs run a load) |
| `partnergraph/` (the CLI, the commands' modules) | anything |

So ingest and matching never import each other, nothing below the service imports it, and the
sample generator is reached only through the CLI (`partnergraph generate`, `demo`). What the
packages below the service share lives in `graph/`: the vocabulary (`graph.model`), the text
rules (`graph.texts`), the reference tables (`graph.reference`) and the `Encoder` interface
(`graph.vectors`).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("graph", "ingest", "matching", "sample", "service", "partnergraph")
BASE = ("partnergraph.errors", "partnergraph.settings")
# package -> what its modules may import besides their own package (prefixes of module names)
ALLOWED: dict[str, tuple[str, ...]] = {
    "graph": BASE,
    "ingest": ("graph", *BASE),
    "matching": ("graph", *BASE),
    "sample": ("ingest", "graph", *BASE),
    "service": ("matching", "graph", "ingest.pipeline", *BASE),
}


def modules() -> list[Path]:
    return sorted(
        path
        for package in PACKAGES
        if (ROOT / package).is_dir()
        for path in (ROOT / package).rglob("*.py")
    )


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def is_module(name: str) -> bool:
    path = ROOT.joinpath(*name.split("."))
    return path.with_suffix(".py").is_file() or (path / "__init__.py").is_file()


def imported(path: Path) -> list[tuple[int, str]]:
    """(line, module) of every import in `path`, relative ones made absolute."""
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            found.append((node.lineno, target))
            # `from graph import search` imports the module graph.search; a name that is no
            # module (`from partnergraph import __version__`) belongs to `target` itself
            found += [
                (node.lineno, f"{target}.{alias.name}")
                for alias in node.names
                if is_module(f"{target}.{alias.name}")
            ]
    return found


def within(name: str, prefixes: tuple[str, ...]) -> bool:
    return any(name == prefix or name.startswith(f"{prefix}.") for prefix in prefixes)


def allowed(importer: str, target: str) -> bool:
    if target.split(".")[0] not in PACKAGES:
        return True
    # `from partnergraph import errors` names a base module through its package
    if target == "partnergraph":
        return True
    if within(importer, BASE):
        return within(target, BASE)
    own = importer.split(".")[0]
    if own == "partnergraph" or target.split(".")[0] == own:
        return True
    return within(target, ALLOWED[own])


def violations() -> list[str]:
    found = []
    for path in modules():
        importer = module_name(path)
        for line, target in imported(path):
            if not allowed(importer, target):
                found.append(f"{path.relative_to(ROOT)}:{line}: {importer} imports {target}")
    return sorted(set(found))


def test_every_import_follows_the_data_flow() -> None:
    assert modules(), "no modules found"
    assert violations() == []


@pytest.mark.parametrize(
    ("importer", "target", "ok"),
    [
        ("ingest.pipeline", "graph.writes", True),
        ("ingest.records", "matching.encoder", False),
        ("matching.matcher", "ingest.reference", False),
        ("service.api.needs", "ingest.records", False),
        ("service.jobs", "ingest.pipeline", True),
        ("graph.search", "matching.fusion", False),
        ("graph.connection", "partnergraph.settings", True),
        ("graph.connection", "partnergraph.cli", False),
        ("partnergraph.settings", "graph.model", False),
        ("partnergraph.settings", "partnergraph.cli", False),
        ("partnergraph.errors", "partnergraph.settings", True),
        ("partnergraph.cli", "sample.synthetic", True),
        ("ingest.pipeline", "sample.synthetic", False),
        ("service.app", "sample.synthetic", False),
        ("sample.synthetic", "ingest.records", True),
        ("matching.matcher", "service.deps", False),
    ],
)
def test_the_table_allows_what_the_docstring_says(importer: str, target: str, ok: bool) -> None:
    assert allowed(importer, target) is ok
