"""Self-tests of the grading logic in conformance.catalog.grade, on synthetic cases and planted faults."""

from __future__ import annotations

import dataclasses

import h11
import pytest

from conformance import drive
from conformance.catalog.case import LPE, RPE, Accept, Case, Either, Reject, data, eom, req
from conformance.catalog.cases import select
from conformance.catalog.grade import Evaluation, Observation, evaluate, grade, run_catalog
from conformance.errors import HarnessError, UsageError
from conformance.targets.capabilities import ALL_CAPABILITIES
from conformance.targets.executor import Crashed, Hung, Ok
from conformance.verdict import Level, Verdict
from tests.faults.catalog import faults

GET = b"GET / HTTP/1.1\r\nHost: a\r\n\r\n"
GOT = (req(), eom(), ("ConnectionClosed",))


def _case(level: Level, expect: object, **kw: object) -> Case:
    fields: dict[str, object] = {"id": "h11/test/synthetic", "wire": GET, **kw}
    if "script" in kw:
        fields["wire"] = kw.get("wire")
    return Case(rfc="RFC 9112 §3", level=level, sentence="s", role="server", expect=expect, **fields)  # type: ignore[arg-type]


def _verdict(case: Case, api: object = h11, profile: str = "rfc9112") -> Verdict:
    return grade(case, Ok(evaluate(api, case)), impl="t", profile=profile).verdict


def test_accept_with_matching_events_passes() -> None:
    """An accept outcome whose events equal the observed events is a pass."""
    assert _verdict(_case(Level.MUST, Accept(events=GOT))) is Verdict.PASS


def test_either_passes_on_any_alternative() -> None:
    """Either(...) passes when any one of its outcomes matches (both behaviours of a MAY)."""
    assert _verdict(_case(Level.MUST, Either(Reject(RPE), Accept(events=GOT)))) is Verdict.PASS
    assert _verdict(_case(Level.MUST, Either(Reject(RPE), Accept(events=())))) is Verdict.FAIL


@pytest.mark.parametrize(
    ("level", "verdict"),
    [(Level.MUST, Verdict.FAIL), (Level.SHOULD, Verdict.WARN), (Level.MAY, Verdict.INFO)],
)
def test_unmet_level_gives_its_verdict(level: Level, verdict: Verdict) -> None:
    """An unmet MUST fails, an unmet SHOULD warns, an unmet MAY is recorded as info."""
    assert _verdict(_case(level, Reject(RPE))) is verdict


def test_status_hint_and_states_are_checked() -> None:
    """A reject with the wrong status hint, or an accept in the wrong state, does not match."""
    bad = b"GET / HTTP/1.1\r\nHost: a\r\nContent-Length: x\r\n\r\n"
    assert _verdict(_case(Level.MUST, Reject(RPE, 400), wire=bad)) is Verdict.PASS
    assert _verdict(_case(Level.MUST, Reject(RPE, 431), wire=bad)) is Verdict.FAIL
    assert _verdict(_case(Level.MUST, Accept(states={"their_state": "DONE"}))) is Verdict.FAIL


def test_h11_profile_uses_h11_expect() -> None:
    """Under the h11 profile a case is graded against h11_expect; under rfc9112 against expect."""
    case = _case(Level.MUST, Reject(RPE), h11_expect=Accept(events=GOT), difference="cl-te-keepalive")
    assert _verdict(case, profile="rfc9112") is Verdict.FAIL
    assert _verdict(case, profile="h11") is Verdict.PASS


def test_stall_is_a_hang() -> None:
    """Endless NEED_DATA on complete input is graded HANG, whatever was expected."""
    assert _verdict(_case(Level.MAY, Accept()), api=faults.stalls().api) is Verdict.HANG


def test_unexpected_exception_is_a_crash() -> None:
    """An exception other than a ProtocolError escaping next_event is graded CRASH."""
    assert _verdict(_case(Level.MAY, Reject(RPE)), api=faults.crashes().api) is Verdict.CRASH


def test_local_protocol_error_from_next_event_is_a_crash() -> None:
    """A LocalProtocolError escaping next_event (instead of RemoteProtocolError) is graded CRASH."""
    obs = Observation(events=(), error=(LPE, 400), stalled=False, final=None)
    evaluation = Evaluation((("whole", obs),), obs, obs)
    assert grade(_case(Level.MUST, Reject(RPE)), Ok(evaluation), impl="t").verdict is Verdict.CRASH


def test_executor_failures_become_verdicts() -> None:
    """An executor Hung becomes HANG and Crashed becomes CRASH, with a one-line message."""
    case = _case(Level.MUST, Accept())
    assert grade(case, Hung(3.0), impl="t").verdict is Verdict.HANG
    crashed = grade(case, Crashed("SIGSEGV"), impl="t")
    assert crashed.verdict is Verdict.CRASH
    assert "\n" not in crashed.message


def test_split_disagreement_fails_whatever_the_level() -> None:
    """Variants that disagree fail the case even at MAY level, naming both variants."""
    one = Observation(events=GOT, error=None, stalled=False, final=None)
    two = Observation(events=(), error=(RPE, 400), stalled=False, final=None)
    evaluation = Evaluation((("whole", one), ("split@17", two)), one, one)
    result = grade(_case(Level.MAY, Either(Accept(), Reject(RPE))), Ok(evaluation), impl="t")
    assert result.verdict is Verdict.FAIL
    assert "split disagreement" in result.message
    assert "split@17" in result.message


