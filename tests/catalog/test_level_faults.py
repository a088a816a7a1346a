"""Planted faults graded by level: grammar-only leniency is allowed (client) or a warning (server)."""

from __future__ import annotations

from conformance.catalog.cases import select
from conformance.catalog.grade import run_catalog
from conformance.verdict import Verdict
from tests.faults.catalog import faults


def _verdicts(fault: faults.Target, patterns: list[str]) -> dict[str, Verdict]:
    rows = run_catalog([fault], cases=select(patterns), isolated=False)
    return {row.case_id: row.verdict for row in rows}


def test_a_client_recovering_a_nul_in_the_reason_phrase_passes() -> None:
    """Accepting a NUL in a reason phrase is a client's MAY (RFC 9110 §2.2), so the case passes."""
    assert _verdicts(faults.accepts_reason_nul(), ["9112/4/status-reason-nul"]) == {
        "9112/4/status-reason-nul": Verdict.PASS
    }


def test_a_server_accepting_a_ctl_in_the_target_is_warned() -> None:
    """Accepting a CTL in a request-target breaks a SHOULD (RFC 9112 §3, §2.2): warn, not fail."""
    assert _verdicts(faults.accepts_target_ctl(), ["9112/3.2/target-with-ctl"]) == {
        "9112/3.2/target-with-ctl": Verdict.WARN
    }


def test_accepting_a_bare_cr_in_a_field_value_fails() -> None:
    """Dropping a bare CR in a field value breaks RFC 9112 §2.2's MUST: the case fails."""
    assert _verdicts(faults.accepts_bare_cr_value(), ["9112/2.2/field-value-bare-cr"]) == {
        "9112/2.2/field-value-bare-cr": Verdict.FAIL
    }
