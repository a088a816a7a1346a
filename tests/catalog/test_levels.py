"""Catalog levels follow what backs the reference's rejection (conformance/reference/rejections.py)."""

from __future__ import annotations

from conformance import drive
from conformance.catalog.case import Case, Reject, alternatives
from conformance.catalog.cases import CATALOG
from conformance.catalog.cases._common import GRAMMAR_NOTES
from conformance.reference import rejections
from conformance.targets.load import reference_api
from conformance.verdict import Level


def _reference_trace(case: Case) -> drive.Trace:
    assert case.wire is not None
    request = {} if case.request is None else {"request": case.request}
    return drive.feed(reference_api(), case.role, [case.wire], eof=case.eof, **request)


def _only_rejects(case: Case) -> bool:
    return all(isinstance(alt, Reject) for alt in alternatives(case.expect))


def _events_backed(case: Case, trace: drive.Trace) -> bool:
    # The MUST is about the message delivered before the rejection (its framing), which every alternative
    # pins: the rejection itself (of the bytes after it) is not what the case grades.
    return bool(trace.events) and all(
        isinstance(alt, Reject) and alt.events is not None for alt in alternatives(case.expect)
    )


def test_every_must_rejection_case_is_backed_by_a_must_rule() -> None:
    """A byte case expecting only rejection at MUST level is refused by the reference under a MUST rule."""
    unbacked = []
    for case in CATALOG:
        if case.level is not Level.MUST or case.wire is None or not _only_rejects(case):
            continue
        trace = _reference_trace(case)
        assert trace.outcome == "reject", case.id
        level = rejections.level_of(trace.rule, case.role)
        if level not in (rejections.MUST, rejections.CHOICE) and not _events_backed(case, trace):
            unbacked.append((case.id, trace.rule, level))
    assert unbacked == []


def test_grammar_cases_are_should_for_servers_and_may_for_clients() -> None:
    """A grammar-noted case is SHOULD (server, reject expected) or MAY (client, recovering allowed)."""
    graded = [c for c in CATALOG if any(note in c.note for note in GRAMMAR_NOTES.values())]
    assert len(graded) > 50
    for case in graded:
        if case.role == "server":
            assert case.level is Level.SHOULD, case.id
            assert _only_rejects(case), case.id
        else:
            assert case.level is Level.MAY, case.id
            assert any(not isinstance(alt, Reject) for alt in alternatives(case.expect)), case.id


def test_every_reference_rejection_of_a_catalog_wire_carries_a_rule() -> None:
    """Each rejection the reference makes on a catalog case's bytes names the rule that backs it."""
    missing = []
    for case in CATALOG:
        if case.wire is None:
            continue
        trace = _reference_trace(case)
        error = trace.error
        if error is not None and error[0] == "RemoteProtocolError" and trace.rule is None:
            missing.append((case.id, error[2][:60]))
    assert missing == []
