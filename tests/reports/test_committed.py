"""The committed reports are readable baselines and FINDINGS.md is exactly what they generate."""

from __future__ import annotations

from pathlib import Path

from conformance.commands.session import load_baseline
from conformance.reports import findings
from conformance.reports import json as json_report

ROOT = Path(__file__).resolve().parents[2]


def test_committed_results_are_rfc9112_baselines() -> None:
    """Each committed report holds one implementation graded under rfc9112 and loads as a baseline."""
    for name in ("h11", "reference"):
        path = ROOT / "reports" / name / "results.json"
        run = json_report.read(path)
        assert [i.name for i in run.impls] == [name]
        assert run.meta["profile"] == "rfc9112"
        load_baseline([path])


def test_findings_md_matches_the_committed_h11_report() -> None:
    """FINDINGS.md is the generator's output for the committed reports (run scripts/regen-reports if not)."""
    run = json_report.read(ROOT / "reports" / "h11" / "results.json")
    reference = json_report.read(ROOT / "reports" / "reference" / "results.json").results
    [impl] = run.impls
    rows = [r for r in run.results if r.source == "catalog"]
    model = findings.model_findings(ROOT / "corpus" / "model", impl.name)
    appendix = findings.read_appendix(ROOT / "reports" / "ecosystem" / "FINDINGS.md")
    expected = findings.render(
        rows,
        impl=impl.name,
        version=impl.version,
        reference=reference,
        model_entries=model,
        appendix=appendix,
    )
    assert (ROOT / "FINDINGS.md").read_text(encoding="utf-8") == expected, "stale: run scripts/regen-reports"


def test_findings_md_lists_every_committed_model_finding_on_h11() -> None:
    """Each model-checker entry found on h11 in corpus/model has its own section in FINDINGS.md."""
    text = (ROOT / "FINDINGS.md").read_text(encoding="utf-8")
    entries = findings.model_findings(ROOT / "corpus" / "model", "h11")
    assert entries, "corpus/model holds the model checker's h11 findings"
    for entry in entries:
        assert f"`{entry['id']}`" in text
