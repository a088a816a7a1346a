"""FINDINGS.md: one entry per failing case, with its sentence and documented explanation; deterministic."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from conformance.catalog.cases import CATALOG
from conformance.reference.differences import DIFFERENCES
from conformance.reports import findings, write_reports
from conformance.verdict import Verdict
from tests.commands import _fakes

NAMES = {d.name for d in DIFFERENCES}


def _documented_case() -> tuple[str, str]:
    """Some catalog case explained by a reference difference: (case id, difference name)."""
    for case in CATALOG:
        if case.difference in NAMES:
            return case.id, case.difference
    pytest.fail("the catalog names no reference difference")


def test_failing_case_gets_sentence_and_difference() -> None:
    """A failing case is listed with its RFC sentence, input, and the difference the catalog names."""
    case_id, name = _documented_case()
    row = _fakes.result(case_id, Verdict.FAIL, impl="h11", data=b"GET / HTTP/1.1\r\n`x`\r\n\r\n")
    text = findings.render(
        [row, _fakes.result("9112/2.2/ok", Verdict.PASS, impl="h11")], impl="h11", version="0.16"
    )
    assert f"| [{case_id}](#" in text
    assert f"`{name}`" in text
    assert f"> The sentence that {case_id} checks." in text
    assert "- Input: `` GET / HTTP/1.1\\r\\n`x`\\r\\n\\r\\n ``" in text
    difference = next(d for d in DIFFERENCES if d.name == name)
    assert f"- h11: {difference.h11}" in text
    assert "9112/2.2/ok" not in text
    assert "fails 1 of 2 cases" in text


def test_unexplained_failure_is_flagged() -> None:
    """A failing case with no documented difference or leniency is marked as a finding to investigate."""
    row = _fakes.result("9112/6.3/no-such-case-anywhere", Verdict.CRASH, impl="h11")
    text = findings.render([row], impl="h11", version="0.16")
    assert "| **unexplained** |" in text
    assert "No documented explanation: a finding to investigate." in text


def test_findings_file_is_deterministic(tmp_path: Path) -> None:
    """Two runs with different dates and durations give a byte-identical FINDINGS.md."""
    case_id, _ = _documented_case()
    rows = [
        _fakes.result(case_id, Verdict.FAIL, impl="h11"),
        _fakes.result("9112/5.2/x", Verdict.WARN, impl="h11"),
    ]
    outputs = []
    for i, date in enumerate(("2026-01-01T00:00:00+00:00", "2027-06-30T12:34:56+00:00")):
        run = _fakes.run_of([dataclasses.replace(r, duration=0.5 * i) for r in rows])
        run.meta["date"] = date
        write_reports(run, tmp_path / str(i))
        out = tmp_path / f"FINDINGS-{i}.md"
        assert (
            findings.main(["--impl-results", str(tmp_path / str(i) / "results.json"), "--out", str(out)]) == 0
        )
        outputs.append(out.read_bytes())
    assert outputs[0] == outputs[1]
    assert b"2026" not in outputs[0]
    assert b"## SHOULD-level cases not met" in outputs[0]


def test_findings_refuses_other_profiles(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """FINDINGS.md is about the rfc9112 profile: an h11-profile results file is a one-line usage error."""
    run = _fakes.run_of([_fakes.result("9112/5.2/x", Verdict.PASS, impl="h11")])
    run.meta["profile"] = "h11"
    write_reports(run, tmp_path)
    assert (
        findings.main(["--impl-results", str(tmp_path / "results.json"), "--out", str(tmp_path / "F.md")])
        == 2
    )
    assert "use rfc9112" in capsys.readouterr().err
    assert not (tmp_path / "F.md").exists()


def test_appendix_is_appended_verbatim(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """--appendix adds the hand-written sections after the generated ones; an unreadable one is exit 2."""
    run = _fakes.run_of([_fakes.result("9112/5.2/x", Verdict.PASS, impl="h11")])
    write_reports(run, tmp_path)
    appendix = tmp_path / "appendix.md"
    appendix.write_text("## Other libraries\n\nhttptools: a section.\n", encoding="utf-8")
    out = tmp_path / "F.md"
    args = ["--impl-results", str(tmp_path / "results.json"), "--out", str(out)]
    assert findings.main([*args, "--appendix", str(appendix)]) == 0
    assert out.read_text(encoding="utf-8").endswith("\n\n## Other libraries\n\nhttptools: a section.\n")
    out.unlink()
    assert findings.main([*args, "--appendix", str(tmp_path / "missing.md")]) == 2
    assert "cannot read the appendix" in capsys.readouterr().err
    assert not out.exists()
