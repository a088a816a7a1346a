"""Run the catalog against implementations and grade every case.

Theory of operation: grading happens in two halves so that worker processes carry only the work that
touches the implementation.

1. ``evaluate(api, case)`` runs in the executor (in process, or in an isolated worker): one call per case,
   doing every feeding of that case, so inter-process traffic is per case, not per split. A byte case is
   fed whole, byte by byte, at every split point (a seeded sample for long inputs) and at random cuts
   (``conformance.drive.split_variants``); the distinct ``Observation``\\ s are returned with the first
   variant that produced each, so agreement costs nothing to ship. Two more feedings check the message
   boundaries: the input without EOF (what the bytes alone settle) and the input followed by the start of
   another message (``TRAILING``), whose events must begin with the settled ones: bytes after a message may
   not change what came before them. A script case is run once with ``drive.run_script``.
2. ``grade(case, result, profile)`` runs in the parent and turns the evaluation into one ``CaseResult``:
   executor ``Hung`` or a stall -> HANG; ``Crashed``, an exception outside the contract (``crash:*``) or a
   ``LocalProtocolError`` escaping ``next_event`` -> CRASH; split or trailing-bytes disagreement -> FAIL
   whatever the level; then the observation is matched against the case's acceptable outcomes for the
   profile: PASS, or FAIL / WARN / INFO for a MUST / SHOULD / MAY case. A target without "status-hints"
   is graded on whether it rejects; a pass that only the missing hint would have failed says so.

A crash the profile itself expects (h11's documented ``AttributeError``, written ``Reject("crash:...")``)
matches like any other outcome.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from conformance import drive
from conformance.catalog.case import (
    LPE,
    Accept,
    Case,
    Either,
    Outcome,
    Reject,
    alternatives,
    describe_events,
)
from conformance.catalog.cases._common import SPLIT_DEPENDENT
from conformance.errors import UsageError
from conformance.oracle import Conforming, conforming, mixed_outcome
from conformance.reference.choices import choice
from conformance.results import CaseResult
from conformance.targets.capabilities import STATUS_HINTS
from conformance.targets.executor import Crashed, Hung, Ok
from conformance.targets.isolation import executor_for
from conformance.targets.load import Target, reference_api
from conformance.verdict import PROFILES, Level, Verdict

# Bytes appended after a byte case: the start of another message, incomplete on purpose, so that a
# correct implementation adds no event and a boundary bug shows as changed events.
TRAILING = {"server": b"GET /trailing HTTP/1.1\r\n", "client": b"HTTP/1.1 200 OK\r\n"}
# A split sample this large per byte case keeps long inputs bounded and reproducible.
MAX_SPLIT_POINTS = 48
SEED = 0
CASE_TIMEOUT = 20.0
# Cases handed to the executor at once: enough to keep every worker busy, small enough for progress.
BATCH = 64
_LEVEL_VERDICT = {Level.MUST: Verdict.FAIL, Level.SHOULD: Verdict.WARN, Level.MAY: Verdict.INFO}


@dataclasses.dataclass(frozen=True)
class Observation:
    """What one run of a case showed, in comparable form (error messages kept aside)."""

    events: tuple[drive.EventRecord, ...]
    error: tuple[str, Any] | None  # (kind, status hint)
    stalled: bool
    final: drive.Snapshot | None
    wire: bytes = b""  # script cases: every byte sent, concatenated
    message: str = dataclasses.field(default="", compare=False)  # the error's message
    error_in_recv: bool = dataclasses.field(default=True, compare=False)  # the error came from next_event

    def describe(self) -> str:
        """One line for people."""
        if self.stalled:
            head = f"stall (NEED_DATA after EOF) after {describe_events(self.events)}"
        elif self.error is not None:
            hint = "" if self.error[1] is None else f" ({self.error[1]})"
            msg = f": {self.message}" if self.message else ""
            head = f"reject {self.error[0]}{hint}{msg} after {describe_events(self.events)}"
        else:
            head = f"accept {describe_events(self.events)}"
        if self.wire:
            head += f" sending {self.wire!r}"
        if self.final is not None:
            head += f" with our_state={self.final.our_state}, their_state={self.final.their_state}"
        return head.replace("\n", " ")


@dataclasses.dataclass(frozen=True)
class Evaluation:
    """Everything ``evaluate`` saw, returned from the worker to the parent."""

    variants: tuple[tuple[str, Observation], ...]  # distinct observations, first variant producing each
    settled: Observation | None = None  # byte cases: the input without EOF
    trailing: Observation | None = None  # byte cases: the input plus TRAILING, with EOF
    duration: float = 0.0


def _final(snap: drive.Snapshot | None, error: object) -> drive.Snapshot | None:
    """The snapshot to compare: after an error, what was left unparsed depends on the split, so drop it."""
    if snap is None or error is None:
        return snap
    return dataclasses.replace(snap, trailing=None)


def _from_trace(trace: drive.Trace) -> Observation:
    err = trace.error
    return Observation(
        events=trace.events,
        error=None if err is None else (err[0], err[1]),
        stalled=trace.stalled,
        final=_final(trace.final, err),
        message="" if err is None else err[2],
    )


def _from_script(outcomes: tuple[tuple[drive.StepOutcome, drive.Snapshot], ...]) -> Observation:
    events: list[drive.EventRecord] = []
    wire: list[bytes] = []
    error: drive.ErrorRecord | None = None
    in_recv = True
    stalled = False
    for outcome, _snap in outcomes:
        if outcome[0] == "events":
            events.extend(outcome[1])
            stalled = stalled or outcome[3]
            if outcome[2] is not None and error is None:
                error, in_recv = outcome[2], True
        elif outcome[0] == "sent" and outcome[1] is not None:
            wire.append(outcome[1])
        elif outcome[0] == "error" and error is None:
            error, in_recv = outcome[1], False
    return Observation(
        events=drive.merge_data(events),
        error=None if error is None else (error[0], error[1]),
        stalled=stalled,
        final=outcomes[-1][1] if outcomes else None,
        wire=b"".join(wire),
        message="" if error is None else error[2],
        error_in_recv=in_recv,
    )


def feed_case(api: Any, case: Case, chunks: Sequence[bytes], *, eof: bool | None = None) -> drive.Trace:
    """Feed ``chunks`` for ``case`` (its role, EOF choice and request)."""
    return drive.feed(
        api,
        case.role,
        chunks,
        eof=case.eof if eof is None else eof,
        request=case.request or drive.DEFAULT_REQUEST,
    )


def evaluate(api: Any, case: Case) -> Evaluation:
    """Run every feeding of ``case`` on ``api`` (module-level: the executor calls it in a worker).

    Returns:
        The distinct observations with the variant that first produced each, and for byte cases the
        settled and trailing observations; never raises for what the implementation does.
    """
    start = time.perf_counter()
    if case.probes is not None:
        obs = Observation(drive.run_probes(api, case.probes), None, False, None)
        return Evaluation(((("probes", obs),)), duration=time.perf_counter() - start)
    if case.script is not None:
        obs = _from_script(drive.run_script(api, case.role, case.script))
        return Evaluation(((("script", obs),)), duration=time.perf_counter() - start)
    wire = case.wire or b""
    seen: dict[Observation, str] = {}
    for name, chunks in drive.split_variants(wire, seed=SEED, max_points=MAX_SPLIT_POINTS):
        obs = _from_trace(feed_case(api, case, chunks))
        seen.setdefault(obs, name)
    settled = _from_trace(feed_case(api, case, [wire], eof=False))
    trailing = _from_trace(feed_case(api, case, [wire + TRAILING[case.role]], eof=True))
    variants = tuple((name, obs) for obs, name in seen.items())
    return Evaluation(variants, settled, trailing, time.perf_counter() - start)


# ------------------------------------------------------------------------------------------------
# Grading


def _events_match(want: tuple[drive.EventRecord, ...] | None, got: tuple[drive.EventRecord, ...]) -> bool:
    return want is None or want == got or drive.canon_events(want) == drive.canon_events(got)


def _states_match(want: Mapping[str, Any] | None, final: drive.Snapshot | None) -> bool:
    if not want:
        return True
    if final is None:
        return False
    return all(getattr(final, k) == v for k, v in want.items())


def matches(outcome: Reject | Accept, obs: Observation, *, hints: bool = True) -> bool:
    """True when ``obs`` is the outcome described (the status hint is compared only with ``hints``)."""
    if obs.stalled:
        return False
    if isinstance(outcome, Reject):
        if obs.error is None or obs.error[0] != outcome.kind:
            return False
        if hints and outcome.status_hint is not None and obs.error[1] != outcome.status_hint:
            return False
        if not _events_match(outcome.events, obs.events):
            return False
        return _states_match(outcome.states, obs.final)
    if obs.error is not None:
        return False
    if not _events_match(outcome.events, obs.events):
        return False
    if outcome.wire is not None and obs.wire != outcome.wire:
        return False
    if any(w not in obs.wire for w in outcome.wire_has) or any(w in obs.wire for w in outcome.wire_lacks):
        return False
    if any(obs.wire.count(w) != 1 for w in outcome.wire_once):
        return False
    return _states_match(outcome.states, obs.final)


def _expected_kinds(expect: Outcome) -> set[str]:
    return {o.kind for o in alternatives(expect) if isinstance(o, Reject)}


def _settled_prefix_ok(settled: Observation, trailing: Observation) -> bool:
    """The settled events begin the trailing run's events (the last settled Data may grow)."""
    base = list(settled.events)
    more = list(trailing.events)
    if len(base) > len(more):
        return False
    for i, rec in enumerate(base):
        other = more[i]
        if rec == other:
            continue
        last = i == len(base) - 1
        if not (last and drive.data_grows(rec, other)):
            return False
    # An error the bytes alone caused must still be there when more bytes follow.
    return settled.error is None or (trailing.error is not None and trailing.error[0] == settled.error[0])


