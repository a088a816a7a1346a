"""The report writers: results.json schema, junit.xml mapping, summary.md table, report.html escaping."""

from __future__ import annotations

import base64
import json
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import pytest

from conformance.reports import REPORT_FILES, html, junit, markdown, write_reports
from conformance.reports import json as json_report
from conformance.results import SCHEMA_VERSION, CaseResult, RunResult
from conformance.verdict import Level, Verdict
from tests.commands import _fakes

EVIL = b'GET /<script>alert("x")</script> HTTP/1.1\r\nHost: a\x00\x1b|`\r\n\r\n'


def _rows() -> list[CaseResult]:
    return [
        _fakes.result(
            "9112/6.3/cl-dup-differs", Verdict.FAIL, impl="h11", data=EVIL, message="accepted <b>|x|"
        ),
        _fakes.result("9112/6.3/cl-dup-differs", Verdict.PASS, impl="reference", data=EVIL),
        _fakes.result("9112/2.2/bare-cr", Verdict.CRASH, impl="h11", message="ValueError: \x00\x07 bad"),
        _fakes.result("9112/2.2/bare-cr", Verdict.PASS, impl="reference"),
        _fakes.result("9112/5.2/obs-fold", Verdict.WARN, impl="h11", level=Level.SHOULD),
        _fakes.result("9112/5.2/obs-fold", Verdict.WARN, impl="reference", level=Level.SHOULD),
        _fakes.result("9112/9.3/pipelining", Verdict.SKIP, impl="h11", message="h11 lacks serialize"),
        _fakes.result("9112/9.3/pipelining", Verdict.SKIP, impl="reference", message="reference lacks x"),
        _fakes.result("9110/5.5/ctl", Verdict.INFO, impl="h11", level=Level.MAY),
        _fakes.result("9110/5.5/ctl", Verdict.INFO, impl="reference", level=Level.MAY),
        _fakes.result("model/state-agrees", Verdict.HANG, impl="h11", source="model"),
        _fakes.result("model/state-agrees", Verdict.PASS, impl="reference", source="model"),
    ]


@pytest.fixture
def run() -> RunResult:
    """Two implementations that differ on three rows; h11's cl-dup failure is known from a baseline."""
    return _fakes.run_of(_rows(), known=frozenset({("h11", "9112/6.3/cl-dup-differs")}))


def test_results_json_schema(run: RunResult) -> None:
    """results.json carries schema_version, metadata, implementations, totals and base64+escaped input."""
    doc = json.loads(json_report.render(run))
    assert doc["schema_version"] == SCHEMA_VERSION
    assert set(doc) >= {"meta", "implementations", "totals", "results", "model_coverage", "model_findings"}
    assert [i["name"] for i in doc["implementations"]] == ["h11", "reference"]
    assert doc["totals"]["h11"] == {
        "fail": 1,
        "crash": 1,
        "hang": 1,
        "warn": 1,
        "info": 1,
        "skip": 1,
        "pass": 0,
        "harness-error": 0,
    }
    row = doc["results"][0]
    assert base64.b64decode(row["input"]) == EVIL
    assert "<script>" in row["input_escaped"]
    assert "\\x00" in row["input_escaped"]
    assert row["known"] is True
    assert [r["known"] for r in doc["results"]].count(True) == 1


def test_results_json_read_back(tmp_path: Path, run: RunResult) -> None:
    """A written results.json reads back into equal rows; a corrupt one is a UsageError naming it."""
    write_reports(run, tmp_path)
    again = json_report.read(tmp_path / "results.json")
    assert again.results == run.results
    assert again.known == run.known
    (tmp_path / "bad.json").write_text('{"schema_version": 1}')
    from conformance.errors import UsageError

    with pytest.raises(UsageError, match=r"bad\.json"):
        json_report.read(tmp_path / "bad.json")


def test_junit_parses_and_maps_verdicts(run: RunResult) -> None:
    """junit.xml parses; one suite per implementation; fail->failure, crash/hang->error, skip->skipped."""
    root = ET.fromstring(junit.render(run).encode("utf-8"))
    suites = {s.get("name"): s for s in root.iter("testsuite")}
    assert list(suites) == ["h11", "reference"]
    h11 = suites["h11"]
    assert (h11.get("tests"), h11.get("failures"), h11.get("errors"), h11.get("skipped")) == (
        "6",
        "1",
        "2",
        "1",
    )
    cases = {c.get("name"): c for c in h11.iter("testcase")}
    assert cases["9112/6.3/cl-dup-differs"].get("classname") == "h11spec_h11__9112_6_3"
    section = cases["9112/6.3/cl-dup-differs"].find("properties/property[@name='section']")
    assert section is not None
    assert section.get("value") == "RFC 9112 §6.3"
    assert not any("." in (c.get("classname") or "") for c in root.iter("testcase"))
    failure = cases["9112/6.3/cl-dup-differs"].find("failure")
    assert failure is not None
    assert failure.get("message", "").startswith("[known] accepted <b>")
    assert "<script>" in (failure.text or "")
    crash = cases["9112/2.2/bare-cr"].find("error")
    assert crash is not None
    assert crash.get("type") == "crash"
    assert crash.get("message") == "ValueError: \\x00\\x07 bad"
    hang = cases["model/state-agrees"].find("error")
    assert hang is not None
    assert hang.get("type") == "hang"
    assert cases["9112/9.3/pipelining"].find("skipped") is not None
    for name in ("9112/5.2/obs-fold", "9110/5.5/ctl"):
        assert [child.tag for child in cases[name]] == ["properties", "system-out"]
    assert root.get("tests") == "12"


