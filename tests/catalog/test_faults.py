"""Planted faults: the catalog must fail each faulty implementation on the cases that name its bug.

Each fault (tests/faults/catalog/faults.py) breaks one rule on top of the reference (graded under rfc9112), or
of h11 (graded under the h11 profile) while the reference does not import; the unfaulted base passes the
cases below, so each failure is the planted bug and nothing else. The CL+TE
keep-alive bug is h11's own (reference difference ``cl-te-keepalive``): h11 itself is the planted fault, and
the reference (when it imports) must pass the same cases.
"""

from __future__ import annotations

import importlib
import types
from collections.abc import Callable

import h11
import pytest

from conformance.catalog.cases import select
from conformance.catalog.grade import run_catalog
from conformance.targets.load import Target
from conformance.verdict import Verdict
from tests.faults.catalog import faults

# fault, the cases to run, the ids that must FAIL (and the text the message must contain).
FAULTS: list[tuple[Callable[[], Target], list[str], list[str], str]] = [
    (
        faults.two_content_lengths,
        ["9112/6.3/cl-*", "9112/6.2/send-cl-*"],
        ["9112/6.3/cl-two-lines-differ", "9112/6.3/cl-list-differ", "9112/6.2/send-cl-conflicting"],
        "MUST not met",
    ),
    (
        faults.obs_fold_in_te,
        ["9112/6.3/te-*", "9112/5.2/*"],
        ["9112/6.3/te-obs-fold-trailing-coding", "9112/5.2/te-obs-fold-response"],
        "MUST not met",
    ),
    (
        faults.cr_in_header_value,
        ["*/send-*"],
        [
            "9110/5.5/send-cr-in-header-value-request",
            "9110/5.5/send-cr-in-header-value-response",
            "9110/5.5/send-cr-in-trailer-value",
        ],
        "MUST not met",
    ),
    (
        faults.stays_in_send_body,
        ["h11/state/client-*", "9112/6.2/send-cl-exact"],
        ["h11/state/client-send-body-endofmessage", "9112/6.2/send-cl-exact"],
        "MUST not met",
    ),
    (
        faults.trailers_into_next_request,
        ["9112/7.1*"],
        ["9112/7.1.2/trailer-not-in-next-request"],
        "MUST not met",
    ),
    (
        faults.loses_byte_between_cr_lf,
        ["9112/6.3/cl-zero-then-pipelined", "9112/9.3.2/pipelined-three", "9112/3/target-query"],
        ["9112/6.3/cl-zero-then-pipelined", "9112/9.3.2/pipelined-three", "9112/3/target-query"],
        "split disagreement",
    ),
]


@pytest.mark.parametrize(
    ("fault", "patterns", "failing", "why"), FAULTS, ids=lambda x: getattr(x, "__name__", "")
)
def test_catalog_fails_the_planted_fault(
    fault: Callable[[], Target], patterns: list[str], failing: list[str], why: str
) -> None:
    """The faulty implementation fails exactly the named cases' rule, with the expected kind of message."""
    cases = select(patterns)
    rows = {r.case_id: r for r in run_catalog([fault()], profile=faults.PROFILE, cases=cases, isolated=False)}
    for cid in failing:
        assert rows[cid].verdict is Verdict.FAIL, (cid, rows[cid].message)
        assert why in rows[cid].message


def _reference() -> types.ModuleType:
    try:
        ref = importlib.import_module("conformance.reference")
    except ImportError as exc:  # pragma: no cover - only while the reference is being written
        pytest.skip(f"conformance.reference does not import yet ({exc})")
    if not hasattr(ref, "Connection"):
        pytest.skip("conformance.reference has no Connection yet")
    return ref


@pytest.mark.parametrize(
    ("fault", "patterns", "failing", "why"), FAULTS, ids=lambda x: getattr(x, "__name__", "")
)
def test_unfaulted_base_passes_the_same_cases(
    fault: Callable[[], Target], patterns: list[str], failing: list[str], why: str
) -> None:
    """h11 (under the h11 profile) and the reference (under rfc9112) pass the cases that catch each fault."""
    for base, profile in (
        (faults.target("h11", h11), "h11"),
        (faults.target("reference", _reference()), "rfc9112"),
    ):
        rows = run_catalog([base], profile=profile, cases=select(failing), isolated=False)
        assert {r.case_id: r.verdict for r in rows} == dict.fromkeys(failing, Verdict.PASS), base.name


