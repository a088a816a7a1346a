"""AST mutants of a Python package: where a package can be mutated, and one mutant written to a copy.

Theory of operation: ``sites`` parses every module of a package (skipping the paths the caller names,
such as the package's own tests) and lists each place a mutation operator applies, in ``ast.walk``
order, as a ``Site``: module, index of the node in that walk, line, the operator and its replacement.
``write_mutant`` copies the package to a directory, re-parses the one module, finds the node by its
walk index, applies the change and writes the module back with ``ast.unparse`` (so comments and layout
of that one module are lost; the code is the same but for the mutation). The copy goes first on
``PYTHONPATH`` of whatever runs against the mutant.

Operators (``OPERATORS``), the usual ones of mutation testing:

- ``binop``: an arithmetic or bitwise operator swapped (``+`` and ``-``, ``*`` and ``//``, ...);
- ``compare``: a comparison flipped (``<`` and ``<=``, ``==`` and ``!=``, ``in`` and ``not in``, ...);
- ``boolop``: ``and`` and ``or`` swapped;
- ``not``: a ``not`` dropped;
- ``constant``: an int plus one (0 and 1 swapped), ``True`` and ``False`` swapped, a bytes constant
  emptied or, when empty, given a byte; str constants are left alone (they are messages, names and
  docstrings, most of whose mutants are equivalent for a protocol library);
- ``remove``: a statement inside a function (an assignment, augmented assignment, call, ``raise`` or
  ``return`` with a value; not an annotation without a value, which does nothing at run time) replaced
  by ``pass``; module and class level statements are left alone (their removal mostly breaks the
  import, which any test notices).
"""

from __future__ import annotations

import ast
import dataclasses
import shutil
from collections.abc import Iterator, Sequence
from pathlib import Path

_BINOPS: dict[type[ast.operator], type[ast.operator]] = {
    ast.Add: ast.Sub,
    ast.Sub: ast.Add,
    ast.Mult: ast.FloorDiv,
    ast.FloorDiv: ast.Mult,
    ast.Div: ast.Mult,
    ast.Mod: ast.FloorDiv,
    ast.BitOr: ast.BitAnd,
    ast.BitAnd: ast.BitOr,
    ast.LShift: ast.RShift,
    ast.RShift: ast.LShift,
}
_COMPARES: dict[type[ast.cmpop], type[ast.cmpop]] = {
    ast.Lt: ast.LtE,
    ast.LtE: ast.Lt,
    ast.Gt: ast.GtE,
    ast.GtE: ast.Gt,
    ast.Eq: ast.NotEq,
    ast.NotEq: ast.Eq,
    ast.Is: ast.IsNot,
    ast.IsNot: ast.Is,
    ast.In: ast.NotIn,
    ast.NotIn: ast.In,
}
_REMOVABLE = (ast.Assign, ast.AugAssign, ast.AnnAssign, ast.Expr, ast.Raise, ast.Return)


@dataclasses.dataclass(frozen=True)
class Site:
    """One mutation: in ``module`` (a path relative to the package), node ``index`` of ``ast.walk``."""

    module: str
    index: int
    line: int
    operator: str  # a key of OPERATORS
    change: str  # what changes, e.g. "< -> <=" or "remove Return"

    @property
    def name(self) -> str:
        """A stable, readable id: module:line:operator:index."""
        return f"{self.module}:{self.line}:{self.operator}:{self.index}"


def _is_docstring(node: ast.AST, parents: dict[int, ast.AST]) -> bool:
    parent = parents.get(id(node))
    return isinstance(parent, ast.Expr) and isinstance(node, ast.Constant) and isinstance(node.value, str)


def _constant_change(value: object) -> object:
    """The mutated constant, or the value itself when the operator does not apply."""
    if isinstance(value, bool):
        return not value
    if isinstance(value, int):
        return 1 if value == 0 else 0 if value == 1 else value + 1
    if isinstance(value, bytes):
        return b"" if value else b"X"
    return value