def test_junit_escapes_every_forbidden_character() -> None:
    """Every C0 control except TAB, LF and CR is written as \\xNN, so any XML parser accepts the file."""
    text = "".join(chr(i) for i in range(0x20)) + "\ufffe"
    cleaned = junit.xml_text(text)
    ET.fromstring(f"<a>{cleaned}</a>")
    assert "\\x00" in cleaned
    assert "\\ufffe" in cleaned
    assert all(c in cleaned for c in "\t\n\r")


def test_markdown_lists_non_pass_rows(run: RunResult) -> None:
    """summary.md has the counts table, then exactly the non-pass rows, cells escaped, known marked."""
    text = markdown.render(run)
    assert "| h11 | 1.0 | 1 | 1 | 1 | 1 | 1 | 1 | 0 | 0 |" in text
    body = [line for line in text.splitlines() if line.startswith(("| h11 | ", "| reference | "))][2:]
    assert (
        len(body) == 6 + 3
    )  # after the two count rows: h11's six non-pass rows, reference's warn, skip, info
    assert (
        r"| h11 | crash | MUST | 9112/2.2/bare-cr | ValueError: \\x00\\x07 bad |" in body
    )  # renders as \x00
    assert "| h11 | fail (known) | MUST | 9112/6.3/cl-dup-differs | accepted &lt;b>\\|x\\| |" in text
    assert "**OK**: 0 MUST-level" not in text
    assert "**FAILED**: 2 MUST-level fail/crash/hang counted, 1 known from the baseline not counted" in text


class _Collect(HTMLParser):
    """Records every element tag and src/href attribute of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.refs: list[str] = []
        self.scripts = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.refs += [v or "" for k, v in attrs if k in ("src", "href")]
        self.scripts += tag == "script"


def test_html_escapes_input_and_is_self_contained(run: RunResult) -> None:
    """report.html escapes input and messages (no injected tag) and references nothing external."""
    page = html.render(run)
    parser = _Collect()
    parser.feed(page)
    assert parser.scripts == 1  # ours only: the input's <script> arrived as text
    assert "b" not in parser.tags  # the message's <b> arrived as text
    assert parser.refs == []
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in page
    assert "http://" not in page
    assert "https://" not in page


def test_html_matrix_marks_rows_that_differ(run: RunResult) -> None:
    """With two implementations each row has two verdict cells; rows with differing verdicts are marked."""
    table = html.rows(run)
    assert [len(r["cells"]) for r in table] == [2] * 6
    assert {r["id"]: r["differs"] for r in table} == {
        "9112/6.3/cl-dup-differs": True,
        "9112/2.2/bare-cr": True,
        "9112/5.2/obs-fold": False,
        "9112/9.3/pipelining": False,
        "9110/5.5/ctl": False,
        "model/state-agrees": True,
    }
    assert html.render(run).count('data-differs="yes"') == 3


def test_html_shows_model_coverage(run: RunResult) -> None:
    """The model checker's coverage tables appear, escaped, one collapsible block per implementation."""
    run.model_coverage = {"h11": {"<states>": {"IDLE": 3}}}
    page = html.render(run)
    assert "Model checker coverage" in page
    assert "&#34;&lt;states&gt;&#34;" in page


def test_single_impl_html_has_no_matrix() -> None:
    """With one implementation no row is marked as differing and the matrix filter is absent."""
    single = _fakes.run_of([r for r in _rows() if r.impl == "h11"])
    page = html.render(single)
    assert 'data-differs="yes"' not in page
    assert 'id="onlydiff"' not in page


def test_write_reports_is_all_or_nothing(
    tmp_path: Path, run: RunResult, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A writer that fails leaves the previous reports whole: all are rendered before any is written."""
    paths = write_reports(run, tmp_path)
    assert [p.name for p in paths] == list(REPORT_FILES)
    before = {p.name: p.read_bytes() for p in paths}

    def boom(_: RunResult) -> str:
        raise RuntimeError("template broke")

    monkeypatch.setattr(html, "render", boom)
    changed = _fakes.run_of([r for r in _rows() if r.impl == "reference"])
    with pytest.raises(RuntimeError, match="template broke"):
        write_reports(changed, tmp_path)
    assert {p.name: p.read_bytes() for p in paths} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(REPORT_FILES)
