"""Differential tests: Hypothesis drives h11 and the reference with the same traffic; results must match.

Oracle: for every generated input, h11 and the reference in h11 mode (every documented difference switched
to h11's behaviour at its rule, ``differences.h11_mode``) give identical events (conformance.drive records,
adjacent Data merged), identical exception classes and error_status_hint, identical bytes on the wire and
identical states; no input is masked. The reference as it is (RFC rules) must still neither crash (an
exception outside the contract) nor stall.

Properties: (a) server role, request streams whole and split; (b) client role, response streams after a
sent request, with EOF at random points; (c) send side, event scripts for both roles; (d) event construction;
(e) the reference against itself: the same stream whole and split gives the same results.
The ``check_*`` functions take the two implementations as arguments, so the planted-fault test reuses them.
"""

from __future__ import annotations

import dataclasses
import os
import types
from typing import Any

import h11
from hypothesis import HealthCheck, given, note, settings
from hypothesis import strategies as st

from conformance.drive import (
    Trace,
    build_event,
    error_record,
    event_record,
    feed,
    merge_data,
    run_script,
)
from conformance.reference.differences import h11_mode
from tests.reference._traffic import (
    any_event_spec,
    joined,
    mutated,
    request_bytes,
    response_bytes,
    script,
    splits,
)

