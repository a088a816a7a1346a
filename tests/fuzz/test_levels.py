"""The differential grades a reference rejection by what backs it (conformance/reference/rejections.py)."""

from __future__ import annotations

import pytest

from fuzz.oracle import OracleInfo, OracleViolation
from fuzz.targets import TARGETS
from tests.faults.fuzz import accepts_bare_cr_value, accepts_reason_nul, accepts_target_ctl

REASON_NUL = b"HTTP/1.1 200 O\x00K\r\nContent-Length: 0\r\n\r\n"
TARGET_CTL = b"GET /a\x01b HTTP/1.1\r\nHost: a\r\n\r\n"
BARE_CR = b"GET / HTTP/1.1\r\nHost: a\r\nX-A: b\rc\r\n\r\n"


def test_a_client_recovering_a_grammar_only_error_is_no_finding() -> None:
    """A client accepting a NUL in a reason phrase (RFC 9110 §2.2 MAY recover) breaks no oracle."""
    assert TARGETS["differential"].check(accepts_reason_nul, REASON_NUL) is None


def test_a_server_accepting_a_grammar_only_error_is_information() -> None:
    """A server accepting a CTL in a request-target (RFC 9112 §2.2 SHOULD reject) is information, not a violation."""  # noqa: E501
    with pytest.raises(OracleInfo) as info:
        TARGETS["differential"].check(accepts_target_ctl, TARGET_CTL)
    assert info.value.kind == "accepts-invalid:should:grammar-request-line"


def test_accepting_a_must_backed_rejection_is_a_violation() -> None:
    """Accepting a bare CR in a field value other than by replacing it with SP (RFC 9112 §2.2 MUST) is a violation."""  # noqa: E501
    with pytest.raises(OracleViolation) as info:
        TARGETS["differential"].check(accepts_bare_cr_value, BARE_CR)
    assert info.value.kind.startswith("reference-rejects:")


def test_the_h11_profile_keeps_grammar_rejections_violations(monkeypatch: pytest.MonkeyPatch) -> None:
    """Under the h11 profile (parity with h11) accepting what the reference rejects stays a violation."""
    monkeypatch.setenv("H11SPEC_PROFILE", "h11")
    with pytest.raises(OracleViolation):
        TARGETS["differential"].check(accepts_target_ctl, TARGET_CTL)