@dataclasses.dataclass(frozen=True)
class Graded:
    """A verdict with its one-line message and the observation it was about."""

    verdict: Verdict
    message: str
    observed: str


def _field_difference(a: Observation, b: Observation) -> tuple[str, str]:
    """The snapshot fields (or error hints) in which two observations differ, as two short strings."""
    pairs: list[tuple[str, Any, Any]] = [("error", a.error, b.error)]
    if a.final is not None and b.final is not None:
        pairs += [
            (f.name, getattr(a.final, f.name), getattr(b.final, f.name)) for f in dataclasses.fields(a.final)
        ]
    diff = [(name, x, y) for name, x, y in pairs if x != y] or [("events", a.events, b.events)]
    return (
        ", ".join(f"{name}={x!r}" for name, x, _ in diff),
        ", ".join(f"{name}={y!r}" for name, _, y in diff),
    )


def _unhinted_pass(expect: Outcome, obs: Observation) -> str | None:
    """For a target without status hints: the message of a pass that checked everything but the hint."""
    for alt in alternatives(expect):
        if matches(alt, obs, hints=False):
            wanted = alt.status_hint if isinstance(alt, Reject) else None
            if wanted is None or (obs.error is not None and obs.error[1] == wanted):
                return "as expected"
            return f"rejected as required; the status hint ({wanted}) is not checked: no status-hints"
    return None


