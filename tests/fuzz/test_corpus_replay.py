"""The committed corpus replays clean on the reference: every regression entry and seed, one test each.

A regression entry records a bug once found; the reference must hold the target's oracle on it (and any
implementation fixed since must, too: ``h11spec corpus replay --impl NAME``). Damaged files fail here,
so they cannot hide in the committed corpus. Model-checker findings replay through
``conformance.model.replay`` when it exists.
"""

from __future__ import annotations

import importlib
from pathlib import Path

import pytest

from conformance.targets.load import Target, load_target
from fuzz.corpus import MODEL, Entry, load_corpus
from fuzz.targets import run_one

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "corpus"
LOADED = load_corpus(CORPUS)


@pytest.fixture(scope="module")
def reference() -> Target:
    """The reference implementation, loaded once."""
    return load_target("reference")


@pytest.mark.parametrize(
    "entry", LOADED.entries, ids=[f"{e.kind}/{e.target}/{e.path.name}" for e in LOADED.entries]
)
def test_entry_holds_its_oracle_on_the_reference(entry: Entry, reference: Target) -> None:
    """The reference passes the fuzz target's oracle on this committed corpus input."""
    finding = run_one(reference.api, (entry.target, entry.data))
    assert finding is None, f"{entry.path}: {finding}"


def test_committed_corpus_has_no_damaged_files() -> None:
    """Every file under fuzz/seeds and corpus/regressions can be read (and has valid metadata)."""
    assert [str(p) for p in LOADED.problems] == []
    assert any(e.kind == "seed" for e in LOADED.entries)


def test_replay_flags_an_entry_on_a_planted_fault() -> None:
    """Replaying a stored finding on the fault it came from fails: replay can fail at all."""
    from tests.faults.fuzz.findings import FAULTS

    fault = FAULTS[0]
    finding = run_one(load_target(fault.impl).api, (fault.target, fault.witness))
    assert finding is not None
    assert finding.exc_type == "IndexError"


def _model_rows() -> list[tuple[str, bool, str]]:
    directory = CORPUS / MODEL
    if not directory.is_dir():
        return []
    try:
        module = importlib.import_module("conformance.model.replay")
    except ImportError:
        return []
    rows: list[tuple[str, bool, str]] = module.replay_model_corpus(directory, load_target("reference"))
    return rows


def test_model_findings_agree_with_the_reference() -> None:
    """Every committed model-checker finding replays in agreement with the reference."""
    failures = [f"{path}: {message}" for path, agrees, message in _model_rows() if not agrees]
    assert failures == []
