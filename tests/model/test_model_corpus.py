"""Every committed model-checker corpus entry replays against the reference, which agrees with itself."""

from __future__ import annotations

from pathlib import Path

import pytest

from conformance.model.replay import replay_model_corpus
from conformance.targets.load import load_target

CORPUS = Path(__file__).resolve().parents[2] / "corpus" / "model"
ENTRIES = sorted(CORPUS.glob("*.json"))


@pytest.mark.parametrize("entry", ENTRIES, ids=[e.stem for e in ENTRIES])
def test_entry_replays_and_the_reference_agrees(entry: Path, tmp_path: Path) -> None:
    """Replaying a committed finding against the reference raises no violation (and the entry parses)."""
    (tmp_path / entry.name).write_bytes(entry.read_bytes())
    [(path, agrees, message)] = replay_model_corpus(tmp_path, load_target("reference"))
    assert agrees, f"{path}: {message}"


H11_ENTRIES = [e for e in ENTRIES if '"impl": "h11"' in e.read_text()]


@pytest.mark.parametrize("entry", H11_ENTRIES, ids=[e.stem for e in H11_ENTRIES])
def test_h11_findings_are_documented_differences(entry: Path) -> None:
    """What the model checker found in h11 under rfc9112 is masked under the h11 profile (documented)."""
    import h11

    from conformance.model.entries import read_entry
    from conformance.model.replay import replay_actions
    from conformance.targets.load import reference_api

    fields, actions = read_entry(entry)
    assert replay_actions(h11, reference_api(), {**fields, "profile": "rfc9112"}, actions) is not None
    assert replay_actions(h11, reference_api(), {**fields, "profile": "h11"}, actions) is None
