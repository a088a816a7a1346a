"""fuzz.triage: artifacts become de-duplicated regression entries with metadata and a summary."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from conformance.errors import UsageError
from fuzz.corpus import load_regressions
from fuzz.summary import write_summary
from fuzz.triage import triage
from tests.faults.fuzz.findings import FAULTS, PlantedFault

# A request every implementation here handles correctly: replaying it finds nothing.
HARMLESS = b"GET / HTTP/1.1\r\nHost: a\r\n\r\n"


def _artifact(directory: Path, fault: PlantedFault, suffix: str, data: bytes) -> Path:
    kind = "timeout" if fault.outcome == "hang" else "crash"
    path = directory / f"{kind}-{suffix}"
    path.write_bytes(data)
    return path


def _variant(fault: PlantedFault) -> bytes:
    """A second witness of the same bug (same signature, other bytes)."""
    return fault.witness.replace(b"Host: a", b"Host: b").replace(b"Host:a", b"Host:b")


@pytest.mark.parametrize("fault", FAULTS, ids=[f.name for f in FAULTS])
def test_planted_fault_artifacts_fold_into_one_entry(tmp_path: Path, fault: PlantedFault) -> None:
    """Two artifacts of one planted bug give one signature and one regression entry with metadata, count 2."""
    arts = tmp_path / "artifacts"
    arts.mkdir()
    paths = [
        _artifact(arts, fault, "a", fault.witness),
        _artifact(arts, fault, "b", _variant(fault)),
        _artifact(arts, fault, "c", HARMLESS),
    ]
    regressions, reports = tmp_path / "corpus" / "regressions", tmp_path / "reports"
    started = time.monotonic()
    findings = triage(
        paths,
        fault.target,
        fault.impl,
        regressions_dir=regressions,
        minimize=False,
        report_dir=reports,
        timeout=1,
    )
    assert time.monotonic() - started < 30  # a timeout artifact is a verdict, not a hang of triage
    assert len(findings) == 1
    (finding,) = findings
    assert finding.outcome == fault.outcome
    assert finding.count == 2
    assert finding.new
    assert finding.entry is not None
    assert finding.entry.read_bytes() == fault.witness
    if fault.outcome != "violation":  # crashes and hangs are located in the fault's own module
        assert finding.signature[2] == f"{fault.impl}:next_event"
    loaded = load_regressions(tmp_path / "corpus")
    assert loaded.problems == []
    (entry,) = loaded.entries
    meta = entry.meta
    assert meta["target"] == fault.target
    assert meta["impl"] == fault.impl
    assert meta["impl_version"]
    assert tuple(meta["signature"]) == finding.signature
    assert meta["reference_outcome"]["oracle"] == "pass"
    assert meta["minimized"] is False
    assert meta["artifact"] == paths[0].name
    summary = json.loads((reports / "summary.json").read_text())
    assert [row["count"] for row in summary["findings"]] == [2]
    assert [u["artifact"] for u in summary["unreproduced"]] == [str(paths[2])]
    assert fault.target in (reports / "summary.md").read_text()


def test_known_signature_folds_into_existing_entry(tmp_path: Path) -> None:
    """Triaging the same bug again writes nothing new and points at the entry already stored."""
    fault = FAULTS[0]
    regressions = tmp_path / "corpus" / "regressions"
    first = _artifact(tmp_path, fault, "1", fault.witness)
    (old,) = triage(
        [first], fault.target, fault.impl, regressions_dir=regressions, minimize=False, report_dir=None
    )
    second = _artifact(tmp_path, fault, "2", _variant(fault))
    (again,) = triage(
        [second], fault.target, fault.impl, regressions_dir=regressions, minimize=False, report_dir=None
    )
    assert not again.new
    assert again.entry == old.entry
    assert len(load_regressions(tmp_path / "corpus").entries) == 1


def test_reference_passes_every_witness_so_nothing_is_stored(tmp_path: Path) -> None:
    """On the reference the planted faults' witnesses are no findings: nothing is written."""
    regressions = tmp_path / "regressions"
    for fault in FAULTS:
        art = _artifact(tmp_path, fault, fault.name, fault.witness)
        found = triage(
            [art], fault.target, "reference", regressions_dir=regressions, report_dir=None, timeout=2
        )
        assert found == []
    assert not regressions.exists()


