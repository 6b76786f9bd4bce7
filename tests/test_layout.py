"""The shape of the code: packages that follow the data, imports that run one way.

dump text -> parse -> Article -> archive -> index -> questions -> analysis -> output -> cli. Each package
may import the ones below it in FLOW and never one above; rich, typer and dateutil each stay
in the one place that owns them. Every import counts, including those made late inside a
function: a late import up the flow is still an arrow up the flow.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "src" / "newscli"

# Lowest first. `model` and `errors` are the floor every package stands on; the root package
# (`newscli/__init__.py`, only __version__) and `__main__` are outside the flow.
FLOW = ("model", "errors", "copies", "archive", "dump", "index", "analysis", "output", "jobs", "cli")
LAYER = {"model": 0, "errors": 0, "copies": 1, "archive": 2, "dump": 3, "index": 4, "analysis": 5, "output": 6,
         "jobs": 7, "cli": 8}
TOP_LEVEL = {"__init__.py", "__main__.py", "model.py", "errors.py",
             "copies", "archive", "dump", "index", "analysis", "output", "jobs", "cli"}
OWNERS = {  # third-party import -> where it may be imported
    "rich": lambda module: module.startswith("newscli.output."),
    "typer": lambda module: module == "newscli.cli" or module.startswith("newscli.cli."),
    "click": lambda module: module == "newscli.cli" or module.startswith("newscli.cli."),
    "dateutil": lambda module: module == "newscli.dump.dates",
}
MAX_LINES = 400


def _modules() -> dict[str, Path]:
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        found[name] = path
    return found


def _imports(name: str, path: Path) -> set[str]:
    """Every module named by an import anywhere in the file, resolved to its full name."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    named = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            named.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(anchor + ([base] if base else []))
            named.add(base)
            named.update(f"{base}.{alias.name}" for alias in node.names)  # `from pkg import module`
    return named


MODULES = _modules()
GRAPH = {name: {m for m in _imports(name, path) if m in MODULES and m != name}
         for name, path in MODULES.items()}


def _room(module: str) -> str | None:
    """The package (or floor module) a module belongs to; None for the root and __main__."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[1] in LAYER else None


def test_the_top_level_holds_only_the_packages_model_errors_and_main():
    assert {p.name for p in PACKAGE.iterdir() if p.name != "__pycache__"} == TOP_LEVEL


def test_every_package_says_what_it_owns():
    for room in ("copies", "archive", "dump", "index", "analysis", "output", "jobs", "cli"):
        doc = ast.get_docstring(ast.parse((PACKAGE / room / "__init__.py").read_text()))
        assert doc and len(doc.split()) >= 15, room


@pytest.mark.parametrize("module", sorted(GRAPH))
def test_no_import_runs_up_the_flow(module):
    room = _room(module)
    if room is None:
        return
    upward = sorted(m for m in GRAPH[module] if _room(m) is not None and LAYER[_room(m)] > LAYER[room])
    assert not upward, f"{module} ({room}) imports {upward}, above it in the flow {FLOW}"


@pytest.mark.parametrize("library", sorted(OWNERS))
def test_each_library_is_imported_only_where_it_belongs(library):
    strays = sorted(name for name, path in MODULES.items()
                    if any(m == library or m.startswith(library + ".") for m in _imports(name, path))
                    and not OWNERS[library](name))
    assert not strays, f"{library} imported outside its package: {strays}"


def test_there_is_no_import_cycle():
    done: set[str] = set()

    def visit(module: str, path: list[str]) -> None:
        if module in path:
            cycle = path[path.index(module):] + [module]
            pytest.fail("import cycle: " + " -> ".join(cycle))
        if module in done:
            return
        for imported in sorted(GRAPH[module]):
            if imported != module.rpartition(".")[0]:  # a module always imports its own package
                visit(imported, path + [module])
        done.add(module)

    for module in sorted(GRAPH):
        visit(module, [])


@pytest.mark.parametrize("module", sorted(MODULES))
def test_no_module_is_past_the_size_where_it_needs_splitting(module):
    lines = MODULES[module].read_text(encoding="utf-8").count("\n")
    assert lines <= MAX_LINES, f"{module} has {lines} lines; split it by responsibility"


def test_the_rules_see_what_they_check():
    """The graph is real: a test of rules over an empty graph would pass on anything."""
    assert "newscli.archive.store" in GRAPH["newscli.jobs.ingest"]
    assert "newscli.dump.timestamps" in GRAPH["newscli.dump.parse"]
    assert len(MODULES) >= 35 and sum(map(len, GRAPH.values())) >= 60