Masked = tuple[bool, bool]  # which of (chunk_start, chunk_end) are cleared before comparing


def _flags_masked(
    events: tuple[drive.EventRecord, ...] | None, mask: Masked
) -> tuple[drive.EventRecord, ...] | None:
    """Events with the masked chunk flags of every Data cleared, re-merged (see ``_profile_view``)."""
    if events is None:
        return None
    return drive.merge_data(events, chunks=not mask[1], chunk_start=not mask[0])


def _mask_outcome(outcome: Outcome, mask: Masked) -> Outcome:
    alts = [dataclasses.replace(a, events=_flags_masked(a.events, mask)) for a in alternatives(outcome)]
    return alts[0] if len(alts) == 1 else Either(*alts)


def _mask_observation(obs: Observation | None, mask: Masked) -> Observation | None:
    if obs is None:
        return None
    return dataclasses.replace(obs, events=_flags_masked(obs.events, mask) or ())


def case_mask(case: Case, profile: str) -> Masked:
    """Which chunk flags a case compares cleared under ``profile`` (see ``_profile_view``)."""
    if case.probes is not None:
        return (False, False)
    return (profile == "h11", False) if case.chunk_flags_graded else (True, True)


def _seen(trace: drive.Trace, mask: Masked) -> Observation:
    """A reference run as the grading sees it: its observation with the case's chunk flags cleared."""
    obs = _mask_observation(_from_trace(trace), mask)
    assert obs is not None
    return obs


