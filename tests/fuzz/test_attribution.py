"""A rejection is blamed on a choice point only when it came where the input reached it; under rfc9112 a
rejection one head later than the reference's is the same rejection (issues #9, #10)."""

from __future__ import annotations

import importlib
from typing import Any

import pytest

from conformance import drive
from conformance.drive import Trace
from conformance.oracle import feed_outcomes, position
from fuzz import checks
from fuzz.targets import run_one

TRAILER_BODY = b"Transfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\nX-T: 1\r\n\r\n"
WITH_TRAILER = b"POST / HTTP/1.1\r\nHost: a\r\n" + TRAILER_BODY
BAD_TARGET_WITH_TRAILER = b"POST $a HTTP/1.1\r\nHost: a\r\n" + TRAILER_BODY
BAD_TE = b"POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip\r\n\r\n"
REQUEST: drive.EventRecord = ("Request", b"POST", b"/", ((b"host", b"a"),), b"1.1")
END: drive.EventRecord = ("EndOfMessage", ())


def _fault(name: str) -> Any:
    return importlib.import_module(f"tests.faults.fuzz.{name}")


def _rejects(events: tuple[drive.EventRecord, ...]) -> Trace:
    return Trace(events, ("RemoteProtocolError", 400, "bad"), False, None)


