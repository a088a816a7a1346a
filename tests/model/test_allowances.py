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


NO_HOST: list[Action] = [("send", "client", ("Request", {"method": b"GET", "target": b"/", "headers": []}))]


def test_an_event_refused_at_send_by_a_target_without_event_validation_holds() -> None:
    """Without event-validation, an event the oracle cannot build is one the target's send() refuses,
    ending in ERROR (h11's contract), and the oracle stands for that."""
    from tests.faults.model import late_validation

    world = LockStep(late_validation.API, reference_api(), validates=False)
    for action in NO_HOST:
        world.apply(action)
    assert world.state("client")[0] == "ERROR"


def test_validating_late_while_claiming_event_validation_is_a_states_finding() -> None:
    """A target claiming event-validation must refuse when the event is built: refusing in send() leaves
    our side in ERROR where the oracle never took the event."""
    from tests.faults.model import late_validation

    violation = _apply(late_validation.API, NO_HOST)
    assert violation is not None
    assert violation.invariant == "states"


# A client reads a response that answered no request; a server sends one (a 408) and its peer reads it.
UNSOLICITED_READ: list[Action] = [
    ("inject", "client", b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok", ()),
    ("send", "client", ("ConnectionClosed", {})),
]
UNSOLICITED_SENT: list[Action] = [
    ("send", "server", ("Response", {"status_code": 408, "headers": [(b"Content-Length", b"0")]})),
    ("send", "server", ("EndOfMessage", {})),
    ("deliver", "server", ()),
    ("send", "server", ("ConnectionClosed", {})),
    ("eof", "server"),
]


@pytest.mark.parametrize("name", ["reference", "tests.faults.choices.flip_response_without_request"])
def test_closing_after_a_response_to_no_request_holds(name: str) -> None:
    """Keeping or closing the connection after a response that answered no request (RFC 9112 §9.3.1),
    read by a client or sent by a server (with close, RFC 9112 §9.6), breaks no invariant."""
    assert _apply(load_target(name).api, UNSOLICITED_READ) is None
    assert _apply(load_target(name).api, UNSOLICITED_SENT) is None


def test_closing_after_a_response_to_no_request_without_saying_so_is_a_finding() -> None:
    """A server that closes after a response to no request but strips its close is a wire finding."""
    from tests.faults.model import close_unannounced

    violation = _apply(close_unannounced.API, UNSOLICITED_SENT)
    assert violation is not None
    assert violation.invariant == close_unannounced.INVARIANT


# A refused send (a status h11r cannot take) puts the adapter's side in ERROR; then the peer finishes.
REFUSED_THEN_REQUEST: list[Action] = [
    ("send", "server", ("Response", {"status_code": 1000, "headers": []})),
    ("send", "client", ("Request", {"method": b"PUT", "target": b"/", "headers": [(b"Host", b"a")]})),
    ("deliver", "client", ()),
]
REQUEST_THEN_REFUSED: list[Action] = [
    ("inject", "server", b"PUT / HTTP/1.1\r\nHost: a\r\nContent-Length: 1\r\n\r\na", ()),
    ("send", "server", ("InformationalResponse", {"status_code": 5, "headers": []})),
]


@pytest.mark.parametrize("actions", [REFUSED_THEN_REQUEST, REQUEST_THEN_REFUSED])
def test_the_h11r_adapter_keeps_h11s_contract_after_a_refused_send(actions: list[Action]) -> None:
    """After a refused send the h11r adapter's side is ERROR as h11's: a DONE peer must close, and a
    server in ERROR takes no new request (graded as refusing at send, h11r lacking event-validation)."""
    pytest.importorskip("h11r")
    target = load_target("conformance.targets.adapters.h11r:Adapter")
    world = LockStep(target.api, reference_api(), validates=False)
    for action in actions:
        world.apply(action)


# A client reads an HTTP/1.0 head it must reject (Transfer-Encoding in HTTP/1.0: faulty framing).
REJECTED_HEAD: list[Action] = [
    ("inject", "client", b"HTTP/1.0 200 \r\nTransfer-Encoding: chunked\r\n\r\n11\r", ()),
]


def test_the_version_of_a_rejected_head_is_not_graded() -> None:
    """Whether a recipient records the version of a head it then rejects is no contract: h11r does, the
    reference does not, and both reject (their_http_version is compared as trailing_data is, not after
    the peer's ERROR)."""
    pytest.importorskip("h11r")
    target = load_target("conformance.targets.adapters.h11r:Adapter")
    assert _apply(target.api, REJECTED_HEAD) is None


def test_a_wrong_version_of_an_accepted_head_is_a_states_finding() -> None:
    """A recipient reporting another version than the accepted head's is still a states finding."""
    from tests.faults.model import version_one_one

    actions: list[Action] = [("inject", "server", b"GET / HTTP/1.0\r\n\r\n", ())]
    violation = _apply(version_one_one.API, actions)
    assert violation is not None
    assert violation.invariant == version_one_one.INVARIANT


EXPECTING = ("Request", {"method": b"POST", "target": b"/", "headers": [
    (b"Host", b"a"), (b"Expect", b"100-continue"), (b"Content-Length", b"4")]})  # fmt: skip


def test_the_100_continue_flag_of_a_client_in_error_is_not_graded() -> None:
    """A client whose short body was refused is in ERROR; whether the refusal cleared its 100-continue
    flag (h11 clears it, h11r does not) is no contract once it can send nothing."""
    pytest.importorskip("h11r")
    target = load_target("conformance.targets.adapters.h11r:Adapter")
    world = LockStep(target.api, reference_api(), validates=False)
    for action in [("send", "client", EXPECTING), ("send", "client", ("EndOfMessage", {}))]:
        world.apply(action)
    assert world.state("client")[0] == "ERROR"


def test_a_client_that_never_waits_for_100_is_a_states_finding() -> None:
    """A client not reporting that it waits for 100 Continue after Expect is still a states finding."""
    from tests.faults.model import never_waits

    violation = _apply(never_waits.API, [("send", "client", EXPECTING)])
    assert violation is not None
    assert violation.invariant == never_waits.INVARIANT