def _profile_view(case: Case, ev: Evaluation, expect: Outcome, profile: str) -> tuple[Evaluation, Outcome]:
    """The evaluation and expectation as graded: the chunk flags masked unless the case grades them.

    The chunk-flag cases (``chunk_flags_graded``, in the API section, needing event-validation) grade both
    flags under every split; every other case compares Data with the flags cleared, as one run of bytes, so
    an RFC case is about the RFC. Under the h11 profile chunk_start is never graded: h11 drops it when a size
    line arrives alone (leniency h11-chunk-start-split).
    """
    mask = case_mask(case, profile)
    if mask == (False, False):
        return ev, expect
    seen: dict[Observation, str] = {}
    for name, obs in ev.variants:
        masked = _mask_observation(obs, mask)
        assert masked is not None
        seen.setdefault(masked, name)
    variants = tuple((name, obs) for obs, name in seen.items())
    return (
        dataclasses.replace(
            ev,
            variants=variants,
            settled=_mask_observation(ev.settled, mask),
            trailing=_mask_observation(ev.trailing, mask),
        ),
        _mask_outcome(expect, mask),
    )


def _deferred_rejection(
    case: Case, ev: Evaluation, first: Observation, expect: Outcome, profile: str
) -> bool:
    """The implementation rejects the complete input only once EOF comes, though the bytes settle it.

    Only a case whose rejection the bytes alone settle (not ``eof_rejects``) is held to this: the
    reference rejects it without EOF, as h11's API does. The RFCs fix no moment for a rejection, so the
    caller reports it as INFO, never at the case's level. Under the h11 profile a case's documented
    difference explains the timing too.
    """
    if case.wire is None or not case.eof or case.eof_rejects or ev.settled is None:
        return False
    if profile == "h11" and case.difference is not None:
        return False
    if first.error is None or first.error[0] not in _expected_kinds(expect):
        return False
    return ev.settled.error is None or ev.settled.error[0] != first.error[0]


