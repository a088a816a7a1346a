"""Every committed model-checker corpus entry replays against the reference, which agrees with itself."""

from __future__ import annotations

from pathlib import Path

import pytest

from conformance.model.replay import replay_model_corpus
from conformance.target import load_target

CORPUS = Path(__file__).resolve().parents[2] / "corpus" / "model"
ENTRIES = sorted(CORPUS.glob("*.json"))


@pytest.mark.parametrize("entry", ENTRIES, ids=[e.stem for e in ENTRIES])
def test_entry_replays_and_the_reference_agrees(entry: Path, tmp_path: Path) -> None:
    """Replaying a committed finding against the reference raises no violation (and the entry parses)."""
    (tmp_path / entry.name).write_bytes(entry.read_bytes())
    [(path, agrees, message)] = replay_model_corpus(tmp_path, load_target("reference"))
    assert agrees, f"{path}: {message}"
