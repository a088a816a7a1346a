"""The four fuzz checks; the first line of each docstring is its oracle.

Theory of operation: each check catches exactly the exception class the h11 contract allows at that
point (``RemoteProtocolError`` from ``next_event``, ``LocalProtocolError`` from ``send`` and event
constructors) and nothing broader: ``conformance.drive`` classifies whatever the implementation raised,
and a crash is re-raised from a second, uncaught run so the traceback is the implementation's own.

- ``server-parse``, ``client-parse`` and ``differential`` feed the bytes as they are, in the splits
  ``fuzz.splits.plan`` picks;
- ``send`` reads the bytes as events to send (``fuzz.sendtext``).

The parse and differential checks need only what their role reads (``fuzz.splits.ROLE_NEEDS``); an input
in a role the target cannot read raises ``SkippedInput`` (no finding; ``fuzz.targets.run_one`` counts
it). A target that cannot reply (no "serialize" or "state-machine": a parse-only adapter) is compared
by the differential up to the end of its first complete message (``fuzz.traces.first_message``), with
the reference fed without replies, so it stops at the same place; a target without event-validation
(which reports no chunk boundaries) has its Data compared as one run of bytes (``_view_for``). The
reference is told no more than the target knows: a client that cannot send its request (told only the
method) may have proposed an upgrade (``fuzz.splits.offering_upgrade``), and a target without h11's
size-limit parameter is compared with a reference that has no size limit (``NO_SIZE_LIMIT``).

The ``differential`` and ``send`` checks compare with the reference (``conformance.reference``) as the
profile's oracle (``conformance.oracle.as_profile``): under ``h11`` the reference models h11 0.16, every
documented difference switched to h11's behaviour at its rule, so no difference needs a mask.
"""

from __future__ import annotations

import dataclasses
import functools
import threading
from collections.abc import Callable, Sequence
from typing import Any

from conformance import drive
from conformance.drive import (
    EventSpec,
    Trace,
    feed,
    message_class,
)
from conformance.oracle import (
    Conforming,
    Mixed,
    Outcome,
    as_profile,
    feed_outcomes,
    mixed_outcome,
    position,
)
from conformance.targets.capabilities import EVENT_SIZE_LIMIT, EVENT_VALIDATION, SERIALIZE, STATE_MACHINE
from conformance.targets.load import offered, reference_api
from conformance.targets.probe import probe_api
from fuzz.oracle import OracleInfo, OracleViolation, SkippedInput, active_profile, oracle_of
from fuzz.sending import RejectedRequest, send_problem, send_run
from fuzz.sendtext import events_from_text
from fuzz.splits import ROLE_NEEDS, client_request, offering_upgrade, parse_role, plan
from fuzz.traces import describe, first_message, outcome_summary, prefix_of

# What the driver needs to reply past PAUSED and so read pipelined messages (conformance.drive.feed).
REPLY_NEEDS = frozenset({SERIALIZE, STATE_MACHINE})
# The reference's max_incomplete_event_size against a target without h11's size-limit parameter: limits are
# each recipient's choice (RFC 9110 §5.4), so the reference's own 16 KiB is no oracle for another library.
NO_SIZE_LIMIT = 1 << 30

# ------------------------------------------------------------------------------------------------
# Helpers shared by the parse targets

_OFFERS: dict[int, tuple[Any, frozenset[str]]] = {}  # id(api) -> (api, its capabilities), probed once
_OFFERS_MAX = 16  # namespaces remembered (a recording proxy is a new namespace per recording)
_OFFERS_LOCK = threading.Lock()


def offers(api: Any) -> frozenset[str]:
    """The capabilities ``api`` offers, as ``load_target`` computes them (probed once per namespace)."""
    with _OFFERS_LOCK:
        known = _OFFERS.get(id(api))
        if known is None or known[0] is not api:
            if len(_OFFERS) >= _OFFERS_MAX:
                _OFFERS.clear()
            known = _OFFERS[id(api)] = (api, offered(api, probe_api(api).capabilities))
    return known[1]


def require_role(api: Any, role: str) -> None:
    """Raise ``SkippedInput`` when ``api`` lacks what reading an input in ``role`` needs (``ROLE_NEEDS``)."""
    lacking = ROLE_NEEDS[role] - offers(api)
    if lacking:
        raise SkippedInput(f"a {role} input needs {', '.join(sorted(lacking))}")