def test_unreadable_artifact_is_skipped_with_its_name(tmp_path: Path) -> None:
    """An artifact that cannot be read is reported by name and the others are still triaged."""
    fault = FAULTS[0]
    bad = tmp_path / "crash-dir"
    bad.mkdir()
    good = _artifact(tmp_path, fault, "ok", fault.witness)
    lines: list[str] = []
    found = triage(
        [bad, good],
        fault.target,
        fault.impl,
        regressions_dir=tmp_path / "r",
        minimize=False,
        report_dir=None,
        log=lines.append,
    )
    assert len(found) == 1
    assert len(lines) == 1
    assert str(bad) in lines[0]


def test_unknown_target_is_a_usage_error(tmp_path: Path) -> None:
    """A target name that does not exist is a one-line usage error naming the known ones."""
    with pytest.raises(UsageError, match="server-parse"):
        triage([], "no-such-target", "reference", regressions_dir=tmp_path, report_dir=None)


def test_summary_keeps_rows_of_other_targets(tmp_path: Path) -> None:
    """The summary accumulates: triaging one target replaces only that target's rows."""
    from fuzz.summary import TriagedFinding

    def finding(target: str) -> TriagedFinding:
        return TriagedFinding(target, "h11", "0.16.0", ("o", "E", "m:f"), "crash", "msg", [Path("crash-1")])

    write_summary(tmp_path, "send", "h11", [finding("send")], [])
    write_summary(tmp_path, "server-parse", "h11", [finding("server-parse")], [])
    write_summary(tmp_path, "server-parse", "h11", [], [])
    rows = json.loads((tmp_path / "summary.json").read_text())["findings"]
    assert [r["target"] for r in rows] == ["send"]
    assert "| send |" in (tmp_path / "summary.md").read_text()


@pytest.mark.slow
def test_minimization_shrinks_and_keeps_the_signature(tmp_path: Path) -> None:
    """A padded crash is minimized by libFuzzer within the budget; the stored input shows the same bug."""
    fault = FAULTS[0]  # IndexError on an empty field name
    padded = fault.witness.replace(
        b"Host: a\r\n", b"Host: a\r\nUser-Agent: " + b"x" * 60 + b"\r\nAccept: */*\r\n"
    )
    art = _artifact(tmp_path, fault, "padded", padded)
    started = time.monotonic()
    (finding,) = triage(
        [art],
        fault.target,
        fault.impl,
        regressions_dir=tmp_path / "corpus" / "regressions",
        report_dir=None,
        minimize_budget=12,
    )
    assert time.monotonic() - started < 40
    assert finding.minimized
    assert finding.entry is not None
    smaller = finding.entry.read_bytes()
    assert len(smaller) < len(padded)
    (again,) = triage(
        [finding.entry],
        fault.target,
        fault.impl,
        regressions_dir=tmp_path / "other",
        minimize=False,
        report_dir=None,
    )
    assert again.signature == finding.signature


def test_stored_message_describes_the_minimized_input(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """After minimization the entry's message is the stored (minimized) input's, not the original's."""
    from conformance.targets.load import load_target
    from fuzz import triage as triage_module
    from fuzz.targets import run_one

    fault = FAULTS[1]  # chunk_size_0x: the violation's message names the split, which the bytes choose
    padded = fault.witness.replace(b"Host: a\r\n", b"Host: a\r\nUser-Agent: " + b"x" * 60 + b"\r\n")
    art = _artifact(tmp_path, fault, "padded", padded)
    # libFuzzer's minimizer is random; stand in for it with the smaller witness of the same bug
    monkeypatch.setattr(triage_module, "minimize_input", lambda *args, **kwargs: fault.witness)
    (finding,) = triage(
        [art], fault.target, fault.impl, regressions_dir=tmp_path / "regressions", report_dir=None
    )
    assert finding.minimized
    assert finding.entry is not None
    assert finding.entry.read_bytes() == fault.witness
    meta = json.loads(finding.entry.with_name(finding.entry.name + ".json").read_text())
    again = run_one(load_target(fault.impl).api, (fault.target, fault.witness))
    original = run_one(load_target(fault.impl).api, (fault.target, padded))
    assert again is not None
    assert original is not None
    assert meta["message"] == again.message != original.message