def test_deferred_rejection_fails_h11_parity() -> None:
    """Under the h11 profile, rejecting only at EOF what the bytes already settle is graded at the case's
    level: h11 rejects as soon as the bytes settle it (under rfc9112 the same run is info, see below)."""
    ids = ["9112/6.3/cl-two-lines-differ", "9112/7.1/chunk-size-non-hex"]
    rows = run_catalog([faults.defers_rejections()], profile="h11", cases=select(ids), isolated=False)
    assert {r.case_id: r.verdict for r in rows} == dict.fromkeys(ids, Verdict.FAIL)
    assert all("h11 parity not met" in r.message for r in rows)


CL_TE = [
    "9112/6.1/cl-te-both-must-close",
    "9112/6.1/te-cl-both-must-close",
    "9112/6.1/cl-te-pipelined-not-processed",
]


def test_catalog_fails_cl_te_keepalive_on_h11() -> None:
    """Keeping a connection reusable after Content-Length plus Transfer-Encoding fails the cl-te cases."""
    rows = run_catalog([faults.target("h11", h11)], profile="rfc9112", cases=select(CL_TE), isolated=False)
    assert {r.case_id: r.verdict for r in rows} == dict.fromkeys(CL_TE, Verdict.FAIL)


def test_reference_passes_cl_te_cases() -> None:
    """The reference closes after a CL+TE request, so it passes the cases h11 fails."""
    rows = run_catalog([faults.target("reference", _reference())], cases=select(CL_TE), isolated=False)
    assert {r.case_id: r.verdict for r in rows} == dict.fromkeys(CL_TE, Verdict.PASS)


