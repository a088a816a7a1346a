"""``h11spec mutate``: mutation sites, one mutant per copy, and kills judged by a diff of results."""

from __future__ import annotations

import ast
import json
from pathlib import Path

import pytest

from conformance.commands.cli import main
from conformance.commands.mutants import OPERATORS, mutated_source, sites, write_mutant
from conformance.commands.mutate import difference

TINY = '''"""A docstring."""

LIMIT = 16


def size(data: bytes, flag: bool = True) -> int:
    """How big."""
    total: int = len(data) + 1
    later: int
    total += 2
    if total < LIMIT and not flag or data == b"x":
        raise ValueError("too small")
    print(total)
    return total
'''


@pytest.fixture
def tiny(tmp_path: Path) -> Path:
    """A one-module package to mutate."""
    package = tmp_path / "tiny"
    package.mkdir()
    (package / "__init__.py").write_text(TINY)
    (package / "tests").mkdir()
    (package / "tests" / "test_x.py").write_text("def test_x():\n    assert 1 + 1 == 2\n")
    return package


def test_every_operator_finds_a_site_and_changes_the_source(tiny: Path) -> None:
    """Each operator applies in the tiny package, and every mutant's source differs from the original."""
    found = sites(tiny, skip=["tests"])
    assert {s.operator for s in found} == set(OPERATORS)
    assert all(s.module == "__init__.py" for s in found)  # the skipped tests are never mutated
    original = ast.unparse(ast.parse(TINY))
    assert all(mutated_source(tiny, s) != original for s in found)
    assert not [s for s in found if "docstring" in s.change or "'A docstring.'" in s.change]
    removed = sorted(s.change for s in found if s.operator == "remove")  # not the bare annotation
    assert removed == ["remove AnnAssign", "remove AugAssign", "remove Expr", "remove Raise", "remove Return"]


def test_write_mutant_leaves_the_original_alone(tiny: Path, tmp_path: Path) -> None:
    """A mutant is a copy with one module rewritten; the package it came from is unchanged."""
    site = next(s for s in sites(tiny) if s.operator == "compare")
    copy = write_mutant(tiny, site, tmp_path / "m0")
    assert (tiny / "__init__.py").read_text() == TINY
    assert (copy / "__init__.py").read_text() != TINY
    assert (copy / "tests" / "test_x.py").is_file()


def test_difference_names_changed_missing_and_new_results() -> None:
    """A verdict that changed, a case that vanished and a new model finding all count as differences."""
    base = {"h11 a": "pass", "h11 b": "pass", "h11 c": "fail"}
    mutant = {"h11 a": "pass", "h11 b": "crash", "h11 model:wire": "finding"}
    assert difference(base, mutant) == ["h11 b", "h11 c", "h11 model:wire"]
    assert difference(base, dict(base)) == []


def test_bad_package_is_a_usage_error(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """An unknown package gives one line on stderr and exit 2, before any work."""
    assert main(["mutate", "--package", "no_such_package_xyz", "--out", str(tmp_path / "m.json")]) == 2
    assert capsys.readouterr().err.count("\n") == 1
    assert not (tmp_path / "m.json").exists()


@pytest.mark.slow
def test_two_mutants_of_h11_are_run_and_judged(tmp_path: Path) -> None:
    """A two-mutant sample of h11 runs h11spec on each and records a kill or a survival with its reason."""
    out = tmp_path / "mutation.json"
    assert (
        main(["mutate", "--sample", "2", "--seed", "1", "--jobs", "2", "--timeout", "120", "--out", str(out)])
        == 0
    )
    report = json.loads(out.read_text())
    assert report["summary"]["mutants"] == 2
    assert [m["h11spec"]["detail"] != "" for m in report["mutants"]] == [True, True]
    assert report["summary"]["killed_by_h11spec"] == sum(m["h11spec"]["killed"] for m in report["mutants"])
