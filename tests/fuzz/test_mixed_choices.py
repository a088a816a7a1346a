"""The differential target reports one implementation mixing a choice point's alternatives as information.

An implementation that takes one allowed alternative at the first occurrence of a choice point on a
connection and another allowed one later matches no single assignment of the set oracle; it is neither
a finding nor conforming twice: ``observe_one`` returns an info, ``run_one`` nothing, and the campaign's
recorder, triage and summary count it apart from findings. A disallowed alternative at a later
occurrence is still a finding.
"""

from __future__ import annotations

import importlib
import json
from pathlib import Path
from typing import Any

import pytest

from conformance import drive
from conformance.oracle import MAX_MIXED_TIMES, feed_outcomes, mixed_outcome
from conformance.targets.load import reference_api
from fuzz import checks
from fuzz.campaign import CampaignResult, _infos, run_campaign
from fuzz.recorder import Recorder, read_counts
from fuzz.summary import record_infos, write_summary
from fuzz.targets import observe_one, run_one
from fuzz.triage import triage
from tests.faults.choices._base import MIXED, NEAR_MIXED, PROBES

ROOT = Path(__file__).resolve().parents[2]
FAULTS = "tests.faults.choices."


def _api(name: str) -> Any:
    return importlib.import_module(FAULTS + name)


@pytest.mark.parametrize("name", sorted(MIXED))
def test_a_mixed_choice_is_information_not_a_finding(name: str) -> None:
    """Two pipelined messages reaching one point, taken once each way, give an info naming the point."""
    cid, data = MIXED[name]
    api = _api(name)
    assert run_one(api, ("differential", data)) is None
    info = observe_one(api, ("differential", data))
    assert info is not None
    assert info.is_info
    assert info.frame == f"info:mixed:{cid}"
    assert f"mixes alternatives of {cid} within one connection: " in info.message
    assert observe_one(importlib.import_module("conformance.reference"), ("differential", data)) is None


@pytest.mark.parametrize("name", sorted(MIXED))
def test_a_mixed_choice_matches_no_single_assignment(name: str) -> None:
    """The set oracle alone accepts no outcome of the mixed trace exactly: the mixture is what matches."""
    cid, data = MIXED[name]
    impl = drive.feed(_api(name), "server", [data])
    conf = feed_outcomes("server", [data], lambda ref: checks._exact(impl, ref))
    assert conf.accepted is None
    assert cid in conf.considered
    ref = reference_api()
    mixed = checks.mixed_choice(impl, conf, lambda: drive.feed(ref, "server", [data]))
    assert mixed is not None
    assert mixed.choice == cid
    assert len(set(mixed.sequence)) == 2


@pytest.mark.parametrize("name", sorted(NEAR_MIXED))
def test_a_disallowed_alternative_on_a_later_occurrence_is_still_a_finding(name: str) -> None:
    """Replacing the second obs-fold by nothing (not SP) is a violation naming the points considered."""
    _, data = NEAR_MIXED[name]
    finding = run_one(_api(name), ("differential", data))
    assert finding is not None
    assert not finding.is_info
    assert finding.exc_type == "OracleViolation"
    assert "choice points considered: obs-fold" in finding.message


def test_a_flipped_choice_on_both_messages_is_no_information() -> None:
    """The same alternative at every occurrence (reject, twice) is conforming: neither info nor finding."""
    data = MIXED["mixed_obs_fold"][1]
    assert observe_one(_api("flip_obs_fold"), ("differential", data)) is None


def test_mixtures_are_tried_only_up_to_max_mixed_times() -> None:
    """A point reached more often than MAX_MIXED_TIMES costs one run per alternative plus the mixtures of
    that length only (the last alternative repeating), and a mix within the bound is still found."""
    data = PROBES["obs-fold"][1] * (MAX_MIXED_TIMES + 2)
    runs = [0]
    reference = importlib.import_module("conformance.reference")

    def run() -> drive.Trace:
        runs[0] += 1
        return drive.feed(reference, "server", [data])

    assert mixed_outcome(run, lambda trace: False, {"obs-fold"}) is None
    assert runs[0] == 2 + (2**MAX_MIXED_TIMES - 2)
    info = observe_one(_api("mixed_obs_fold"), ("differential", data))
    assert info is not None
    assert info.is_info


