"""The project's modules import each other downward only, and never in a cycle.

Layers, top to bottom: app.py / cli.py → admin_views → services, reports → models; extensions.py
sits beside models (it holds the Flask extensions, so views need not import app.py). Every import
counts, also one inside a function: a cycle hidden in a function body is still a cycle.
"""
import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("models", "services", "reports", "admin_views")
MODULES = ("app", "cli", "extensions")

# module's top-level name -> names it must never import
FORBIDDEN = {
    "models": {"app", "cli", "extensions", "services", "reports", "admin_views"},
    "extensions": {"app", "cli", "services", "reports", "admin_views"},
    "services": {"app", "cli", "admin_views", "reports"},
    "reports": {"app", "cli", "admin_views"},
    "admin_views": {"app", "cli"},
}


def module_files() -> dict[str, Path]:
    files = {name: ROOT / f"{name}.py" for name in MODULES}
    for package in PACKAGES:
        for path in (ROOT / package).glob("*.py"):
            name = package if path.stem == "__init__" else f"{package}.{path.stem}"
            files[name] = path
    return files


def imports_of(name: str, path: Path, known: set[str]) -> set[str]:
    """The project modules ``name`` imports (``from . import x`` and ``from pkg import module`` resolved)."""
    package = name if path.stem == "__init__" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[:len(base) - node.level + 1]
                source = ".".join(base + ([node.module] if node.module else []))
            else:
                source = node.module
            found.add(source)
            found.update(f"{source}.{alias.name}" for alias in node.names)  # a submodule imported by name
    return {m for m in found if m in known and m != name}


def import_graph() -> dict[str, set[str]]:
    files = module_files()
    known = set(files)
    return {name: imports_of(name, path, known) for name, path in files.items()}


def test_the_graph_sees_the_project():
    graph = import_graph()
    assert {"app", "extensions", "models", "admin_views.base", "services.importer", "reports.workbook"} <= set(graph)
    assert "admin_views.base" in graph["admin_views.assets"] and "extensions" in graph["app"]


def test_no_upward_imports():
    upward = [(name, target) for name, targets in import_graph().items() for target in targets
              if target.split(".")[0] in FORBIDDEN.get(name.split(".")[0], ())]
    assert upward == []


def test_no_import_cycles():
    graph = import_graph()
    cycles, state, stack = [], {}, []

    def visit(node):
        state[node] = "open"
        stack.append(node)
        for target in sorted(graph[node]):
            if target.startswith(node + ".") or node.startswith(target + "."):
                continue  # a package and its own modules: __init__ re-exporting them is not a cycle
            if state.get(target) == "open":
                cycles.append(stack[stack.index(target):] + [target])
            elif target not in state:
                visit(target)
        stack.pop()
        state[node] = "done"

    for node in sorted(graph):
        if node not in state:
            visit(node)
    assert cycles == []
