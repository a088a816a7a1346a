"""Self-tests of the package layout: no import circles, and no import that goes back up the layers.

Theory of operation: every module of ``conformance`` and ``fuzz`` is parsed (not imported) and every
``import`` statement in it, at any depth (inside functions and ``TYPE_CHECKING`` blocks too, since a
lazy import is still a dependency), becomes an edge to the module it names. The layers are the ones the
README's Architecture section draws: commands, then reports, then the engines (catalog, model, fuzz),
then drive and targets, then the reference, then the shared core. Run it alone with
``pytest tests/test_layout.py``.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("conformance", "fuzz")

# (module prefix, layer): the longest matching prefix decides; a module may import its own layer or
# below, never above.
LAYERS: tuple[tuple[str, int], ...] = (
    ("conformance", 0),  # the package face: version only
    ("conformance.errors", 0),
    ("conformance.verdict", 0),
    ("conformance.results", 0),
    ("conformance.atomic", 0),
    ("conformance.vectors", 0),
    ("conformance.reference", 1),
    ("conformance.drive", 2),
    ("conformance.oracle", 2),
    ("conformance.strategies", 2),
    ("conformance.targets", 2),
    ("conformance.catalog", 3),
    ("conformance.model", 3),
    ("fuzz", 3),
    ("conformance.reports", 4),
    ("conformance.commands", 5),
)


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _modules() -> dict[str, Path]:
    found: dict[str, Path] = {}
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            found[_module_name(path)] = path
    return found


def import_graph() -> dict[str, set[str]]:
    """Module -> the project modules it imports (resolved to modules that exist)."""
    modules = _modules()
    graph: dict[str, set[str]] = {name: set() for name in modules}
    for name, path in modules.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            targets: list[str] = []
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                    base = ".".join([*anchor, base] if base else anchor)
                targets = [f"{base}.{alias.name}" for alias in node.names] + [base]
            for target in targets:
                while target and target not in modules:
                    target = target.rpartition(".")[0]
                if target and target != name:
                    graph[name].add(target)
    return graph


def _layer(module: str) -> int:
    best = max((p for p, _ in LAYERS if module == p or module.startswith(p + ".")), key=len)
    return dict(LAYERS)[best]


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import circle as a list of modules (first == last), or None when the graph has none."""
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                return [*stack[stack.index(nxt) :], nxt]
            if nxt not in state and (cycle := visit(nxt)):
                return cycle
        stack.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state and (cycle := visit(node)):
            return cycle
    return None


def test_no_import_circle() -> None:
    """No module of conformance or fuzz reaches itself through imports, lazy ones included."""
    assert find_cycle(import_graph()) is None


def test_cycle_finder_finds_a_planted_circle() -> None:
    """The circle finder reports a circle planted into a copy of the real graph."""
    graph = import_graph()
    graph["conformance.errors"].add("conformance.commands.cli")
    cycle = find_cycle(graph)
    assert cycle is not None
    assert cycle[0] == cycle[-1]


def test_no_import_goes_up_a_layer() -> None:
    """Commands import engines, engines import drive and targets, those import the reference and core."""
    upward = sorted(
        f"{src} -> {dst}" for src, dsts in import_graph().items() for dst in dsts if _layer(dst) > _layer(src)
    )
    assert upward == []


def test_shipped_code_never_imports_tests() -> None:
    """Nothing under conformance/ or fuzz/ imports the tests package."""
    offenders = []
    for name, path in _modules().items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = (
                [a.name for a in node.names]
                if isinstance(node, ast.Import)
                else [node.module or ""]
                if isinstance(node, ast.ImportFrom)
                else []
            )
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and "." in node.value:
                names.append(node.value.split()[0] if node.value.strip() else "")  # a module for importlib
            offenders += [f"{name}: {n}" for n in names if n == "tests" or n.startswith("tests.")]
    assert offenders == []


def test_conformance_shows_one_folder_per_part() -> None:
    """`ls conformance` is the parts as packages plus the few shared modules every engine uses."""
    entries = {
        p.name for p in (ROOT / "conformance").iterdir() if not p.name.startswith((".", "__pycache__"))
    }
    packages = {p for p in entries if (ROOT / "conformance" / p / "__init__.py").exists()}
    assert packages == {"reference", "targets", "catalog", "model", "reports", "commands"}
    loose = {p for p in entries - packages if p.endswith(".py")} - {"__init__.py"}
    assert loose <= {
        "errors.py",
        "verdict.py",
        "results.py",
        "atomic.py",
        "drive.py",
        "oracle.py",
        "strategies.py",
        "vectors.py",
    }