@pytest.fixture(autouse=True)
def _rfc9112(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("H11SPEC_PROFILE", "rfc9112")


def test_the_oracle_records_where_the_input_first_reached_a_choice_point() -> None:
    """The trailer-fields point is reached after the Request and the chunk's 3 bytes, in every split."""
    for chunks in ([WITH_TRAILER], [WITH_TRAILER[i : i + 1] for i in range(len(WITH_TRAILER))]):
        conf = feed_outcomes("server", chunks)
        assert conf.default.reached_at == (("trailer-fields", 1, 3),)


def test_a_choice_point_reached_by_a_rejecting_call_is_recorded_too() -> None:
    """The obs-fold point is at the head under either alternative, the rejecting one included."""
    data = b"GET / HTTP/1.1\r\nHost: a\r\nX: a\r\n b\r\n\r\n"
    conf = feed_outcomes("server", [data], lambda trace: False)
    assert {o.result.outcome for o in conf.outcomes} == {"accept", "reject"}
    assert all(o.result.reached_at == (("obs-fold", 0, 0),) for o in conf.outcomes)


def test_position_counts_data_bytes_however_they_are_cut() -> None:
    """Data cut in pieces or merged is at the same position; a head or an end counts one each."""
    pieces = (REQUEST, ("Data", b"ab", False, False), ("Data", b"c", False, False), END)
    assert position(pieces) == position(drive.merge_data(pieces)) == (2, 3)


def test_rejecting_every_trailer_section_is_still_a_finding() -> None:
    """A target refusing trailer sections (RFC 9112 §7.1: recipients MUST parse chunked) is found."""
    found = run_one(_fault("rejects_trailers"), ("differential", WITH_TRAILER))
    assert found is not None
    assert found.frame.startswith("oracle:rejects-what-every-choice-accepts:")
    assert "trailer-fields" in found.message


def test_a_stricter_rejection_before_the_choice_point_is_no_finding() -> None:
    """Rejecting an invalid request-target, before the trailer section is read, is allowed strictness."""
    api = _fault("strict_target")
    impl = drive.feed(api, "server", [BAD_TARGET_WITH_TRAILER])
    conf = feed_outcomes("server", [BAD_TARGET_WITH_TRAILER])
    # What the coarse rule blamed: a reached choice point that every alternative accepts, and a rejection.
    assert impl.outcome == "reject"
    assert impl.events == ()
    assert conf.considered == {"trailer-fields"}
    assert all(o.result.outcome == "accept" for o in conf.outcomes)
    assert checks.rejected_at_choice(impl, conf) == ()
    assert run_one(api, ("differential", BAD_TARGET_WITH_TRAILER)) is None


def test_delivering_the_head_then_rejecting_its_transfer_encoding_is_no_finding_under_rfc9112() -> None:
    """Both reject the message; the target only delivered its head first, which RFC 9112 leaves open."""
    api = _fault("late_te")
    impl = drive.feed(api, "server", [BAD_TE])
    ref = drive.feed(importlib.import_module("conformance.reference"), "server", [BAD_TE])
    assert [e[0] for e in impl.events] == ["Request"]
    assert (impl.outcome, ref.outcome, ref.events) == ("reject", "reject", ())
    assert run_one(api, ("differential", BAD_TE)) is None


def test_delivering_the_head_then_rejecting_is_a_finding_under_h11(monkeypatch: pytest.MonkeyPatch) -> None:
    """Under the h11 profile when a rejection comes is the contract: the late rejection is a finding."""
    monkeypatch.setenv("H11SPEC_PROFILE", "h11")
    found = run_one(_fault("late_te"), ("differential", BAD_TE))
    assert found is not None
    assert found.frame.startswith("oracle:reference-rejects:")


@pytest.mark.parametrize(
    ("ref_events", "impl_events"),
    [
        ((), (REQUEST, END)),  # a whole extra message delivered before rejecting
        ((), (REQUEST, ("Data", b"x", False, False))),  # body bytes the reference refused handed over
        ((REQUEST,), (REQUEST, ("Data", b"x", False, False))),  # the reference rejected inside the body
        ((), (("InformationalResponse", 100, (), b"1.1", b""), REQUEST)),  # a complete 1xx first
    ],
)
def test_more_than_the_rejected_head_before_rejecting_is_still_a_finding(
    ref_events: tuple[drive.EventRecord, ...], impl_events: tuple[drive.EventRecord, ...]
) -> None:
    """Only the head of the message the reference rejected may come first; anything more is a finding."""
    assert checks.disagreement(_rejects(impl_events), _rejects(ref_events)) is not None


@pytest.mark.parametrize("ref_events", [(), (REQUEST, END)])
def test_the_rejected_head_alone_first_is_the_same_rejection_under_rfc9112_only(
    ref_events: tuple[drive.EventRecord, ...], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The head of the message the reference rejected inside, then the rejection: agreement, h11 aside."""
    impl, ref = _rejects((*ref_events, REQUEST)), _rejects(ref_events)
    assert checks.disagreement(impl, ref) is None
    monkeypatch.setenv("H11SPEC_PROFILE", "h11")
    assert checks.disagreement(impl, ref) is not None


CLOSE_DELIMITED = b"HTTP/1.1 200 OK\r\nX_Y: z\r\n\r\nabc"


def test_a_choice_point_that_decides_only_a_state_is_never_blamed_for_a_rejection() -> None:
    """close-delimited-response changes no event (only a state): a rejection of the head is not its doing."""
    conf = feed_outcomes("client", [CLOSE_DELIMITED])
    impl = _rejects(())
    assert conf.considered == {"close-delimited-response"}
    assert all(o.result.outcome == "accept" for o in conf.outcomes)
    assert checks.rejected_at_choice(impl, conf) == ("close-delimited-response",)  # what was blamed before
    assert not checks.choice_shapes_events(conf, len(impl.events))
    assert checks.differential_problem(impl, conf) is None


def test_a_choice_point_that_changes_the_event_being_read_is_still_blamed() -> None:
    """trailer-fields changes the EndOfMessage: refusing the trailer section there is still a finding."""
    conf = feed_outcomes("server", [WITH_TRAILER])
    impl = _rejects((REQUEST, ("Data", b"abc", True, True)))
    assert checks.choice_shapes_events(conf, len(impl.events))
    problem = checks.differential_problem(impl, conf)
    assert problem is not None
    assert problem[0].startswith("rejects-what-every-choice-accepts")
