"""Planted faults for the cases that close the requirement table's gaps: each fails its case, and each
allowed alternative passes it.

The faults (tests/faults/catalog/coverage.py) patch the reference; the unfaulted reference and h11 pass the
same cases (``test_bases_pass_the_new_cases``), so a failure is the planted bug.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable

import h11
import pytest

from conformance.catalog.cases import select
from conformance.catalog.grade import run_catalog
from conformance.targets.load import Target
from conformance.verdict import Verdict
from tests.faults.catalog import coverage, faults

FAULTS: list[tuple[Callable[[], Target], str]] = [
    (coverage.ws_before_first_field, "9112/2.2/send-ws-before-first-field"),
    (coverage.absolute_form_without_host, "9112/3.2.2/send-absolute-form-host-missing"),
    (coverage.any_coding_as_chunked, "9112/6.1/send-te-not-chunked-response"),
    (coverage.body_until_close_without_length, "9112/6.3/send-body-without-length"),
    (coverage.extra_data_as_response, "9112/6.3/extra-data-not-a-response"),
    (coverage.ignores_own_close, "9112/9.6/server-sent-close"),
]
ALLOWANCES: list[tuple[Callable[[], Target], str]] = [
    (coverage.lenient_status_line, "9112/4/status-line-ws-lenient"),
    (coverage.rejects_extra_data, "9112/6.3/extra-data-not-a-response"),
    (coverage.ignores_after_close, "9112/9.6/server-sent-close"),
]

pytestmark = pytest.mark.skipif(faults.BASE != "reference", reason="these faults patch the reference")


def _verdict(impl: Target, case_id: str, profile: str = "rfc9112") -> tuple[Verdict, str]:
    (row,) = run_catalog([impl], profile=profile, cases=select([case_id]), isolated=False)
    return row.verdict, row.message


@pytest.mark.parametrize(("fault", "case_id"), FAULTS, ids=[cid for _, cid in FAULTS])
def test_fault_fails_its_case(fault: Callable[[], Target], case_id: str) -> None:
    """An implementation with the planted bug fails the case written for the rule it breaks."""
    verdict, message = _verdict(fault(), case_id)
    assert verdict is Verdict.FAIL, message
    assert "MUST not met" in message


@pytest.mark.parametrize(("allowance", "case_id"), ALLOWANCES, ids=[cid for _, cid in ALLOWANCES])
def test_allowed_alternative_passes(allowance: Callable[[], Target], case_id: str) -> None:
    """An implementation taking the other alternative the RFC allows passes the case."""
    verdict, message = _verdict(allowance(), case_id)
    assert verdict is Verdict.PASS, message


def test_the_alternatives_differ_from_the_reference() -> None:
    """Each allowance takes another alternative than the reference, so its pass is not the reference's."""
    reference = faults.target("reference", importlib.import_module("conformance.reference"))
    for allowance, case_id in ALLOWANCES:
        (ref_row,) = run_catalog([reference], cases=select([case_id]), isolated=False)
        (alt_row,) = run_catalog([allowance()], cases=select([case_id]), isolated=False)
        assert ref_row.observed != alt_row.observed, case_id


NEW_CASES = [
    "9112/2.2/send-ws-before-first-field",
    "9112/3/request-line-8000-octets",
    "9112/3.2.2/send-absolute-form-host-missing",
    "9112/4/status-line-ws-lenient",
    "9112/6.1/send-te-not-chunked-response",
    "9112/6.3/send-body-without-length",
    "9112/6.3/extra-data-not-a-response",
    "9112/9.6/server-sent-close",
]


def test_bases_pass_the_new_cases() -> None:
    """The reference (rfc9112) and h11 (under both profiles) pass every case written for the gaps."""
    runs = (
        (faults.target("reference", importlib.import_module("conformance.reference")), "rfc9112"),
        (faults.target("h11", h11), "h11"),
        (faults.target("h11", h11), "rfc9112"),
    )
    for impl, profile in runs:
        rows = run_catalog([impl], profile=profile, cases=select(NEW_CASES), isolated=False)
        assert {r.case_id: r.verdict for r in rows} == dict.fromkeys(NEW_CASES, Verdict.PASS), (
            impl.name,
            profile,
        )