# fault, the cases to run, the ids that must get the verdict (and the text its message must contain).
NEW_FAULTS: list[tuple[Callable[[], Target], list[str], list[str], Verdict, str]] = [
    (
        faults.connect_any_answer_framing_ignored,
        ["9112/6.3/connect-*"],
        ["9112/6.3/connect-300-invalid-cl-rejected", "9112/6.3/connect-407-invalid-cl-rejected"],
        Verdict.CRASH,
        "ValueError",
    ),
    (
        faults.obs_fold_tab_kept,
        ["9112/5.2/obs-fold-request-tab"],
        ["9112/5.2/obs-fold-request-tab"],
        Verdict.FAIL,
        "MUST not met",
    ),
    (
        faults.chunk_ext_bws_refused,
        ["9112/7.1.1/chunk-ext-bws-*"],
        ["9112/7.1.1/chunk-ext-bws-after-semicolon", "9112/7.1.1/chunk-ext-bws-around-equals"],
        Verdict.FAIL,
        "MUST not met",
    ),
    (
        faults.connect_2xx_framing_checked,
        ["9112/6.3/connect-*"],
        [
            "9112/6.3/connect-2xx-ignores-invalid-cl",
            "9112/6.3/connect-2xx-ignores-cl-list",
            "9112/6.3/connect-2xx-ignores-invalid-te",
            "9112/6.3/connect-2xx-ignores-invalid-cl-and-te",
        ],
        Verdict.FAIL,
        "MUST not met",
    ),
    (
        faults.connect_switches_on_300,
        ["9110/9.3.6/connect-*"],
        ["9110/9.3.6/connect-300-edge"],
        Verdict.FAIL,
        "MUST not met",
    ),
    (
        faults.connect_stays_on_299,
        ["9110/9.3.6/connect-*"],
        ["9110/9.3.6/connect-299-edge"],
        Verdict.FAIL,
        "MUST not met",
    ),
    (
        faults.defers_rejections,
        ["9112/6.3/cl-*", "9112/7.1/chunk-size-*", "9112/4/status-*"],
        ["9112/6.3/cl-two-lines-differ", "9112/7.1/chunk-size-non-hex", "9112/4/status-4301-digits"],
        Verdict.INFO,
        "timing is an h11 API contract",
    ),
    (
        faults.chunk_end_never_set,
        ["h11/data/*"],
        ["h11/data/chunks-request", "h11/data/chunks-response", "h11/data/one-byte-chunks"],
        Verdict.FAIL,
        "MUST not met",
    ),
    (
        faults.chunk_start_lost_on_split,
        ["h11/data/*"],
        ["h11/data/chunks-request", "h11/data/chunks-response", "h11/data/chunk-with-extension"],
        Verdict.FAIL,
        "split disagreement",
    ),
    (
        faults.content_length_unbounded_int,
        ["9110/8.6/cl-*"],
        # Leading zeros no longer reach int() (the reference drops them first: choice point long-numeral).
        ["9110/8.6/cl-4301-digits", "9110/8.6/cl-4301-digits-response"],
        Verdict.CRASH,
        "ValueError",
    ),
    (
        faults.chunked_to_http10,
        ["*/send-*"],
        [
            "9112/6.1/send-te-to-http10",
            "9112/6.1/send-no-framing-to-http10",
            "9112/6.1/send-te-before-any-request",
        ],
        Verdict.FAIL,
        "MUST not met",
    ),
    (
        faults.trailers_dropped,
        ["*/send-*"],
        [
            "9112/6.1/send-trailers-to-http10",
            "9112/6.2/send-cl-trailers-response",
            "9112/6.2/send-cl-trailers",
        ],
        Verdict.FAIL,
        "MUST not met",
    ),
    (
        faults.length_not_enforced,
        ["*/send-*"],
        ["9112/6.3/send-request-body-without-framing", "9112/8/send-cl-overrun-response"],
        Verdict.FAIL,
        "MUST not met",
    ),
    (
        faults.empty_data_ends_chunked,
        ["*/send-*"],
        ["9112/7.1/send-empty-data-chunked", "9112/7.1/send-empty-data-chunked-response"],
        Verdict.FAIL,
        "MUST not met",
    ),
    (
        faults.close_not_written,
        ["*/send-*", "h11/send/*"],
        ["9112/9.6/send-close-after-received-close", "h11/send/rewrite-close-keeps-fields"],
        Verdict.FAIL,
        "MUST not met",
    ),
    (
        faults.close_option_ignored,
        ["*/send-*"],
        [
            "9112/9.6/send-close-by-client",
            "9112/9.6/send-close-by-server",
            "9112/9.6/send-close-after-received-close",
        ],
        Verdict.FAIL,
        "MUST not met",
    ),
    (
        faults.rewrite_drops_fields,
        ["*/send-*", "h11/send/*"],
        [
            "h11/send/rewrite-chunked-keeps-fields",
            "h11/send/rewrite-close-keeps-fields",
            "h11/send/rewrite-http10-keeps-fields",
            "9112/6.1/send-te-to-http10",
        ],
        Verdict.FAIL,
        "MUST not met",
    ),
]


@pytest.mark.parametrize(
    ("fault", "patterns", "failing", "verdict", "why"), NEW_FAULTS, ids=lambda x: getattr(x, "__name__", "")
)
def test_catalog_catches_the_planted_fault(
    fault: Callable[[], Target], patterns: list[str], failing: list[str], verdict: Verdict, why: str
) -> None:
    """The faulty reference copy gets the named verdict, for the named reason, on the cases naming its bug."""
    rows = run_catalog([fault()], cases=select(patterns), isolated=False)
    got = {r.case_id: r for r in rows}
    for cid in failing:
        assert got[cid].verdict is verdict, (cid, got[cid].message)
        assert why in got[cid].message


@pytest.mark.parametrize(
    ("fault", "patterns", "failing", "verdict", "why"), NEW_FAULTS, ids=lambda x: getattr(x, "__name__", "")
)
def test_unfaulted_reference_passes_those_cases(
    fault: Callable[[], Target], patterns: list[str], failing: list[str], verdict: Verdict, why: str
) -> None:
    """The reference passes every case that catches each new fault, so the verdict is the planted bug's."""
    rows = run_catalog([faults.target("reference", _reference())], cases=select(patterns), isolated=False)
    assert {r.case_id: r.verdict for r in rows if r.case_id in failing} == dict.fromkeys(
        failing, Verdict.PASS
    )
