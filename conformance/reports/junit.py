"""junit.xml: one testsuite per implementation, one testcase per case, for CI test-report viewers.

Mapping (documented in docs/results-schema.md): fail -> ``<failure>``, crash and hang -> ``<error>``,
skip -> ``<skipped>``, pass -> an empty testcase, warn and info -> a passing testcase whose
``<system-out>`` says why. ``classname`` is ``h11spec_<impl>__<section>`` with every character but
letters, digits and ``_`` made ``_`` (``h11spec_h11__9112_6_1``): CI viewers (Jenkins) split a classname
at its dots into packages, so it has none; ``name`` is the case id, and the section in its RFC form
(``RFC 9112 §6.1``) is the testcase's ``section`` property.
A problem already present in the baseline keeps its element, with "[known]" at the start of the message.
Characters XML 1.0 cannot carry (most C0 controls, which an implementation's error message may echo
from the input) are escaped as ``\\xNN`` so that every consumer can parse the file.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from typing import TYPE_CHECKING

from conformance.verdict import Verdict

if TYPE_CHECKING:
    from conformance.results import CaseResult, RunResult

# Anything outside XML 1.0's Char production.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")

# verdict -> (child element, its "type" attribute); None: no child.
ELEMENT: dict[Verdict, tuple[str, str] | None] = {
    Verdict.PASS: None,
    Verdict.WARN: None,
    Verdict.INFO: None,
    Verdict.FAIL: ("failure", "fail"),
    Verdict.CRASH: ("error", "crash"),
    Verdict.HANG: ("error", "hang"),
    Verdict.SKIP: ("skipped", "skip"),
    Verdict.HARNESS: ("error", "harness-error"),
}


def xml_text(text: str) -> str:
    r"""``text`` with every character XML 1.0 forbids replaced by ``\xNN`` (or ``\uNNNN``)."""

    def escape(match: re.Match[str]) -> str:
        code = ord(match.group())
        return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"

    return _NOT_XML.sub(escape, text)


def _details(r: CaseResult) -> str:
    lines = [
        f"{r.level.value} {r.rfc}: {r.sentence}",
        f"expected: {r.expected}",
        f"observed: {r.observed}",
    ]
    if r.input:
        lines.append(f"input: {r.to_json()['input_escaped']}")
    if r.script:
        lines.append("script:\n" + r.script)
    return xml_text("\n".join(lines))


_NOT_WORD = re.compile(r"[^A-Za-z0-9_]+")


def classname(impl: str, section: str) -> str:
    """``h11spec_<impl>__<section>`` with no dots or other separators a CI viewer might split on."""
    return f"h11spec_{_NOT_WORD.sub('_', impl)}__{_NOT_WORD.sub('_', section)}".strip("_")


def _testcase(run: RunResult, r: CaseResult) -> ET.Element:
    case = ET.Element(
        "testcase",
        {"classname": classname(r.impl, r.section), "name": xml_text(r.case_id), "time": f"{r.duration:.6f}"},
    )
    props = ET.SubElement(case, "properties")
    ET.SubElement(props, "property", {"name": "section", "value": xml_text(r.rfc or r.section)})
    child = ELEMENT[r.verdict]
    message = ("[known] " if run.is_known(r) else "") + r.message
    if child is not None:
        tag, kind = child
        element = ET.SubElement(case, tag, {"message": xml_text(message), "type": kind})
        if tag != "skipped":
            element.text = _details(r)
    elif r.verdict in (Verdict.WARN, Verdict.INFO):
        ET.SubElement(case, "system-out").text = xml_text(f"{r.verdict.value}: {message}\n") + _details(r)
    return case


def render(run: RunResult) -> str:
    """The junit.xml text (UTF-8, with an XML declaration)."""
    root = ET.Element("testsuites", {"name": "h11spec"})
    totals = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
    time_total = 0.0
    for impl in run.impls:
        rows = [r for r in run.results if r.impl == impl.name]
        counts = run.counts(impl.name)
        numbers = {
            "tests": len(rows),
            "failures": counts[Verdict.FAIL],
            "errors": counts[Verdict.CRASH] + counts[Verdict.HANG],
            "skipped": counts[Verdict.SKIP],
        }
        seconds = sum(r.duration for r in rows)
        suite = ET.SubElement(
            root,
            "testsuite",
            {
                "name": xml_text(impl.name),
                **{k: str(v) for k, v in numbers.items()},
                "time": f"{seconds:.6f}",
            },
        )
        props = ET.SubElement(suite, "properties")
        for key, value in (
            ("module", impl.module),
            ("version", impl.version),
            ("profile", str(run.meta.get("profile", ""))),
            ("capabilities", ",".join(impl.capabilities)),
            *((f"choice:{cid}", taken) for cid, taken in run.fingerprint(impl.name).items()),
        ):
            ET.SubElement(props, "property", {"name": key, "value": xml_text(value)})
        for r in rows:
            suite.append(_testcase(run, r))
        for key in totals:
            totals[key] += numbers[key]
        time_total += seconds
    root.attrib.update({k: str(v) for k, v in totals.items()})
    root.set("time", f"{time_total:.6f}")
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