def test_split_disagreement_names_a_hidden_field() -> None:
    """When variants differ only in a snapshot field, the message names that field and both values."""
    snap = drive.Snapshot("SEND_RESPONSE", "DONE", True, b"1.1", (b"", False))
    one = Observation(events=GOT, error=None, stalled=False, final=snap)
    two = Observation(
        events=GOT, error=None, stalled=False, final=dataclasses.replace(snap, client_waiting_100=False)
    )
    result = grade(
        _case(Level.MUST, Accept()), Ok(Evaluation((("whole", one), ("bytewise", two)), one, one)), impl="t"
    )
    assert result.verdict is Verdict.FAIL
    assert "client_waiting_100=True" in result.message
    assert "client_waiting_100=False" in result.message


def test_trailing_bytes_must_not_change_earlier_events() -> None:
    """Events settled before EOF must begin the events seen when more bytes follow."""
    settled = Observation(events=(req(), eom()), error=None, stalled=False, final=None)
    trailing = Observation(events=(req(), data(b"x"), eom()), error=None, stalled=False, final=None)
    evaluation = Evaluation((("whole", settled),), settled, trailing)
    result = grade(_case(Level.MUST, Accept()), Ok(evaluation), impl="t")
    assert result.verdict is Verdict.FAIL
    assert "trailing bytes" in result.message


def test_missing_capability_skips_with_reason() -> None:
    """A case needing a capability the target lacks is skipped, with the reason in the message."""
    target = faults.target("parse-only", h11, ALL_CAPABILITIES - {"serialize"})
    cases = select(["9112/6.2/send-cl-overrun", "9112/6.3/cl-zero-then-pipelined"])
    results = {r.case_id: r for r in run_catalog([target], cases=cases, isolated=False)}
    assert results["9112/6.2/send-cl-overrun"].verdict is Verdict.SKIP
    assert "serialize" in results["9112/6.2/send-cl-overrun"].message
    assert results["9112/6.3/cl-zero-then-pipelined"].verdict is Verdict.PASS


def test_parse_capability_is_implied_by_role() -> None:
    """A byte case needs the parsing capability of its role even when its needs do not say so."""
    target = faults.target("requests-only", h11, ALL_CAPABILITIES - {"parse-responses"})
    cases = select(["9112/6.3/cl-zero-then-pipelined", "9112/6.3/response-close-delimited"])
    verdicts = {r.case_id: r.verdict for r in run_catalog([target], cases=cases, isolated=False)}
    assert verdicts == {
        "9112/6.3/cl-zero-then-pipelined": Verdict.PASS,
        "9112/6.3/response-close-delimited": Verdict.SKIP,
    }


def test_run_catalog_rows_and_progress() -> None:
    """run_catalog returns one row per case per target, in order, and reports progress up to the total."""
    cases = select(["9112/6.3/cl-*"])
    seen: list[tuple[int, int]] = []
    targets = [faults.target("a", h11), faults.target("b", h11)]
    rows = run_catalog(targets, cases=cases, isolated=False, progress=lambda d, t: seen.append((d, t)))
    assert [r.case_id for r in rows] == [c.id for c in cases] * 2
    assert [r.impl for r in rows] == ["a"] * len(cases) + ["b"] * len(cases)
    assert seen[-1] == (2 * len(cases), 2 * len(cases))
    assert all(r.source == "catalog" and "\n" not in r.message for r in rows)


def test_unknown_profile_is_a_usage_error() -> None:
    """An unknown profile name is a UsageError (one line), not a traceback."""
    with pytest.raises(UsageError, match="profile"):
        run_catalog([faults.target("a", h11)], profile="nope", cases=[])


def test_bad_case_definition_is_a_harness_error() -> None:
    """A malformed case (bad id, or both wire and script) is a HarnessError when defined."""
    with pytest.raises(HarnessError):
        _case(Level.MUST, Accept(), id="bad id")  # type: ignore[call-arg]
    with pytest.raises(HarnessError):
        _case(Level.MUST, Accept(), wire=GET, script=(("eof",),))


def test_isolated_run_matches_in_process() -> None:
    """Cases and evaluations cross the process boundary intact: isolated verdicts equal in-process ones."""
    cases = select(["9112/6.3/cl-*", "h11/state/server-idle-*", "9110/10.1.1/*"])
    target = faults.target("h11", h11)
    inside = run_catalog([target], cases=cases, isolated=False)
    isolated = run_catalog([target], cases=cases, isolated=True, jobs=2)
    assert [(r.case_id, r.verdict, r.observed) for r in isolated] == [
        (r.case_id, r.verdict, r.observed) for r in inside
    ]


def test_merge_data_merges_only_within_a_chunk() -> None:
    """Adjacent Data merge within one chunk, never across a chunk_end/chunk_start boundary; flags kept."""
    pieces = (data(b"a", True, False), data(b"b"), data(b"c", False, True), data(b"d", True, True), data(b""))
    assert drive.merge_data(pieces) == (data(b"abc", True, True), data(b"d", True, True))
    assert drive.merge_data(pieces, chunks=False) == (data(b"abcd"),)
    assert drive.merge_data(pieces, chunk_start=False) == (data(b"abc", False, True), data(b"d", False, True))
