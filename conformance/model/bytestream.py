"""The byte-stream property: grammar-generated requests and responses, implementation against oracle.

Theory of operation: beside the state machine, one Hypothesis property draws a role and a byte stream
from ``conformance.strategies`` (valid requests and responses, pipelined, or mutated at the token level)
and feeds it with ``conformance.drive.feed`` to the implementation (whole and in drawn cuts) and to the
oracle (whole). It holds when the implementation's outcome class (accept, reject, crash, stall) and
merged events equal themselves across the two feedings and equal the oracle's under one allowed
assignment of the RFC's choice points the stream reached (``conformance.oracle``; a violation names
the choice points considered), or, reported as information and not a violation, the oracle's with one
choice point's alternatives mixed per occurrence (``conformance.oracle.mixed_outcome``). Under the
``h11`` profile the oracle is the reference modelling h11 (``conformance.oracle.as_profile``:
documented differences in h11 mode, choices at h11's alternatives), one outcome, so a documented
difference is no mismatch and nothing is masked.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from conformance import strategies as gen
from conformance.drive import Trace, canon_events, feed, merge_data
from conformance.model.actions import InvariantViolation
from conformance.model.coverage import Coverage
from conformance.model.lockstep import feed_both, guard_for
from conformance.oracle import Conforming, Outcome, as_profile, conforming, mixed_outcome


class ByteStreamViolation(InvariantViolation):
    """The byte-stream property broke; ``role``, ``data`` and ``cuts`` reproduce it."""

    def __init__(
        self, detail: str, role: str, data: bytes, cuts: tuple[int, ...], *, crash: bool, hang: bool = False
    ) -> None:
        super().__init__("byte-stream", detail, crash=crash, hang=hang)
        self.role = role
        self.data = data
        self.cuts = cuts


def _view(trace: Trace, profile: str = "rfc9112", flags: bool = True) -> tuple[str, Any]:
    # Profile h11 does not compare Data.chunk_start (h11 0.16 loses it when a size line arrives alone).
    # A target without event-validation (an adapter over another library's parser) does not report the
    # chunk flags at all: its Data are compared as one run of bytes, as the catalog's RFC cases do.
    # Token values and identical Content-Length lists compare canonically (drive.canon_events).
    events = canon_events(trace.events)
    if not flags:
        return (trace.outcome, merge_data(events, chunks=False, chunk_start=False))
    return (trace.outcome, events if profile != "h11" else merge_data(events, chunk_start=False))


def check_stream(
    impl: Any,
    oracle_api: Any,
    role: str,
    data: bytes,
    cuts: tuple[int, ...],
    profile: str,
    flags: bool = True,
    on_mixed: Callable[[str], None] | None = None,
) -> str:
    """Check one stream; returns the target's outcome class on the whole stream (for the coverage table).

    A stream that matches the oracle only with one choice point's alternatives mixed per occurrence
    (``conformance.oracle.mixed_outcome``) is no violation: ``on_mixed`` gets the information.

    ``flags``: the target reports Data.chunk_start / chunk_end (capability event-validation).
    ``impl`` is where the implementation runs (``conformance.model.lockstep.guard_for``): the feeding
    runs there while the oracle's runs here.
    Raises:
        ByteStreamViolation: the implementation crashed, hung or disagreed with itself or the oracle.
        HarnessError: the harness's own code failed on the implementation's side.
    """
    guard = guard_for(impl)
    try:
        guard.check_fatal()
        guard.executor.submit(feed_both, (role, data, cuts), timeout=guard.timeout)
        whole, pieces = guard.result(f"feeding the {role}", guard.executor.collect())
    except ByteStreamViolation:
        raise
    except InvariantViolation as died:
        violation = ByteStreamViolation(died.detail, role, data, cuts, crash=True, hang=died.hang)
        violation.fatal = getattr(died, "fatal", False)  # type: ignore[attr-defined]
        raise violation from None
    whole_view = _view(whole, profile, flags)
    if profile == "rfc9112":
        conf = conforming(
            lambda: feed(oracle_api, role, [data]), lambda trace: _view(trace, profile, flags) == whole_view
        )
    else:  # the reference as the profile's oracle: one outcome, no alternatives
        with as_profile(profile):
            only = Outcome((), feed(oracle_api, role, [data]))
        matched = _view(only.result, profile, flags) == whole_view
        conf = Conforming((only,), frozenset(), only if matched else None)
    oracle = conf.default
    for trace in (whole, pieces):
        if trace.outcome == "crash":
            assert trace.error is not None
            raise ByteStreamViolation(f"{trace.error[0][6:]}: {trace.error[2]}", role, data, cuts, crash=True)
    problem = None
    if _view(whole, profile, flags) != _view(pieces, profile, flags):
        problem = (
            f"whole {_view(whole, profile, flags)!r:.300}, in pieces {_view(pieces, profile, flags)!r:.300}"
        )
    elif conf.accepted is None:
        mixed = _mixed(oracle_api, role, data, conf, whole_view, flags) if conf.considered else None
        if mixed is None:
            considered = f" ({conf.describe_considered()})" if conf.considered else ""
            problem = f"{whole_view!r:.300}, oracle {_view(oracle, profile, flags)!r:.300}{considered}"
        elif on_mixed is not None:
            on_mixed(mixed)
    if problem is None:
        return str(whole.outcome)
    raise ByteStreamViolation(problem, role, data, cuts, crash=False)


def _mixed(
    oracle_api: Any, role: str, data: bytes, conf: Conforming[Trace], whole_view: tuple[str, Any], flags: bool
) -> str | None:
    """What one choice point's alternatives mixed per occurrence match the stream, described, or None."""
    mixed = mixed_outcome(
        lambda: feed(oracle_api, role, [data]),
        lambda trace: _view(trace, "rfc9112", flags) == whole_view,
        conf.considered,
    )
    return None if mixed is None else mixed.describe()


def byte_property(
    impl: Any,
    oracle_api: Any,
    profile: str,
    coverage: Coverage,
    on_example: Callable[[bool], None],
    flags: bool = True,
) -> Callable[[], None]:
    """The Hypothesis test function (call it to run; apply settings and seed first).

    ``on_example(failed)`` is called at the start of every example (False) and when one fails (True).
    """

    def on_mixed(described: str) -> None:
        coverage.mixed[("byte-stream", described)] += 1

    @given(role=st.sampled_from(("server", "client")), data=st.data(), cuts=gen.splits(8))
    def byte_stream(role: str, data: st.DataObject, cuts: tuple[int, ...]) -> None:
        on_example(False)
        stream = data.draw(
            gen.request_streams() if role == "server" else gen.response_streams(), label="bytes"
        )
        try:
            outcome = check_stream(impl, oracle_api, role, stream, cuts, profile, flags, on_mixed)
        except ByteStreamViolation:
            on_example(True)
            raise
        coverage.byte_streams[f"{role} {outcome}"] += 1  # the target's own outcome

    return byte_stream