def _mutate_node(node: ast.AST, parents: dict[int, ast.AST], *, apply: bool) -> tuple[str, str] | None:
    """(operator, change) for ``node``, or None; with ``apply`` the change is made (in the tree)."""
    if isinstance(node, ast.BinOp) and type(node.op) in _BINOPS:
        new_op = _BINOPS[type(node.op)]()
        change = f"{type(node.op).__name__} -> {type(new_op).__name__}"
        if apply:
            node.op = new_op
        return "binop", change
    if isinstance(node, ast.Compare) and type(node.ops[0]) in _COMPARES:
        new_cmp = _COMPARES[type(node.ops[0])]()
        change = f"{type(node.ops[0]).__name__} -> {type(new_cmp).__name__}"
        if apply:
            node.ops[0] = new_cmp
        return "compare", change
    if isinstance(node, ast.BoolOp):
        new_bool: ast.boolop = ast.Or() if isinstance(node.op, ast.And) else ast.And()
        if apply:
            node.op = new_bool
        return "boolop", f"{type(node.op).__name__} -> {type(new_bool).__name__}"
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
        if apply:
            _replace(node, node.operand, parents)
        return "not", "drop not"
    if isinstance(node, ast.Constant) and not _is_docstring(node, parents):
        new = _constant_change(node.value)
        if new is node.value or (new == node.value and type(new) is type(node.value)):
            return None
        change = f"{node.value!r:.30} -> {new!r:.30}"
        if apply:
            node.value = new  # type: ignore[assignment]  # a bool, int or bytes, like the original
        return "constant", change
    if (
        isinstance(node, _REMOVABLE)
        and _in_function(node, parents)
        and not (isinstance(node, (ast.Return, ast.AnnAssign)) and node.value is None)
    ):
        if isinstance(node, ast.Expr) and not isinstance(node.value, ast.Call):
            return None  # docstrings and bare names: removing them changes nothing
        if apply:
            _replace(node, ast.Pass(), parents)
        return "remove", f"remove {type(node).__name__}"
    return None


def _in_function(node: ast.AST, parents: dict[int, ast.AST]) -> bool:
    """True for a statement inside a function body (module and class level statements are left alone)."""
    parent = parents.get(id(node))
    while parent is not None:
        if isinstance(parent, (ast.FunctionDef, ast.AsyncFunctionDef)):
            return True
        parent = parents.get(id(parent))
    return False


def _replace(old: ast.AST, new: ast.AST, parents: dict[int, ast.AST]) -> None:
    """Put ``new`` where ``old`` is in its parent (a field or an item of a list field)."""
    parent = parents[id(old)]
    for field, value in ast.iter_fields(parent):
        if value is old:
            setattr(parent, field, new)
            return
        if isinstance(value, list) and any(item is old for item in value):
            value[next(i for i, item in enumerate(value) if item is old)] = new
            return


def _walk(tree: ast.AST) -> tuple[list[ast.AST], dict[int, ast.AST]]:
    """Every node in ``ast.walk`` order, and each node's parent by id."""
    nodes = list(ast.walk(tree))
    parents = {id(child): node for node in nodes for child in ast.iter_child_nodes(node)}
    return nodes, parents


def _modules(package_dir: Path, skip: Sequence[str]) -> Iterator[Path]:
    for path in sorted(package_dir.rglob("*.py")):
        rel = path.relative_to(package_dir).as_posix()
        if not any(rel == s or rel.startswith(s.rstrip("/") + "/") for s in skip):
            yield path


def sites(package_dir: Path, *, skip: Sequence[str] = ()) -> list[Site]:
    """Every mutation site of the package at ``package_dir`` (modules under ``skip`` left out)."""
    found: list[Site] = []
    for path in _modules(package_dir, skip):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        nodes, parents = _walk(tree)
        rel = path.relative_to(package_dir).as_posix()
        for index, node in enumerate(nodes):
            made = _mutate_node(node, parents, apply=False)
            if made is not None:
                found.append(Site(rel, index, getattr(node, "lineno", 0), made[0], made[1]))
    return found


def mutated_source(package_dir: Path, site: Site) -> str:
    """The source of ``site.module`` with the one mutation applied (``ast.unparse``)."""
    tree = ast.parse((package_dir / site.module).read_text(encoding="utf-8"))
    nodes, parents = _walk(tree)
    _mutate_node(nodes[site.index], parents, apply=True)
    return ast.unparse(ast.fix_missing_locations(tree))


def copy_package(package_dir: Path, dest_root: Path) -> Path:
    """Copy the package into ``dest_root/<name>`` (without byte-code caches); returns the copy."""
    copy = dest_root / package_dir.name
    shutil.copytree(package_dir, copy, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    return copy


def write_mutant(package_dir: Path, site: Site, dest_root: Path) -> Path:
    """A copy of the package under ``dest_root`` with ``site`` applied; returns the copy's directory."""
    copy = copy_package(package_dir, dest_root)
    (copy / site.module).write_text(mutated_source(package_dir, site), encoding="utf-8")
    return copy


OPERATORS: dict[str, type[ast.AST]] = {
    "binop": ast.BinOp,
    "compare": ast.Compare,
    "boolop": ast.BoolOp,
    "not": ast.UnaryOp,
    "constant": ast.Constant,
    "remove": ast.stmt,
}
"""The operator names ``Site.operator`` takes, with the node class each applies to."""
