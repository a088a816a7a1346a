"""Issue #6's planted faults: each is found by the right fuzz target from the seeds, stored, and replayed.

Each fault gets a short campaign (``PlantedFault.seconds``, one job, from the package's seeds) on a fresh
working corpus; its findings are triaged into a temporary regressions directory. ``h11spec corpus replay``
must then fail on the fault and pass on the reference. Four campaigns of 10 to 20 seconds: marked slow.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conformance.commands.cli import main
from fuzz.campaign import run_campaign
from fuzz.corpus import load_regressions
from tests.faults.fuzz.findings import FAULTS, PlantedFault

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.slow
@pytest.mark.parametrize("fault", FAULTS, ids=[f.name for f in FAULTS])
def test_campaign_finds_stores_and_replay_flags_the_fault(
    fault: PlantedFault, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The right target finds the fault from the seeds; the entry has metadata; replay fails on it, passes on the reference."""  # noqa: E501
    monkeypatch.chdir(ROOT)  # the campaign writes its default directories under the checkout
    corpus = tmp_path / "corpus"
    result = run_campaign(
        fault.target,
        fault.impl,
        seconds=fault.seconds,
        jobs=1,
        corpus_dir=tmp_path / "work",
        artifacts_dir=tmp_path / "artifacts",
        regressions_dir=corpus / "regressions",
        report_dir=tmp_path / "reports",
        minimize=False,
        extra_args=("-timeout=2", "-seed=1"),  # a hang is an artifact after 2 s; libFuzzer's seed fixed
        log=lambda line: None,
    )
    assert result.triaged
    assert [f.outcome for f in result.findings if f.outcome == fault.outcome], result.findings
    loaded = load_regressions(corpus, [fault.target])
    assert loaded.problems == []
    assert loaded.entries
    for entry in loaded.entries:
        assert entry.meta["impl"] == fault.impl
        assert entry.meta["target"] == fault.target
        assert entry.meta["reference_outcome"]["oracle"] == "pass"
    summary = json.loads((tmp_path / "reports" / "summary.json").read_text())
    assert {row["impl"] for row in summary["findings"]} == {fault.impl}

    replay = ["corpus", "replay", "--dir", str(corpus), "--target", fault.target, "--timeout", "2", "--quiet"]
    assert main([*replay, "--impl", fault.impl]) == 1
    assert "FAIL" in capsys.readouterr().out
    assert main([*replay, "--impl", "reference"]) == 0
