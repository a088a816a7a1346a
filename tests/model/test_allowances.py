"""RFC-allowed behaviour passes the model checker, and the bug beside it is still a finding."""

from __future__ import annotations

import importlib

import pytest

from conformance.model import run_model
from conformance.model.actions import Action, InvariantViolation
from conformance.model.lockstep import LockStep
from conformance.targets.capabilities import ALL_CAPABILITIES
from conformance.targets.load import Target, load_target, reference_api
from conformance.verdict import Verdict
from tests.faults.model import leave_and_lose, leave_host_last

BAD = (Verdict.FAIL, Verdict.CRASH, Verdict.HANG, Verdict.HARNESS)
# An HTTP/1.0 request closes the connection; the next request arrives after it (h11r's model finding).
GET = ("Request", {"method": b"GET", "target": b"/", "headers": [(b"Host", b"a"), (b"X", b"y")]})
AFTER_CLOSE: list[Action] = [
    ("inject", "server", b"OPTIONS / HTTP/1.0\r\n\r\n", ()),
    ("send", "client", GET),
    ("deliver", "client", ()),
    ("send", "server", ("Response", {"status_code": 200, "headers": [(b"Content-Length", b"0")]})),
    ("send", "server", ("EndOfMessage", {})),
    ("deliver", "server", (3,)),
]  # fmt: skip


def _apply(api: object, actions: list[Action]) -> InvariantViolation | None:
    world = LockStep(api, reference_api())
    try:
        for action in actions:
            world.apply(action)
    except InvariantViolation as violation:
        return violation
    return None


def test_bytes_left_after_close_by_a_sender_with_host_last_hold() -> None:
    """Leaving bytes after close unread (RFC 9112 §9.6) holds even when the sender's bytes are not the
    reference's (Host last, a SHOULD): trailing_data is compared with the oracle reading those bytes."""
    assert _apply(leave_host_last.API, AFTER_CLOSE) is None


def test_bytes_left_after_close_but_lost_are_a_finding() -> None:
    """An implementation that leaves the bytes unread but drops them from trailing_data is a finding
    naming the choice point it was given."""
    violation = _apply(leave_and_lose.API, AFTER_CLOSE)
    assert violation is not None
    assert violation.invariant == leave_and_lose.INVARIANT
    assert "choice points considered: bytes-after-close" in violation.detail


@pytest.mark.slow
@pytest.mark.parametrize("name", ["tests.faults.choices.flip_bytes_after_close", "leave_host_last"])
def test_leaving_bytes_after_close_passes_the_model_at_ci(name: str) -> None:
    """A target taking bytes-after-close=leave passes the model at ci with no fail (seeded, no corpus)."""
    if "." in name:
        target = load_target(name)
    else:
        api = importlib.import_module(f"tests.faults.model.{name}").API
        target = Target(name, api, name, "0", ALL_CAPABILITIES)
    report = run_model(target, depth="ci", corpus_dir=None, isolated=False)
    assert [(r.case_id, r.message) for r in report.results if r.verdict in BAD] == []
