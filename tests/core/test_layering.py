"""The layers of docs/ARCHITECTURE.md, enforced: who may import whom, and no import cycles.

Imports are read from the source (every ``import``/``from`` anywhere in a module, lazy ones
inside functions included: a lazy import is still a dependency); those under
``if TYPE_CHECKING:`` are annotations only and are left out.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import spinelib

PKG = Path(spinelib.__file__).parent


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PKG.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


MODULES = {module_name(p): p for p in PKG.rglob("*.py")}


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def _resolve(name: str) -> str | None:
    """The project module an imported name refers to (a submodule if it is one)."""
    while name and name not in MODULES:
        name = name.rpartition(".")[0]
    return name or None


def imports_of(module: str) -> set[str]:
    """Project modules ``module`` imports (TYPE_CHECKING blocks aside)."""
    tree = ast.parse(MODULES[module].read_text(encoding="utf-8"))
    found: set[str] = set()
    is_package = MODULES[module].name == "__init__.py"
    package = module if is_package else module.rpartition(".")[0]

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.If) and _is_type_checking(node):
            for child in node.orelse:
                visit(child)
            return
        if isinstance(node, ast.Import):
            for alias in node.names:
                target = _resolve(alias.name)
                if target:
                    found.add(target)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(anchor + ([base] if base else []))
            for alias in node.names:
                target = _resolve(f"{base}.{alias.name}") if base else None
                if target == base or target is None:
                    target = _resolve(base)
                if target:
                    found.add(target)
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(tree)
    found.discard(module)
    return found


GRAPH = {m: imports_of(m) for m in MODULES}


def _in(module: str, *packages: str) -> bool:
    return any(module == p or module.startswith(p + ".") for p in packages)


def violations(source: tuple[str, ...], forbidden: tuple[str, ...]) -> list[str]:
    return sorted(f"{m} imports {t}" for m, targets in GRAPH.items() if _in(m, *source)
                  for t in targets if _in(t, *forbidden))


def test_the_graph_is_read() -> None:
    """The reader really sees imports (a test of the test)."""
    assert "spinelib.store" in GRAPH["spinelib.library.facade"]
    assert "spinelib.store.sqlite.files" in GRAPH["spinelib.store.sqlite.engine"]
    assert "spinelib.library.facade" not in GRAPH["spinelib.library.merge"]  # TYPE_CHECKING


def test_sources_never_import_the_library_or_the_store() -> None:
    assert violations(("spinelib.sources",), ("spinelib.library", "spinelib.store")) == []


def test_formats_never_import_sources_library_or_store() -> None:
    assert violations(("spinelib.formats",),
                      ("spinelib.sources", "spinelib.library", "spinelib.store")) == []


def test_faces_never_import_the_store() -> None:
    assert violations(("spinelib.cli", "spinelib.gui"), ("spinelib.store",)) == []


def test_the_store_never_imports_the_library_or_a_face() -> None:
    assert violations(("spinelib.store",),
                      ("spinelib.library", "spinelib.cli", "spinelib.gui")) == []


def test_only_the_store_speaks_sql() -> None:
    """No module outside the store opens a database connection or imports a driver."""
    drivers = ("sqlite3", "psycopg")
    offenders = []
    for name, path in MODULES.items():
        if _in(name, "spinelib.store"):
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import | ast.ImportFrom):
                names = [a.name for a in node.names] if isinstance(node, ast.Import) else \
                    [node.module or ""]
                if any(n.split(".")[0] in drivers for n in names):
                    offenders.append(name)
    assert sorted(set(offenders)) == [], offenders


SQL_RE = re.compile(r"\b(SELECT\s+\S+\s+FROM|INSERT\s+(OR\s+\w+\s+)?INTO|DELETE\s+FROM|"
                    r"UPDATE\s+\w+\s+SET|CREATE\s+(TABLE|INDEX|TRIGGER))\b")


def _docstrings(tree: ast.AST) -> set[int]:
    """ids of the string constants that are docstrings (prose may name SQL)."""
    out: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                out.add(id(body[0].value))
    return out


def test_no_sql_text_outside_the_store() -> None:
    """No string in code outside spinelib/store/ is an SQL statement (docstrings aside)."""
    offenders = []
    for name, path in MODULES.items():
        if _in(name, "spinelib.store"):
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        docs = _docstrings(tree)
        for node in ast.walk(tree):
            if (isinstance(node, ast.Constant) and isinstance(node.value, str)
                    and id(node) not in docs and SQL_RE.search(node.value)):
                offenders.append(f"{name}:{node.lineno}")
    assert offenders == []


def test_no_import_cycles() -> None:
    """Strongly connected components of the module graph are all single modules."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    cycles: list[list[str]] = []
    counter = [0]

    def strongconnect(v: str) -> None:
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on_stack.add(v)
        for w in GRAPH.get(v, ()):
            if w not in index:
                strongconnect(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                cycles.append(sorted(component))

    for v in sorted(GRAPH):
        if v not in index:
            strongconnect(v)
    assert cycles == []


def test_no_module_over_400_lines() -> None:
    long = {name: n for name, path in MODULES.items()
            if (n := len(path.read_text(encoding="utf-8").splitlines())) > 400}
    assert long == {}


def test_no_function_is_too_complex() -> None:
    """ruff's complexity rule (C901, at most 10 branches) holds for the whole package."""
    import subprocess
    import sys

    proc = subprocess.run([sys.executable, "-m", "ruff", "check", "--select", "C901",
                           "--config", "lint.mccabe.max-complexity = 10", str(PKG)],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stdout[-2000:]