def _grade_evaluation(
    case: Case, ev: Evaluation, expect: Outcome, profile: str, hints: bool = True
) -> Graded:
    ev, expect = _profile_view(case, ev, expect, profile)
    (first_name, first), *others = ev.variants
    tolerated = profile == "h11" and case.difference in SPLIT_DEPENDENT
    if tolerated and all(any(matches(a, o) for a in alternatives(expect)) for _, o in ev.variants):
        others = []
    if others:
        other_name, other = others[0]
        one, two = first.describe(), other.describe()
        if one == two:  # the difference is in a field describe() leaves out: name it
            one, two = _field_difference(first, other)
        return Graded(
            Verdict.FAIL, f"split disagreement: {first_name} gave {one}, {other_name} gave {two}", one
        )
    observed = first.describe()
    kinds = _expected_kinds(expect)
    if first.stalled:
        return Graded(Verdict.HANG, "endless NEED_DATA on complete input (stall)", observed)
    if first.error is not None and first.error[0] not in kinds:
        kind = first.error[0]
        if kind.startswith("crash:"):
            return Graded(Verdict.CRASH, f"{kind[6:]} escaped (only ProtocolError subclasses may)", observed)
        if kind == LPE and first.error_in_recv:
            return Graded(
                Verdict.CRASH, "LocalProtocolError escaped next_event (must be RemoteProtocolError)", observed
            )
    if ev.settled is not None and ev.trailing is not None and not _settled_prefix_ok(ev.settled, ev.trailing):
        return Graded(
            Verdict.FAIL,
            f"trailing bytes changed earlier events: without them {ev.settled.describe()}; "
            f"with {TRAILING[case.role]!r} appended {ev.trailing.describe()}",
            observed,
        )
    verdict = _LEVEL_VERDICT[case.level]
    if any(matches(alt, first) for alt in alternatives(expect)):
        if _deferred_rejection(case, ev, first, expect, profile):
            assert ev.settled is not None
            # The RFCs fix no moment for a rejection: rejecting before EOF what the bytes settle is what
            # h11 does (and the reference). Under the rfc9112 profile waiting is reported (info); under
            # the h11 profile, parity with h11, it is graded at the case's level.
            parity = profile == "h11"
            return Graded(
                verdict if parity else Verdict.INFO,
                ("h11 parity not met: " if parity else "")
                + "rejected only at EOF; the bytes alone settle the rejection, but without EOF it gave"
                + f" {ev.settled.describe()}"
                + ("" if parity else " (timing is an h11 API contract, not an RFC requirement)"),
                observed,
            )
        return Graded(Verdict.PASS, "as expected", observed)
    unhinted = None if hints else _unhinted_pass(expect, first)
    if unhinted is not None:
        return Graded(Verdict.PASS, unhinted, observed)
    mask = case_mask(case, profile)
    allowed = _other_choice(case, first, expect, mask, hints) if profile == "rfc9112" else None
    if allowed is not None:
        return allowed
    return Graded(
        verdict, f"{case.level.value} not met: expected {expect.describe()}; got {observed}", observed
    )


_CONFORMING: dict[tuple[str, bytes], Conforming[drive.Trace]] = {}


def _conforming(case: Case) -> Conforming[drive.Trace] | None:
    """Every conforming reference outcome of a byte case fed whole (computed once per case)."""
    if case.wire is None:
        return None
    key = (case.id, case.wire)
    if key not in _CONFORMING:
        api = reference_api()
        _CONFORMING[key] = conforming(lambda: feed_case(api, case, [case.wire or b""]))
    return _CONFORMING[key]


def choices_taken(case: Case, ev: Evaluation, profile: str = "rfc9112") -> tuple[tuple[str, str], ...]:
    """The alternative the implementation took at each choice point the case's input reached, as far
    as this case tells them apart: the one every reference outcome equal to the observation shares."""
    conf = _conforming(case)
    if conf is None or not conf.considered or len(ev.variants) != 1:
        return ()
    mask = case_mask(case, profile)
    first = _mask_observation(ev.variants[0][1], mask)
    assert first is not None
    mixed = _mixed_choice(case, first, mask)
    if mixed is not None:
        return tuple((mixed[0], alternative) for alternative in sorted(set(mixed[1])))
    defaults = {cid: choice(cid).default for cid in conf.considered}
    runs = [(defaults | dict(o.assignment), _seen(o.result, mask)) for o in conf.outcomes]
    runs = [(assignment, _as_reported(obs, first, False)) for assignment, obs in runs]
    matching = [assignment for assignment, obs in runs if obs == first]
    taken = []
    for cid in sorted(conf.considered):
        alternatives_seen = {assignment[cid] for assignment, _ in runs}
        took = {assignment[cid] for assignment in matching}
        distinct = {obs for assignment, obs in runs if assignment[cid] in took} != {obs for _, obs in runs}
        if len(took) == 1 and len(alternatives_seen) > 1 and distinct:
            taken.append((cid, took.pop()))
    return tuple(taken)