def _raise_crash(oracle: str, api: Any, role: str, chunks: Sequence[bytes], request: EventSpec) -> None:
    """Run the same feed again without catching anything, so the implementation's crash escapes.

    ``drive.feed`` records exceptions instead of raising them; a crash must reach libFuzzer (and
    ``run_one``) with the implementation's own traceback, so it is reproduced here uncaught.
    Raises:
        OracleViolation: the second run did not crash (the implementation is not deterministic).
    """
    remote = getattr(api, "RemoteProtocolError", ())
    try:
        drive.feed(api, role, chunks, request=request, reraise=True)
    except remote as exc:
        raise OracleViolation(
            oracle,
            f"a crash did not repeat on the same input (second run: RemoteProtocolError {exc})",
            kind="nondeterministic-crash",
        ) from None
    raise OracleViolation(
        oracle,
        "a crash did not repeat on the same input (second run completed)",
        kind="nondeterministic-crash",
    )


def _parse_check(oracle: str, role: str, api: Any, data: bytes) -> None:
    require_role(api, role)
    request = client_request(data) if role == "client" else drive.DEFAULT_REQUEST
    name, chunks = plan(data, allow_whole=False)
    whole = feed(api, role, [data], request=request)
    if whole.outcome == "crash":
        _raise_crash(oracle, api, role, [data], request)
    split = feed(api, role, chunks, request=request)
    if split.outcome == "crash":
        _raise_crash(oracle, api, role, chunks, request)
    for variant, trace in (("whole", whole), (name, split)):
        if trace.outcome == "stall":
            raise OracleViolation(
                oracle,
                f"fed {variant} with EOF, next_event still returns NEED_DATA ({describe(trace)})",
                kind="stall",
            )
    if outcome_summary(whole) != outcome_summary(split):
        raise OracleViolation(
            oracle,
            f"whole: {describe(whole)}; {name}: {describe(split)}",
            kind=f"split-disagrees:{whole.outcome}/{split.outcome}",
        )


def check_server_parse(api: Any, data: bytes) -> None:
    """Fed to a server in any split, bytes give only events or RemoteProtocolError, never stall after EOF, and every split agrees with the whole.

    The server replies to each complete request (200, Content-Length 0) to read pipelined ones.
    """  # noqa: E501 -- the first line is the oracle sentence, kept whole for reports
    _parse_check(SERVER_PARSE_ORACLE, "server", api, data)


def check_client_parse(api: Any, data: bytes) -> None:
    """Fed to a client after its request in any split, bytes give only events or RemoteProtocolError, never stall after EOF, and every split agrees with the whole.

    The request is GET most of the time, HEAD or CONNECT otherwise, chosen by the input.
    """  # noqa: E501 -- the first line is the oracle sentence, kept whole for reports
    _parse_check(CLIENT_PARSE_ORACLE, "client", api, data)


# ------------------------------------------------------------------------------------------------
# Differential


def disagreement(impl: Trace, ref: Trace) -> tuple[str, str] | None:
    """How the implementation's trace breaks the differential oracle against the reference's, if it does.

    The implementation may reject earlier than the reference (stricter is allowed) but everything it
    delivered must be what the reference delivered; where the reference rejects it must not go on; where
    both accept, the events must be equal. Under the rfc9112 profile both rejecting the same message is
    agreement even when the implementation delivered its head first (``rejects_later_in_message``).

    Returns:
        None, or (kind, detail): a stable classification and a one-line description.
    """
    # Token values and an identical Content-Length list are compared canonically, as the catalog does.
    impl = dataclasses.replace(impl, events=drive.canon_events(impl.events))
    ref = dataclasses.replace(ref, events=drive.canon_events(ref.events))
    ref_class = "accept" if ref.error is None else message_class(ref.error[2])
    if impl.outcome == "reject" and prefix_of(impl.events, ref.events):
        return None
    if active_profile() in LATE_REJECTION_PROFILES and rejects_later_in_message(impl, ref):
        return None
    if impl.outcome == "accept" and ref.outcome == "accept":
        if impl.events == ref.events:
            return None
        return (
            "events-differ",
            f"both accept; implementation: {describe(impl)}; reference: {describe(ref)}",
        )
    if not prefix_of(ref.events, impl.events) or (
        ref.outcome == "accept" and len(impl.events) != len(ref.events)
    ):
        return (
            f"events-differ:{ref_class}",
            f"implementation: {describe(impl)}; reference: {describe(ref)}",
        )
    return (
        f"reference-rejects:{ref_class}",
        f"the reference rejects ({ref.error!r}) where the implementation goes on: {describe(impl)}",
    )


