"""fuzz.recorder: a finding is saved once per signature, counted, and never raised to libFuzzer."""

from __future__ import annotations

import json
from pathlib import Path

from conformance.targets.load import load_target
from fuzz.recorder import KNOWN_FILE, Recorder, read_counts, write_known
from tests.faults.fuzz.findings import FAULTS

FAULT = FAULTS[0]  # IndexError on an empty field name (server-parse)
HARMLESS = b"GET / HTTP/1.1\r\nHost: a\r\n\r\n"


def test_new_signature_saved_once_and_counted(tmp_path: Path) -> None:
    """The first input of a signature is saved as crash-<sha1>; later ones are counted, nothing is raised."""
    recorder = Recorder(load_target(FAULT.impl).api, FAULT.target, tmp_path)
    recorder.test_one_input(HARMLESS)
    recorder.test_one_input(FAULT.witness)
    recorder.test_one_input(FAULT.witness.replace(b"x", b"y"))
    recorder.test_one_input(FAULT.witness)
    recorder.flush()
    saved = sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("crash-"))
    assert len(saved) == 1
    assert (tmp_path / saved[0]).read_bytes() == FAULT.witness
    assert list(read_counts(tmp_path).values()) == [3]


def test_known_signature_is_counted_not_saved(tmp_path: Path) -> None:
    """A signature listed in the known file is counted but no artifact is written for it."""
    api = load_target(FAULT.impl).api
    probe = tmp_path / "probe"
    probe.mkdir()
    first = Recorder(api, FAULT.target, probe)
    first.test_one_input(FAULT.witness)
    (signature,) = read_counts(probe)
    write_known(tmp_path, {signature})
    assert json.loads((tmp_path / KNOWN_FILE).read_text()) == [list(signature)]
    recorder = Recorder(api, FAULT.target, tmp_path)
    recorder.test_one_input(FAULT.witness)
    recorder.test_one_input(FAULT.witness)
    recorder.flush()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith("crash-")]
    assert read_counts(tmp_path) == {signature: 2}


def test_counts_add_up_across_workers(tmp_path: Path) -> None:
    """read_counts adds the per-worker count files by signature and skips damaged ones."""
    row = {"signature": ["o", "E", "m:f"], "count": 2}
    (tmp_path / ".findings-1.json").write_text(json.dumps([row]))
    (tmp_path / ".findings-2.json").write_text(json.dumps([dict(row, count=5)]))
    (tmp_path / ".findings-3.json").write_text("{broken")
    assert read_counts(tmp_path) == {("o", "E", "m:f"): 7}