_MIXED: dict[tuple[str, bytes, Observation], tuple[str, tuple[str, ...]] | None] = {}


def _mixed_choice(case: Case, first: Observation, mask: Masked) -> tuple[str, tuple[str, ...]] | None:
    """The choice point and the sequence of alternatives, when the observation is the reference's under
    different alternatives of one choice point within the one connection (and under no single one)."""
    conf = _conforming(case)
    if conf is None or any(_as_reported(_seen(o.result, mask), first, False) == first for o in conf.outcomes):
        return None
    key = (case.id, case.wire or b"", first)
    if key not in _MIXED:
        api = reference_api()
        mixed = mixed_outcome(
            lambda: feed_case(api, case, [case.wire or b""]),
            lambda trace: _as_reported(_seen(trace, mask), first, False) == first,
            conf.considered,
        )
        _MIXED[key] = None if mixed is None else (mixed.choice, mixed.sequence)
    return _MIXED[key]


def _unreported(final: drive.Snapshot, name: str) -> bool:
    # A state a target does not report reads None (the drive spells a missing state "None").
    return getattr(final, name) in (None, "None")


def _as_reported(ref: Observation, obs: Observation, hints: bool) -> Observation:
    """A reference observation reduced to what the target reports: the snapshot fields it leaves None
    (a parse-only target has no state machine) take the target's value, and without status hints the
    hint is dropped."""
    final = ref.final
    if final is not None and obs.final is not None:
        final = dataclasses.replace(
            final,
            **{
                f.name: getattr(obs.final, f.name)
                for f in dataclasses.fields(final)
                if _unreported(obs.final, f.name)
            },
        )
    error = ref.error
    if error is not None and not hints and obs.error is not None and obs.error[1] is None:
        error = (error[0], None)
    return dataclasses.replace(ref, final=final, error=error)


def _other_choice(
    case: Case, first: Observation, expect: Outcome, mask: Masked, hints: bool = True
) -> Graded | None:
    """A pass (a warn for a SHOULD's other alternative) when a byte case reached choice points of the
    RFC (``conformance.reference.choices``) and the implementation did what the reference does under
    another assignment of them, the reference's default meeting the case's expectation."""
    conf = _conforming(case)
    if conf is None:
        return None
    default = _seen(conf.default, mask)
    if not conf.considered or not any(matches(alt, default) for alt in alternatives(expect)):
        return None
    for outcome in conf.outcomes[1:]:
        if _as_reported(_seen(outcome.result, mask), first, hints) == first:
            taken = ", ".join(f"{cid}={alt}" for cid, alt in outcome.assignment)
            shortfall = [
                f"{cid} (recommended: {choice(cid).recommended})"
                for cid, alt in outcome.assignment
                if choice(cid).recommended not in (None, alt)
            ]
            if shortfall:
                return Graded(
                    Verdict.WARN, f"SHOULD not met at {', '.join(shortfall)}; took {taken}", first.describe()
                )
            return Graded(Verdict.PASS, f"an allowed alternative: {taken}", first.describe())
    mixed = _mixed_choice(case, first, mask)
    if mixed is not None:
        cid, sequence = mixed
        return Graded(
            Verdict.INFO,
            f"took different alternatives of {cid} within one connection ({', '.join(sequence)}):"
            " reported, not graded as conforming",
            first.describe(),
        )
    return None


def _one_line(text: str, limit: int = 600) -> str:
    line = " ".join(text.split())
    return line if len(line) <= limit else line[: limit - 3] + "..."


def script_text(case: Case) -> str:
    """A script case's steps (or an API case's probes), one per line, for reports."""
    return "\n".join(repr(step) for step in case.script or case.probes or ())