# 300 examples per property in CI; set H11SPEC_DIFFERENTIAL_EXAMPLES for a longer (still deterministic) run.
DIFFERENTIAL = settings(
    max_examples=int(os.environ.get("H11SPEC_DIFFERENTIAL_EXAMPLES", "300")),
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def _trace_view(trace: Trace) -> tuple[Any, ...]:
    """What must match between implementations: events, error class and hint, stall, final state; Data's
    chunk_start left out, as under the h11 profile (h11 0.16 loses it when a chunk-size line arrives
    alone: leniency h11-chunk-start-split; test (e) holds the reference's flags to every split)."""
    error = None if trace.error is None else trace.error[:2]
    return (merge_data(trace.events, chunk_start=False), error, trace.stalled, trace.final, trace.replies)


def _contract_ok(trace: Trace) -> bool:
    return trace.outcome in ("accept", "reject")


def check_feed(
    a: types.ModuleType,
    b: types.ModuleType,
    role: str,
    chunks: list[bytes],
    *,
    eof: bool = True,
    request: tuple[str, dict[str, Any]] | None = None,
) -> None:
    """Feed ``chunks`` to ``a`` and ``b`` in ``role``; their traces must match, ``b`` in h11 mode.

    Raises:
        AssertionError: the traces differ, or ``b`` (RFC rules) crashed or stalled.
    """
    kwargs: dict[str, Any] = {"eof": eof}
    if request is not None:
        kwargs["request"] = request
    ta = feed(a, role, chunks, **kwargs)
    rfc = feed(b, role, chunks, **kwargs)
    with h11_mode():
        tb = feed(b, role, chunks, **kwargs)
    note(f"{role} chunks={chunks!r}\n a={ta}\n b={tb}\n b (RFC rules)={rfc}")
    assert _contract_ok(rfc), f"b broke the contract: {rfc.error} stalled={rfc.stalled}"
    assert _trace_view(ta) == _trace_view(tb)


# What may escape a send, start_next_cycle or event construction: LPE, or the bytesify errors of §1.2.
SEND_CONTRACT = ("LocalProtocolError", "crash:TypeError", "crash:UnicodeEncodeError")
# What may escape receive_data/next_event: RPE, or RuntimeError for data after EOF (caller misuse, §2).
RECV_CONTRACT = ("RemoteProtocolError", "crash:RuntimeError")


def _step_view(outcome: tuple[Any, ...]) -> tuple[Any, ...]:
    kind = outcome[0]
    if kind == "events":
        return (kind, outcome[1], None if outcome[2] is None else outcome[2][:2], outcome[3])
    if kind == "error":
        return (kind, outcome[1][:2])
    return outcome


def check_script(a: types.ModuleType, b: types.ModuleType, role: str, steps: list[tuple[Any, ...]]) -> None:
    """Run ``steps`` on ``a`` and ``b`` (in h11 mode); every step's outcome and state snapshot must match.

    Raises:
        AssertionError: an outcome differs, or ``b`` (RFC rules) raised outside the contract.
    """
    ra = run_script(a, role, steps)
    rfc = run_script(b, role, steps)
    with h11_mode():
        rb = run_script(b, role, steps)
    note(f"{role} steps={steps!r}")
    for (oa, sa), (ob, sb) in zip(ra, rb):
        note(f" a={oa} {sa}\n b={ob} {sb}")
    for outcome, _ in rfc:  # b keeps the contract under the RFC rules too
        if outcome[0] == "error":
            assert outcome[1][0] in SEND_CONTRACT, outcome
        elif outcome[0] == "events" and outcome[2] is not None:
            assert outcome[2][0] in RECV_CONTRACT, outcome
    assert [(_step_view(o), s) for o, s in ra] == [(_step_view(o), s) for o, s in rb]


def _construct(api: types.ModuleType, spec: tuple[str, dict[str, Any]]) -> tuple[Any, ...]:
    try:
        ev = build_event(api, spec)
    except Exception as exc:
        return ("raise", *error_record(api, exc)[:2])
    raw = tuple(ev.headers.raw_items()) if hasattr(ev, "headers") else ()
    return ("ok", event_record(ev), tuple((bytes(n), bytes(v)) for n, v in raw))


def check_construct(a: types.ModuleType, b: types.ModuleType, spec: tuple[str, dict[str, Any]]) -> None:
    """Build ``spec`` with both (``b`` in h11 mode); same acceptance, exception class and hint, and fields.

    Raises:
        AssertionError: the outcomes differ.
    """
    oa = _construct(a, spec)
    with h11_mode():
        ob = _construct(b, spec)
    note(f"spec={spec!r}\n a={oa}\n b={ob}")
    assert oa == ob


# ------------------------------------------------------------------------------------------------
# (a) server role


@DIFFERENTIAL
@given(data=st.data())
def test_server_request_streams(ref: types.ModuleType, data: st.DataObject) -> None:
    """Request streams (pipelined, mutated), whole and split, give h11's events, errors and states."""
    wire = data.draw(mutated(joined(request_bytes())), label="wire")
    check_feed(h11, ref, "server", [wire])
    check_feed(h11, ref, "server", data.draw(splits(wire), label="chunks"))


# ------------------------------------------------------------------------------------------------
# (b) client role

CLIENT_REQUESTS = st.tuples(
    st.sampled_from([b"GET", b"GET", b"HEAD", b"CONNECT", b"POST"]),
    st.lists(
        st.sampled_from([(b"Upgrade", b"x"), (b"Connection", b"close"), (b"Expect", b"100-continue")]),
        max_size=2,
        unique=True,
    ),
).map(lambda p: ("Request", {"method": p[0], "target": b"/", "headers": [(b"Host", b"a"), *p[1]]}))


@DIFFERENTIAL
@given(data=st.data())
def test_client_response_streams(ref: types.ModuleType, data: st.DataObject) -> None:
    """Response streams after a sent request (HEAD, CONNECT, 1xx, 101, chunked, close-delimited, EOF)."""
    request = data.draw(CLIENT_REQUESTS, label="request")
    wire = data.draw(mutated(joined(response_bytes())), label="wire")
    eof = data.draw(st.booleans(), label="eof")
    if data.draw(st.booleans(), label="truncate"):
        wire = wire[: data.draw(st.integers(0, len(wire)), label="cut")]
        eof = True
    check_feed(h11, ref, "client", data.draw(splits(wire), label="chunks"), eof=eof, request=request)


# ------------------------------------------------------------------------------------------------
# (c) send side


@DIFFERENTIAL
@given(role=st.sampled_from(["server", "client"]), data=st.data())
def test_send_scripts(ref: types.ModuleType, role: str, data: st.DataObject) -> None:
    """Event scripts (valid, invalid, injection attempts) give the same bytes, errors and states."""
    check_script(h11, ref, role, data.draw(script(role), label="steps"))


# ------------------------------------------------------------------------------------------------
# (d) event construction


@DIFFERENTIAL
@given(spec=any_event_spec)
def test_event_construction(ref: types.ModuleType, spec: tuple[str, dict[str, Any]]) -> None:
    """Building any event gives the same acceptance, exception class and hint, and normalised fields."""
    check_construct(h11, ref, spec)


# ------------------------------------------------------------------------------------------------
# (e) the reference against itself: every split of the same bytes


def _split_view(trace: Trace) -> tuple[Any, ...]:
    """A trace without the unparsed rest (a stream cut at an error leaves a split-dependent tail)."""
    final = None if trace.final is None else dataclasses.replace(trace.final, trailing=None)
    return (
        trace.events,
        None if trace.error is None else trace.error[:2],
        trace.stalled,
        final,
        trace.replies,
    )


def check_split(api: types.ModuleType, role: str, wire: bytes, chunks: list[bytes]) -> None:
    """Feeding ``wire`` whole and as ``chunks`` gives the same events, error class and hint, and states.

    Raises:
        AssertionError: the two feeds differ.
    """
    whole, split = feed(api, role, [wire]), feed(api, role, chunks)
    note(f"{role} chunks={chunks!r}\n whole={whole}\n split={split}")
    assert _split_view(whole) == _split_view(split)


@DIFFERENTIAL
@given(role=st.sampled_from(["server", "client"]), data=st.data())
def test_reference_split_invariance(ref: types.ModuleType, role: str, data: st.DataObject) -> None:
    """The reference gives the same events and states for a stream fed whole, in pieces or byte by byte."""
    wire = data.draw(mutated(joined(request_bytes() if role == "server" else response_bytes())), label="wire")
    if data.draw(st.integers(0, 9), label="bytewise") == 0:
        chunks = [wire[i : i + 1] for i in range(len(wire))]
    else:
        chunks = data.draw(splits(wire), label="chunks")
    check_split(ref, role, wire, chunks)
