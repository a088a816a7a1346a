"""The model checker's results depend on its seed and input alone, not on what ran before in the process."""

from __future__ import annotations

import importlib
import itertools
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, seed, settings

from conformance import strategies as gen
from conformance.model import shrink as shrink_module
from conformance.model.pinned import pinned_generation
from conformance.model.shrink import shrink
from conformance.targets.load import reference_api

ROOT = Path(__file__).resolve().parents[2]
MARKER = b"qzjv"
_counter = itertools.count()


def _examples() -> list[Any]:
    """200 seeded request specs, generated the way the model checker generates them."""
    seen: list[Any] = []

    @seed(0)
    @settings(max_examples=200, database=None, deadline=None)
    @given(gen.request_specs())
    def collect(spec: Any) -> None:
        seen.append(spec)

    collect()
    return seen


def _import_constants(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Import new local modules full of distinctive short constants (as an earlier test might)."""
    monkeypatch.syspath_prepend(str(tmp_path))
    for _ in range(3):  # enough new values to weigh in a pool already full of the project's own
        n = next(_counter)  # new values every time: Hypothesis keeps what it harvested for good
        name = f"h11spec_probe_{n}"
        tags = [f"{MARKER.decode()}{n}x{i}" for i in range(300)]
        lines = [f"C{i} = {tag.encode()!r}, {tag!r}, {1000 * (n + 2) + i}" for i, tag in enumerate(tags)]
        (tmp_path / f"{name}.py").write_text("\n".join(lines) + "\n")
        module = importlib.import_module(name)
        monkeypatch.setitem(sys.modules, name, module)  # stays imported for this test, removed after it


def test_pinned_generation_ignores_modules_imported_before(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Under pinned_generation the seeded examples stay the same when another module is imported."""
    with pinned_generation():
        before = _examples()
    _import_constants(tmp_path, monkeypatch)
    with pinned_generation():
        after = _examples()
    assert after == before
    assert MARKER not in repr(after).encode()


def unpinned_examples_change(directory: str) -> bool:
    """In this process, unpinned: whether importing constant-laden modules changes the seeded examples."""
    before = _examples()
    with pytest.MonkeyPatch.context() as monkeypatch:
        _import_constants(Path(directory), monkeypatch)
        after = _examples()
    return after != before


def test_unpinned_generation_is_what_the_pin_prevents(tmp_path: Path) -> None:
    """Without the pin, importing a module changes the seeded examples (so the test above can fail).

    It runs in a fresh interpreter: what earlier tests of a long run imported and removed can hide new
    modules from Hypothesis's look-up (it compares only the length of sys.modules).
    """
    call = f"unpinned_examples_change({str(tmp_path)!r})"
    code = f"import sys; from {__name__} import unpinned_examples_change; sys.exit(0 if {call} else 1)"
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, timeout=120, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr[-2000:]


def test_shrinking_does_not_depend_on_the_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    """Shrinking is bounded by attempts, so a clock racing ahead (a busy machine) gives the same result."""
    actions = [("cycle", "client")] * 7 + [("eof", "server")] + [("cycle", "server")] * 7

    def fails(candidate: list[Any]) -> bool:
        return ("eof", "server") in candidate

    calm = shrink(actions, fails, attempts=50)
    ticks = itertools.count(step=1000.0)
    monkeypatch.setattr(shrink_module.time, "monotonic", lambda: next(ticks))
    busy = shrink(actions, fails, attempts=50)
    assert calm == busy == [("eof", "server")]


def test_shrinking_stops_at_its_attempt_budget() -> None:
    """shrink() calls the predicate at most ``attempts`` times and still returns a failing list."""
    calls = []

    def fails(candidate: list[Any]) -> bool:
        calls.append(candidate)
        return len(candidate) >= 3

    result = shrink([("cycle", "client")] * 40, fails, attempts=5)
    assert len(calls) == 5
    assert fails(result)


def test_a_private_copy_of_the_reference_does_not_become_the_oracle() -> None:
    """After a catalog fault re-imports the reference privately, the real reference is still the oracle."""
    from tests.faults.catalog import faults

    real = importlib.import_module("conformance.reference")
    faults.private_copy("conformance.reference", "determinism-test")
    import conformance.reference as bound

    assert bound is real
    assert reference_api() is real
