"""The behaviour fingerprint appears in every report format, with a SHOULD shortfall marked as a warn."""

from __future__ import annotations

import json

from conformance.catalog.cases import CATALOG
from conformance.catalog.grade import run_catalog
from conformance.reports import html, junit, markdown
from conformance.reports import json as json_report
from conformance.results import ImplInfo, RunResult
from conformance.targets.load import load_target

NAMES = ("reference", "tests.faults.choices.all_flipped")


def _run() -> RunResult:
    cases = [c for c in CATALOG if c.wire is not None and c.id.startswith(("9112/2.2/", "9112/5.2/"))]
    rows = []
    for name in NAMES:
        rows += run_catalog([load_target(name)], profile="rfc9112", cases=cases, isolated=False)
    meta = {"profile": "rfc9112", "version": "0", "python": "3", "date": "today", "model_depth": "off"}
    return RunResult(meta, [ImplInfo(n, n, "0", ()) for n in NAMES], rows)


def test_the_fingerprint_tells_the_alternatives_apart() -> None:
    """The catalog observes which alternative each implementation took at a choice point."""
    run = _run()
    assert run.fingerprint("reference")["obs-fold"] == "replace"
    assert run.fingerprint("tests.faults.choices.all_flipped")["obs-fold"] == "reject"
    assert run.fingerprint("tests.faults.choices.all_flipped")["leading-empty-lines"] == "ignore"


def test_every_format_carries_the_fingerprint() -> None:
    """results.json (and its reader), junit.xml, summary.md and report.html all show it; HTML as a matrix."""
    run = _run()
    doc = json.loads(json_report.render(run))
    assert doc["fingerprints"]["reference"]["obs-fold"] == "replace"
    again = RunResult.from_json(doc)
    assert again.fingerprint("reference") == run.fingerprint("reference")
    assert 'name="choice:obs-fold" value="reject"' in junit.render(run)
    summary = markdown.render(run)
    assert "## Behaviour fingerprint" in summary
    assert "| leading-empty-lines | RFC 9112 §2.2 | SHOULD | reject | reject (warn) | ignore |" in summary
    page = html.render(run)
    assert "Behaviour fingerprint" in page
    assert 'title="not the RFC\'s recommended alternative">reject</span>' in page