def grade(
    case: Case,
    result: Ok[Evaluation] | Crashed | Hung,
    *,
    impl: str,
    profile: str = "rfc9112",
    hints: bool = True,
) -> CaseResult:
    """The verdict of ``case`` on ``impl`` from what ``evaluate`` returned (or how the executor failed).

    Without ``hints`` (the target lacks "status-hints") a rejection is graded on its class alone, and a
    pass that the hint alone would have failed says so in its message.

    Returns:
        One ``CaseResult`` (source "catalog").
    """
    expect = case.expected(profile)
    duration = 0.0
    taken: tuple[tuple[str, str], ...] = ()
    if isinstance(result, Hung):
        graded = Graded(Verdict.HANG, f"no result within {result.seconds:g} s", "hung")
    elif isinstance(result, Crashed) and result.harness:  # our code failed: no verdict on the target
        graded = Graded(Verdict.HARNESS, f"harness error: {result.reason}", result.reason)
    elif isinstance(result, Crashed):
        graded = Graded(Verdict.CRASH, f"worker crashed: {result.reason}", result.reason)
    else:
        duration = result.value.duration
        graded = _grade_evaluation(case, result.value, expect, profile, hints)
        taken = choices_taken(case, result.value, profile)
    return _row(
        case,
        impl,
        graded.verdict,
        _one_line(graded.message),
        _one_line(expect.describe()),
        _one_line(graded.observed),
        duration,
        taken,
    )


def skipped(case: Case, *, impl: str, reason: str, profile: str = "rfc9112") -> CaseResult:
    """The SKIP row for a case the target cannot run."""
    return _row(case, impl, Verdict.SKIP, reason, _one_line(case.expected(profile).describe()), "skipped")


def _row(
    case: Case,
    impl: str,
    verdict: Verdict,
    message: str,
    expected: str,
    observed: str,
    duration: float = 0.0,
    taken: tuple[tuple[str, str], ...] = (),
) -> CaseResult:
    """A catalog row: the case's own fields plus what grading (or skipping) decided."""
    return CaseResult(
        case_id=case.id,
        rfc=case.rfc,
        level=case.level,
        sentence=case.sentence,
        impl=impl,
        verdict=verdict,
        message=message,
        expected=expected,
        observed=observed,
        input=case.wire or b"",
        script=script_text(case),
        source="catalog",
        vectors=case.vectors,
        role=case.role,
        duration=duration,
        choices=taken,
    )


def run_catalog(
    targets: Sequence[Target],
    *,
    profile: str = "rfc9112",
    cases: Sequence[Case] | None = None,
    isolated: bool | None = None,
    jobs: int | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> list[CaseResult]:
    """Grade every case on every target.

    Returns:
        One ``CaseResult`` per case per target, targets in order, cases in catalog order.
    Raises:
        UsageError: an unknown profile.
    """
    if profile not in PROFILES:
        raise UsageError(f"unknown profile {profile!r}; use one of {', '.join(PROFILES)}")
    if cases is None:
        from conformance.catalog.cases import CATALOG

        cases = CATALOG
    total = len(cases) * len(targets)
    done = 0
    results: list[CaseResult] = []
    for target in targets:
        runnable: list[Case] = []
        rows: dict[str, CaseResult] = {}
        for case in cases:
            reason = target.skip_reason(case.requires)
            if reason is None:
                runnable.append(case)
            else:
                rows[case.id] = skipped(case, impl=target.name, reason=reason, profile=profile)
        done += len(rows)
        hints = STATUS_HINTS in target.capabilities
        executor = executor_for(target, isolated=isolated, jobs=jobs)
        try:
            batch = BATCH
            for i in range(0, len(runnable), batch):
                chunk = runnable[i : i + batch]
                for case, res in zip(chunk, executor.map(evaluate, chunk, timeout=CASE_TIMEOUT)):
                    rows[case.id] = grade(case, res, impl=target.name, profile=profile, hints=hints)
                done += len(chunk)
                if progress is not None:
                    progress(done, total)
        finally:
            executor.close()
        results.extend(rows[case.id] for case in cases)
    return results