def test_the_recorder_counts_information_and_writes_no_artifact(tmp_path: Path) -> None:
    """A campaign worker counts an info under level "info", apart from findings, and saves no crash- file."""
    name = "mixed_obs_fold"
    recorder = Recorder(_api(name), "differential", tmp_path)
    for _ in range(3):
        recorder.test_one_input(MIXED[name][1])
    recorder.flush()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith("crash-")]
    assert read_counts(tmp_path) == {}
    assert sum(read_counts(tmp_path, level="info").values()) == 3
    assert _infos(tmp_path) == {"mixed:obs-fold": 3}


def test_triage_stores_no_regression_entry_for_information(tmp_path: Path) -> None:
    """An artifact replaying as information is neither a finding nor unreproduced; nothing is stored."""
    artifact = tmp_path / "crash-mixed"
    artifact.write_bytes(MIXED["mixed_obs_fold"][1])
    lines: list[str] = []
    found = triage(
        [artifact],
        "differential",
        FAULTS + "mixed_obs_fold",
        regressions_dir=tmp_path / "regressions",
        minimize=False,
        report_dir=tmp_path / "reports",
        log=lines.append,
    )
    assert found == []
    assert not (tmp_path / "regressions").exists() or not any((tmp_path / "regressions").rglob("*.json"))
    summary = json.loads((tmp_path / "reports" / "summary.json").read_text())
    assert summary["findings"] == []
    assert summary["unreproduced"] == []
    assert any("information (not a finding)" in line for line in lines)


def test_the_summary_lists_information_apart_and_keeps_it(tmp_path: Path) -> None:
    """record_infos writes an info line, not a findings row, and a later triage summary keeps it."""
    record_infos(tmp_path, "differential", "x", {"mixed:obs-fold": 2})
    write_summary(tmp_path, "differential", "x", [], [])
    summary = json.loads((tmp_path / "summary.json").read_text())
    assert summary["findings"] == []
    assert summary["infos"] == [{"target": "differential", "impl": "x", "kind": "mixed:obs-fold", "count": 2}]
    text = (tmp_path / "summary.md").read_text()
    assert "info: 2 input(s) mix alternatives of obs-fold within one connection" in text
    assert "no findings" in text


def test_no_summary_is_written_for_no_information(tmp_path: Path) -> None:
    """A campaign with no information and no summary yet writes none."""
    record_infos(tmp_path, "differential", "x", {})
    assert not (tmp_path / "summary.json").exists()


def test_campaign_result_prints_information_lines() -> None:
    """The campaign summary says how many inputs mixed which point's alternatives, apart from findings."""
    result = CampaignResult("differential", "x", 1, 1.0, 1, [], 1.0, infos={"mixed:bare-lf": 4})
    assert result.info_lines() == ["info: 4 input(s) mix alternatives of bare-lf within one connection"]
    assert result.to_json()["infos"] == [{"kind": "mixed:bare-lf", "count": 4}]
    assert result.new_findings == 0


@pytest.mark.slow
def test_a_seeded_smoke_campaign_reports_the_mix_as_information(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A few-second differential campaign on the mixed fault, seeded with the pipelined input, counts
    infos and stores no artifact, finding or regression entry."""
    monkeypatch.chdir(ROOT)
    monkeypatch.setenv("PYTHONPATH", str(ROOT))
    work = tmp_path / "work"
    work.mkdir()
    (work / "two-folds").write_bytes(MIXED["mixed_obs_fold"][1])
    result = run_campaign(
        "differential",
        FAULTS + "mixed_obs_fold",
        seconds=4,
        corpus_dir=work,
        artifacts_dir=tmp_path / "artifacts",
        regressions_dir=tmp_path / "regressions",
        report_dir=tmp_path / "reports",
        use_seeds=False,
        minimize=False,
        extra_args=("-seed=1",),
        log=lambda line: None,
    )
    assert result.artifacts == []
    assert result.findings == []
    assert result.recorded == {}
    assert result.infos.get("mixed:obs-fold", 0) >= 1
    assert any("mix alternatives of obs-fold" in line for line in result.info_lines())
    assert "mix alternatives of obs-fold" in (tmp_path / "reports" / "summary.md").read_text()