# The profiles under which a rejection one event later than the reference's, in the same message, is the
# same rejection: when a rejection comes is h11's API contract (graded under the h11 profile), no RFC rule.
LATE_REJECTION_PROFILES = frozenset({"rfc9112"})
# The one extra event a rejection one event later may deliver: the head of the message being rejected. An
# InformationalResponse is a complete 1xx message; Data past the reference's is bytes the reference refused
# handed over as body (h11 delivering a malformed chunk header as Data), which stays a finding.
_HEADS = frozenset({"Request", "Response"})
# What the reference's events end with when it rejected inside a head: nothing, or a complete message.
_MESSAGE_ENDS = frozenset({"EndOfMessage", "InformationalResponse"})


def rejects_later_in_message(impl: Trace, ref: Trace) -> bool:
    """Both reject, the reference inside a message's head, and the implementation delivered the
    reference's events and then only that head before rejecting: the same rejection, one event later."""
    if impl.outcome != "reject" or ref.outcome != "reject" or len(impl.events) != len(ref.events) + 1:
        return False
    if ref.events and ref.events[-1][0] not in _MESSAGE_ENDS:
        return False
    return impl.events[-1][0] in _HEADS and impl.events[:-1] == ref.events


def _exact(impl: Trace, ref: Trace) -> bool:
    """The implementation did what the reference did under one assignment (rejecting no later)."""
    if ref.outcome in ("crash", "stall") or (impl.outcome == "reject" and ref.outcome == "accept"):
        return False
    return disagreement(impl, ref) is None


def differential_problem(impl: Trace, conf: Conforming[Trace]) -> tuple[str, str] | None:
    """How ``impl`` breaks the differential oracle against the set of conforming reference traces.

    It holds when some allowed alternative agrees (``disagreement``); an implementation may reject
    earlier than the reference, except where every allowed alternative accepts and the implementation
    rejects no earlier than where the input reached one of the choice points considered
    (``rejected_at_choice``): then rejecting is a finding of its own kind.

    Returns:
        None, or (kind, detail); the detail names the choice points considered.
    """
    if conf.accepted is not None:
        return None
    loose = [o for o in conf.outcomes if disagreement(impl, o.result) is None]
    every_accepts = all(o.result.outcome == "accept" for o in conf.outcomes)
    considered = conf.describe_considered()
    blamed: tuple[str, ...] = ()
    if impl.outcome == "reject" and every_accepts and choice_shapes_events(conf, len(impl.events)):
        blamed = rejected_at_choice(impl, conf)
    if blamed:
        ref_class = "" if impl.error is None else message_class(impl.error[2])
        return (
            f"rejects-what-every-choice-accepts:{ref_class}",
            f"every allowed alternative accepts ({considered}) and the implementation rejects no earlier"
            f" than the input reached {', '.join(blamed)}: {describe(impl)}",
        )
    if loose:
        return None
    problem = disagreement(impl, conf.default)
    assert problem is not None  # the default is one of the outcomes, and none agrees
    kind, detail = problem
    return (kind, f"{detail}; {considered}" if considered else detail)


def choice_shapes_events(conf: Conforming[Trace], rejected_at: int) -> bool:
    """Whether the alternatives' traces differ in an event no later than the one the implementation was
    reading when it rejected (index ``rejected_at``).

    A choice point whose alternatives all deliver the same events up to there (one that only decides a
    state, such as close-delimited-response) cannot be why the implementation refused those bytes.
    """
    lists = {drive.canon_events(o.result.events) for o in conf.outcomes}
    if len(lists) < 2:
        return False
    longest = max(len(events) for events in lists)
    for i in range(min(longest, rejected_at + 1)):
        if len({events[i] if i < len(events) else None for events in lists}) > 1:
            return True
    return False


def rejected_at_choice(impl: Trace, conf: Conforming[Trace]) -> tuple[str, ...]:
    """The choice points considered that the input had reached by where the implementation rejected.

    A point counts when the implementation delivered at least the events any conforming run of the
    reference had delivered when its parsing first reached the point (``conformance.oracle.position``):
    the rejection is at or after the event whose parsing reached it. A rejection before every such point
    is a stricter rejection of something else, which RFC 9110 §2.2 and RFC 9112 §2.2 allow.
    """
    first: dict[str, tuple[int, int]] = {}
    for outcome in conf.outcomes:
        for cid, events, data in outcome.result.reached_at:
            first[cid] = min(first.get(cid, (events, data)), (events, data))
    at = position(impl.events)
    return tuple(sorted(cid for cid in conf.considered if cid in first and first[cid] <= at))


def check_differential(api: Any, data: bytes) -> None:
    """Fed the same bytes in the same split, the implementation rejects where the reference rejects and otherwise delivers the reference's events.

    The reference is every allowed alternative at the RFC's choice points the input reached
    (``conformance.oracle``): the implementation may match any one of them. One that matches none but
    does what the reference does with one choice point's alternatives mixed per occurrence within the
    connection is reported as information (``OracleInfo``), not a finding. Requests go to a server,
    streams starting with "HTTP/" to a client. Under the h11 profile the reference models h11 (its
    documented differences and choices switched to h11's behaviour), one outcome.
    """  # noqa: E501 -- the first line is the oracle sentence, kept whole for reports
    # Profiles keep their meaning: rfc9112 passes any allowed alternative, h11 expects h11's choices.
    _differential(api, data, feed_outcomes if active_profile() == "rfc9112" else _single_outcome)


def _single_outcome(
    role: str,
    chunks: Sequence[bytes],
    accepts: Callable[[Trace], bool],
    *,
    request: EventSpec,
    reply: bool = True,
    size_limit: int | None = None,
) -> Conforming[Trace]:
    """The reference's one outcome as the active profile's oracle (under rfc9112: the default choices)."""
    with as_profile(active_profile()):
        api = reference_api()
        trace = _profile_view(feed(api, role, chunks, request=request, reply=reply, size_limit=size_limit))
    only = Outcome((), trace)
    return Conforming((only,), frozenset(), only if accepts(trace) else None)


def _profile_view(trace: Trace) -> Trace:
    """The trace as the active profile compares it: under h11, Data's chunk_start left out (h11 0.16 loses
    it when a chunk-size line arrives alone: leniency h11-chunk-start-split), as the catalog and model do."""
    if active_profile() == "rfc9112":
        return trace
    return dataclasses.replace(trace, events=drive.merge_data(trace.events, chunk_start=False))


def single_outcome_differential(api: Any, data: bytes) -> None:
    """The differential check against the reference's default outcome only: the benchmark's baseline."""
    _differential(api, data, _single_outcome)


def _differential(api: Any, data: bytes, outcomes: Callable[..., Conforming[Trace]]) -> None:
    role = parse_role(data)
    require_role(api, role)
    request = client_request(data) if role == "client" else drive.DEFAULT_REQUEST
    name, chunks = plan(data)
    impl = _profile_view(feed(api, role, chunks, request=request))
    if impl.outcome == "crash":
        _raise_crash(DIFFERENTIAL_ORACLE, api, role, chunks, request)
    caps = offers(api)
    reply = caps >= REPLY_NEEDS  # else both sides are compared up to the first complete message
    view = _view_for(caps)
    impl = view(impl)
    if impl.outcome == "stall":
        raise OracleViolation(
            DIFFERENTIAL_ORACLE,
            f"fed {name} with EOF, the implementation stalls: {describe(impl)}",
            kind="stall",
        )
    # The reference is told no more than the target knows (a parse-only client: only the method).
    ref_request = request if SERIALIZE in caps else offering_upgrade(request)
    limit = None if EVENT_SIZE_LIMIT in caps else NO_SIZE_LIMIT
    conf = outcomes(
        role, chunks, lambda ref: _exact(impl, view(ref)), request=ref_request, reply=reply, size_limit=limit
    )
    conf = _seen_through(conf, view)
    ref = conf.default
    if ref.outcome in ("crash", "stall"):
        raise OracleViolation(
            DIFFERENTIAL_ORACLE,
            f"the reference itself fails ({name}): {describe(ref)}",
            kind=f"reference-{ref.outcome}",
        )
    mixed = mixed_choice(
        impl,
        conf,
        lambda: view(feed(reference_api(), role, chunks, request=ref_request, reply=reply, size_limit=limit)),
    )
    if mixed is not None:
        raise OracleInfo(
            DIFFERENTIAL_ORACLE, f"{role}, {name}: {mixed.describe()}", kind=f"mixed:{mixed.choice}"
        )
    problem = differential_problem(impl, conf)
    if problem is None:
        return
    problem = graded_by_rule(problem, conf.default, role)
    if problem is None:
        return
    kind, detail = problem
    raise OracleViolation(DIFFERENTIAL_ORACLE, f"{role}, {name}: {detail}", kind=kind)


def graded_by_rule(problem: tuple[str, str], ref: Trace, role: str) -> tuple[str, str] | None:
    """``problem`` graded by what backs the reference's rejection, when the implementation goes on where
    the reference rejects: a MUST (or a choice point none of whose alternatives matched) stays a violation;
    a server's grammar-only rejection (RFC 9112 §2.2 SHOULD) is information (``OracleInfo``, kind
    ``accepts-invalid:should:<rule>``); a client's (RFC 9110 §2.2 MAY recover) is no finding. Under the h11
    profile (parity with h11) every rejection stays a violation.

    Raises:
        OracleInfo: the rejection is only a SHOULD.
    """
    kind, detail = problem
    if not kind.startswith("reference-rejects:") or active_profile() != "rfc9112":
        return problem
    # Imported here: importing this module must not import the reference (fuzz.entry instruments it).
    from conformance.reference import rejections

    level = rejections.level_of(ref.rule, role)
    if level == rejections.MAY:
        return None
    if level == rejections.SHOULD:
        raise OracleInfo(DIFFERENTIAL_ORACLE, f"{role}: {detail}", kind=f"accepts-invalid:should:{ref.rule}")
    return problem


def mixed_choice(impl: Trace, conf: Conforming[Trace], run: Callable[[], Trace]) -> Mixed[Trace] | None:
    """The mixture of one choice point's alternatives the implementation's trace is exactly, when no
    single assignment is (``conformance.oracle.mixed_outcome``; ``run`` feeds the reference as the
    differential did, seen through the same view); None under the h11 profile, whose one outcome
    considers no choice point."""
    if conf.accepted is not None or not conf.considered:
        return None
    return mixed_outcome(run, lambda ref: _exact(impl, ref), conf.considered)


def _whole(trace: Trace) -> Trace:
    return trace


def _flat_data(trace: Trace) -> Trace:
    return dataclasses.replace(trace, events=drive.merge_data(trace.events, chunks=False))


def _view_for(caps: frozenset[str]) -> Callable[[Trace], Trace]:
    """How the differential sees both sides' traces for a target offering ``caps``.

    Without a state machine to reply through, up to the end of the first complete message
    (``first_message``); without event-validation (an adapter over another library's parser, which does
    not report chunk boundaries), Data as one run of bytes, as the catalog's RFC cases and the model's
    byte-stream property compare them. Otherwise the whole trace.
    """
    steps = [step for need, step in _VIEWS if not need <= caps]
    if not steps:
        return _whole
    return lambda trace: functools.reduce(lambda t, step: step(t), steps, trace)


# (what the target must offer, the view step applied when it does not)
_VIEWS: tuple[tuple[frozenset[str], Callable[[Trace], Trace]], ...] = (
    (REPLY_NEEDS, first_message),
    (frozenset({EVENT_VALIDATION}), _flat_data),
)


def _seen_through(conf: Conforming[Trace], view: Callable[[Trace], Trace]) -> Conforming[Trace]:
    """``conf`` with every reference trace seen through ``view`` (the first message of a parse-only run:
    the reference, fed without replies, may still read an EOF after it as ConnectionClosed)."""
    if view is _whole:
        return conf  # nothing to change: the oracle's own traces
    seen = {id(o): Outcome(o.assignment, view(o.result)) for o in conf.outcomes}
    accepted = None if conf.accepted is None else seen[id(conf.accepted)]
    return Conforming(tuple(seen[id(o)] for o in conf.outcomes), conf.considered, accepted)


def check_send(api: Any, data: bytes) -> None:
    """Events sent through send() raise nothing but LocalProtocolError, and what reaches the wire parses, in the reference, to exactly the events that were sent.

    The input is read by ``events_from_text``; a server first reads one of ``SEND_REQUESTS``. Under the
    h11 profile the reference reads the wire modelling h11, and a run is no finding when the reference
    modelling h11, sent the same events, writes the same bytes (h11's own documented send behaviour).
    """  # noqa: E501 -- the first line is the oracle sentence, kept whole for reports
    plan_ = events_from_text(data)
    profile = active_profile()
    try:
        run = send_run(api, plan_, profile)
        problem = send_problem(plan_, run)
        if problem is None or (profile != "rfc9112" and _sends_as_modelled(plan_, run, profile)):
            return
    except RejectedRequest as exc:
        raise OracleViolation(SEND_ORACLE, str(exc), kind="rejects-valid-request") from None
    kind, detail = problem
    raise OracleViolation(SEND_ORACLE, detail, kind=kind)


def _sends_as_modelled(plan_: Any, run: Any, profile: str) -> bool:
    """The reference as ``profile``'s oracle, sent the same events, sends the same ones and writes the same
    bytes: what broke the oracle is the modelled implementation's documented behaviour, not a fault."""
    with as_profile(profile):
        modelled = send_run(reference_api(), plan_)
    return (modelled.sent, modelled.wire) == (run.sent, run.wire)


SERVER_PARSE_ORACLE = oracle_of(check_server_parse)
CLIENT_PARSE_ORACLE = oracle_of(check_client_parse)
DIFFERENTIAL_ORACLE = oracle_of(check_differential)
SEND_ORACLE = oracle_of(check_send)
