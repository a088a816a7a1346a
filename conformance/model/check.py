"""The model checker: Hypothesis stateful cross-checks of an implementation against the reference.

Theory of operation: ``run_model(target)`` runs two Hypothesis tests against the oracle
(``conformance.reference``, imported by ``targets.load.reference_api``, with no fallback):

0. the explicit tours of ``conformance.model.tours`` (long legal sequences, replayed as data);
1. the rule-based state machine of ``conformance.model.machine``: a client/server pair of the target
   driven in lock-step with the oracle's pair (``conformance.model.world``), invariants after every step;
2. the byte-stream property of ``conformance.model.bytestream``: generated requests and responses fed
   to both.

Hypothesis stops at the first failing example and shrinks it. To report more than one broken invariant
per run, the machine is re-run with every invariant already reported *ignored* (an example that breaks
it stops comparing, as a mask does), until a run passes. Each failure is saved as a corpus entry
(``conformance.model.entries``) and becomes a ``CaseResult`` row "model/<invariant>" (level MUST; verdict
fail, or crash for an exception the contract does not allow) whose ``script`` is the shrunk action list.
An invariant that held only because the implementation took different alternatives of one choice point
within one connection (``conformance.oracle.mixed_outcome``, counted in ``Coverage.mixed``) is an info
row saying so ("mixes alternatives of <choice> within one connection: <sequence>"), never a pass or a
fail.
An invariant that held only because the implementation took different alternatives of one choice point
within one connection (``conformance.oracle.mixed_outcome``, counted in ``Coverage.mixed``) is an info
row saying so ("mixes alternatives of <choice> within one connection: <sequence>"), never a pass or a
fail.

Depths are Hypothesis settings profiles, registered once at import ("h11spec-model-<depth>"): quick
(<= 15 s), ci (< 60 s on 2 cores), dev, deep. All are seeded (``seed``), so a run is reproducible; quick
and ci use no example database, generate inside ``pinned_generation`` (no constants harvested from
whatever modules the process has loaded, ``conformance.model.pinned``) and shrink within a budget of
attempts, not seconds, so their findings depend on the seed and the target alone. The depth comes from
the argument, else from $HYPOTHESIS_PROFILE when it names a depth ("thorough" means deep), else "ci".

Every call into the target goes through its executor (``executor_for(target, jobs=1)``): the target's
worlds live in one worker process (or, for trusted targets, in this process under the watchdog) for the length
of an example, and the oracle and the comparisons stay here (``conformance.model.lockstep``). A step
that hangs or kills the worker is a ``hang`` or ``crash`` row and the run goes on to write its report;
after a hang the target is not called again. An exception from the harness's own code is a
``harness-error`` row, never the target's. The machine and the byte-stream property declare the
capabilities they need (``MACHINE_NEEDS``, ``BYTE_STREAM_NEEDS``) and are skipped, with the reason,
on a target without them.
"""

from __future__ import annotations

import dataclasses
import os
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, Phase, seed, settings
from hypothesis.stateful import run_state_machine_as_test

from conformance.errors import HarnessError, UsageError
from conformance.model.actions import InvariantViolation
from conformance.model.coverage import Coverage, render
from conformance.model.lockstep import Guard
from conformance.model.pinned import pinned_generation
from conformance.model.tours import TOURS
from conformance.model.world import INVARIANTS
from conformance.results import CaseResult
from conformance.targets.capabilities import (
    ALL_CAPABILITIES,
    EVENT_VALIDATION,
    EXPECT_100,
    PARSE_REQUESTS,
    PARSE_RESPONSES,
    PROTOCOL_SWITCH,
    SERIALIZE,
    STATE_MACHINE,
)
from conformance.targets.executor import DEFAULT_TIMEOUT
from conformance.targets.isolation import executor_for
from conformance.targets.load import reference_api
from conformance.verdict import Level, Verdict

__all__ = ["DEPTHS", "ModelReport", "resolve_depth", "run_model"]

# depth -> (machine examples, steps per example, byte-stream examples)
DEPTHS: dict[str, tuple[int, int, int]] = {
    "quick": (60, 30, 150),
    "ci": (200, 35, 300),
    "dev": (1000, 60, 3000),
    "deep": (10000, 100, 30000),
}
# Shrinking budget per depth: candidate lists tried (deterministic), and a wall-clock cap only where the
# run is not meant to be reproduced bit for bit (quick and ci never depend on the machine's load).
SHRINK_ATTEMPTS = {"quick": 400, "ci": 1000, "dev": 5000, "deep": 20000}
SHRINK_SECONDS: dict[str, float | None] = {"quick": None, "ci": None, "dev": 60.0, "deep": 300.0}
_ALIASES = {"thorough": "deep", "default": "ci"}

INVARIANT_TEXT: dict[str, tuple[str, str]] = {
    "errors": (
        "RFC 9112 / h11 API",
        "Only LocalProtocolError escapes send and only RemoteProtocolError escapes next_event; an illegal "
        "action raises exactly when the reference does, and ERROR is permanent.",
    ),
    "pure-send": ("h11 API", "send() does not modify the event the caller passed in."),
    "wire": (
        "RFC 9112 §2-§7",
        "The bytes send() writes equal the reference's for the same event in the same state.",
    ),
    "splits": (
        "RFC 9112 §8",
        "Feeding the same bytes in any pieces gives the same events, errors and states as feeding them "
        "whole.",
    ),
    "round-trip": (
        "RFC 9112 §6",
        "What one side sends, the other receives as equal events, and as the reference's peer receives them.",
    ),
    "states": (
        "RFC 9112 §9",
        "our_state, their_state, the 100-continue flag, their_http_version and trailing_data equal the "
        "reference's after every step.",
    ),
    "byte-stream": (
        "RFC 9112 §2-§7",
        "Generated request and response streams give the reference's outcome class and events, whole or "
        "in pieces.",
    ),
}


def _register_profiles() -> None:
    default_db = settings.default.database if settings.default is not None else None
    for depth, (examples, steps, _) in DEPTHS.items():
        bounded = depth in ("quick", "ci")
        settings.register_profile(
            f"h11spec-model-{depth}",
            max_examples=examples,
            stateful_step_count=steps,
            deadline=None,
            database=None if bounded else default_db,
            suppress_health_check=list(HealthCheck),
            print_blob=True,
            report_multiple_bugs=False,
            # quick and ci shrink the action list directly (conformance.model.shrink), much faster
            phases=(Phase.explicit, Phase.reuse, Phase.generate, *(() if bounded else (Phase.shrink,))),
        )


_register_profiles()


def resolve_depth(depth: str | None) -> str:
    """The depth to use: ``depth``, else $HYPOTHESIS_PROFILE if it names one, else "ci".

    Raises:
        UsageError: ``depth`` is not one of ``DEPTHS``.
    """
    if depth is None:
        env = os.environ.get("HYPOTHESIS_PROFILE", "").strip()
        depth = _ALIASES.get(env, env) if _ALIASES.get(env, env) in DEPTHS else "ci"
    if depth not in DEPTHS:
        raise UsageError(f"unknown depth {depth!r}; use one of {', '.join(DEPTHS)}")
    return depth


def oracle_name(oracle: Any) -> str:
    """``module version`` of the oracle, for reports."""
    return f"{oracle.__name__} {getattr(oracle, '__version__', '')}".strip()


@dataclasses.dataclass
class Finding:
    """One broken invariant: the shrunk reproduction and how long it took to find."""

    invariant: str
    crash: bool
    detail: str
    steps: list[Any]
    examples_to_find: int | None
    blob: str | None
    path: Path | None = None
    kind: str = "machine"
    hang: bool = False  # a call into the target did not return in time
    harness: bool = False  # the harness's own code failed: a harness error, not the target's


@dataclasses.dataclass
class ModelReport:
    """The outcome of ``run_model``."""

    results: list[CaseResult]
    coverage: dict[str, Any]
    findings: list[Path]
    found: list[Finding]
    seconds: float
    oracle: str


def _blob(exc: BaseException) -> str | None:
    for note in getattr(exc, "__notes__", ()):
        if "@reproduce_failure(" in note:
            return str(note[note.index("@reproduce_failure(") :].strip())
    return None


def _run_machine(
    guard: Guard,
    oracle: Any,
    profile: str,
    depth: str,
    seed_: int,
    coverage: Coverage,
    ignore: set[str],
    capabilities: frozenset[str],
) -> Finding | None:
    from conformance.model.lockstep import LockStep
    from conformance.model.machine import RunStats, make_machine
    from conformance.model.shrink import shrink

    stats = RunStats(ignore=frozenset(ignore))
    validates = EVENT_VALIDATION in capabilities
    machine = make_machine(
        guard,
        oracle,
        coverage=coverage,
        stats=stats,
        profile=profile,
        capabilities=capabilities,
    )
    seed(seed_)(machine)
    try:
        run_state_machine_as_test(machine, settings=settings.get_profile(f"h11spec-model-{depth}"))
    except HarnessError as exc:
        return Finding("errors", False, str(exc), [], stats.first_failure, None, harness=True)
    except InvariantViolation as exc:
        violation = exc
        steps = list(getattr(violation, "steps", []))
        if getattr(violation, "fatal", False):  # a hang or a dead worker: keep the example as found
            return Finding(
                violation.invariant,
                True,
                violation.detail,
                steps,
                stats.first_failure,
                None,
                hang=violation.hang,
            )

        def replay(actions: list[Any]) -> InvariantViolation | None:
            def masked(v: InvariantViolation) -> str | None:
                return "ignored" if v.invariant in ignore else None

            world = LockStep(guard, oracle, explain=masked, profile=profile, validates=validates)
            try:
                for action in actions:
                    world.apply(action)
            except InvariantViolation as again:
                return again
            return None

        def same(actions: list[Any]) -> bool:
            again = replay(actions)
            return again is not None and (again.invariant, again.crash) == (
                violation.invariant,
                violation.crash,
            )

        steps = shrink(steps, same, attempts=SHRINK_ATTEMPTS[depth], seconds=SHRINK_SECONDS[depth])
        final = replay(steps) or violation
        return Finding(
            final.invariant,
            final.crash,
            final.detail,
            steps,
            stats.first_failure,
            _blob(violation),
            hang=final.hang,
        )
    return None


def _run_tour(
    guard: Guard,
    oracle: Any,
    profile: str,
    coverage: Coverage,
    name: str,
    actions: list[Any],
    ignore: set[str],
    validates: bool = True,
) -> Finding | None:
    from conformance.model.lockstep import LockStep

    def masked(v: InvariantViolation) -> str | None:
        return f"reported:{v.invariant}" if v.invariant in ignore else None

    world = LockStep(guard, oracle, explain=masked, coverage=coverage, profile=profile, validates=validates)
    try:
        for action in actions:
            world.apply(action)
    except HarnessError as exc:
        return Finding("errors", False, f"(tour {name}) {exc}", list(world.history), None, None, harness=True)
    except InvariantViolation as violation:
        detail = f"(tour {name}) {violation.detail}"
        return Finding(
            violation.invariant,
            violation.crash,
            detail,
            list(world.history),
            None,
            None,
            hang=violation.hang,
        )
    return None


def _run_bytes(
    guard: Guard, oracle: Any, profile: str, depth: str, seed_: int, coverage: Coverage, flags: bool = True
) -> Finding | None:
    from conformance.model.bytestream import ByteStreamViolation, byte_property

    count = [0, 0]  # examples so far, example of the first failure

    def on_example(failed: bool) -> None:
        if not failed:
            count[0] += 1
        elif not count[1]:
            count[1] = count[0]

    test = byte_property(guard, oracle, profile, coverage, on_example, flags)
    profile_settings = settings(settings.get_profile(f"h11spec-model-{depth}"), max_examples=DEPTHS[depth][2])
    try:
        seed(seed_)(profile_settings(test))()
    except HarnessError as exc:
        return Finding("byte-stream", False, str(exc), [], count[1] or None, None, harness=True)
    except ByteStreamViolation as exc:
        violation = exc
        if getattr(violation, "fatal", False):
            step = ("inject", violation.role, violation.data, violation.cuts)
            return Finding(
                "byte-stream",
                True,
                violation.detail,
                [step],
                count[1] or None,
                None,
                kind="byte-stream",
                hang=violation.hang,
            )
        from conformance.model.bytestream import check_stream
        from conformance.model.shrink import shrink

        def same(actions: list[Any]) -> bool:
            if len(actions) != 1:
                return False
            _, role, data, cuts = actions[0]
            try:
                check_stream(guard, oracle, role, data, tuple(cuts), profile)
            except ByteStreamViolation as again:
                return again.crash == violation.crash
            return False

        start = [("inject", violation.role, violation.data, violation.cuts)]
        step = shrink(start, same, attempts=SHRINK_ATTEMPTS[depth], seconds=SHRINK_SECONDS[depth])[0]
        try:
            check_stream(guard, oracle, step[1], step[2], tuple(step[3]), profile)
        except ByteStreamViolation as final:
            violation = final
        return Finding(
            "byte-stream",
            violation.crash,
            violation.detail,
            [step],
            count[1] or None,
            _blob(violation),
            kind="byte-stream",
        )
    return None


def _row(
    target: Any,
    invariant: str,
    finding: Finding | None,
    profile: str,
    skipped: str | None = None,
    note: str = "",
    mixed: str = "",
) -> CaseResult:
    """The row of one invariant: skip, pass, info (``mixed``: what held only with one choice point's
    alternatives mixed within one connection) or the finding's verdict."""
    from conformance.model.entries import render_script

    rfc, sentence = INVARIANT_TEXT[invariant]
    common = {
        "case_id": f"model/{invariant}",
        "rfc": rfc,
        "level": Level.MUST,
        "sentence": sentence,
        "impl": target.name,
        "expected": sentence,
        "source": "model",
    }
    if finding is None and skipped is not None:
        return CaseResult(**common, verdict=Verdict.SKIP, message=skipped, observed="not run")
    if finding is None and mixed:
        return CaseResult(
            **common,
            verdict=Verdict.INFO,
            message=f"{mixed}: reported, not graded as conforming; no violation (profile {profile}){note}",
            observed="as the reference with one choice point's alternatives mixed",
        )
    if finding is None:
        return CaseResult(
            **common,
            verdict=Verdict.PASS,
            message=f"no violation found (profile {profile}){note}",
            observed="as the reference",
        )
    where = f" ({finding.path})" if finding.path else ""
    data = finding.steps[0][2] if finding.kind == "byte-stream" and finding.steps else b""
    return CaseResult(
        **common,
        verdict=_verdict(finding),
        message=f"{finding.detail}"[:300] + where,
        observed=finding.detail,
        input=data,
        script=render_script(finding.steps),
        role=finding.steps[0][1] if finding.kind == "byte-stream" and finding.steps else "",
    )


def mixed_text(mixed: Mapping[tuple[str, str], int], invariant: str) -> str:
    """What held at ``invariant`` only with one choice point's alternatives mixed within one connection
    (``Coverage.mixed``), with the examples that showed it: ``""`` when nothing did."""
    return "; ".join(
        f"{what} ({count} example{'s' if count > 1 else ''})"
        for (inv, what), count in sorted(mixed.items())
        if inv == invariant
    )


def _verdict(finding: Finding) -> Verdict:
    if finding.harness:
        return Verdict.HARNESS
    if finding.hang:
        return Verdict.HANG
    return Verdict.CRASH if finding.crash else Verdict.FAIL


# What each part of the model needs of the target (conformance.targets.capabilities); a part whose
# needs are not met is skipped with the reason, never graded.
MACHINE_NEEDS = frozenset({PARSE_REQUESTS, PARSE_RESPONSES, SERIALIZE, STATE_MACHINE})
BYTE_STREAM_NEEDS = frozenset({PARSE_REQUESTS, PARSE_RESPONSES})
STEP_TIMEOUT = DEFAULT_TIMEOUT  # seconds one step (one action in both of the target's worlds) may take


# Tours (by name prefix) that need a capability beyond the machine's own.
TOUR_NEEDS: dict[str, frozenset[str]] = {
    "connect-": frozenset({PROTOCOL_SWITCH}),
    "upgrade-": frozenset({PROTOCOL_SWITCH}),
    "expect-100": frozenset({EXPECT_100}),
}


def _partial_skips(target: Any) -> dict[str, str]:
    """The rules and tours the target lacks a capability for: ``"rule switch"``/``"tour NAME"`` ->
    the reason (they are left out, and listed in the report)."""
    from conformance.model.machine import RULE_NEEDS

    out: dict[str, str] = {}
    for rule, needs in RULE_NEEDS.items():
        reason = _skip_reason(target, needs)
        if reason:
            out[f"rule {rule}"] = reason
    for name in TOURS:
        for prefix, needs in TOUR_NEEDS.items():
            reason = _skip_reason(target, needs) if name.startswith(prefix) else None
            if reason:
                out[f"tour {name}"] = reason
    return out


def _skip_reason(target: Any, needs: frozenset[str]) -> str | None:
    reason: str | None = target.skip_reason(needs) if hasattr(target, "skip_reason") else None
    return reason


def run_model(
    target: Any,
    *,
    profile: str = "rfc9112",
    depth: str | None = "ci",
    seed: int = 0,
    corpus_dir: Path | None = Path("corpus/model"),
    oracle: Any = None,
    progress: Callable[[str], None] | None = None,
    stop_at_first: bool = False,
    tours: bool = True,
    isolated: bool | None = None,
    timeout: float = STEP_TIMEOUT,
) -> ModelReport:
    """Model-check ``target`` (a ``conformance.targets.load.Target``) against the oracle.

    The target runs through ``executor_for(target, isolated=isolated, jobs=1)``: in one worker process
    (untrusted targets, or ``isolated=True``), else in this process under the watchdog; one step that
    takes longer than ``timeout`` seconds is a hang, and after a hang the target is not called again
    (the parts not yet run are skipped with that reason).
    Returns:
        A ``ModelReport``: one ``CaseResult`` per invariant (and the byte-stream property), the coverage
        table (the target's own transitions), the corpus entries written (none when ``corpus_dir`` is
        None) and the findings with their time to find (examples).
    Raises:
        UsageError: an unknown ``profile`` or ``depth``.

    With ``stop_at_first`` the run ends at the first finding; ``tours=False`` skips the explicit tours,
    so only generated examples can find anything (the planted-fault tests use both, to measure time to
    find in examples).
    """
    from conformance.verdict import PROFILES

    if profile not in PROFILES:
        raise UsageError(f"unknown profile {profile!r}; use one of {', '.join(PROFILES)}")
    depth = resolve_depth(depth)
    oracle = oracle if oracle is not None else reference_api()
    start = time.monotonic()
    with executor_for(target, isolated=isolated, jobs=1) as executor:
        guard = Guard(executor, timeout)
        coverage, found, skipped = _run_parts(
            guard, target, oracle, profile, depth, seed, progress, stop_at_first, tours
        )
    paths = _save(found, target, oracle, profile, depth, seed, corpus_dir)
    by_invariant = {f.invariant: f for f in found}
    partial = {k: v for k, v in skipped.items() if k.startswith(("rule ", "tour "))}
    note = "; left out: " + ", ".join(f"{k} ({v})" for k, v in partial.items()) if partial else ""
    results = [
        _row(
            target,
            inv,
            by_invariant.get(inv),
            profile,
            skipped.get(inv),
            note if inv in INVARIANTS else "",
            mixed_text(coverage.mixed, inv),
        )
        for inv in (*INVARIANTS, "byte-stream")
    ]
    table = coverage.table()
    table["skipped"] = partial  # the rules and tours left out for want of a capability, with the reason
    return ModelReport(results, table, paths, found, time.monotonic() - start, oracle_name(oracle))


def _run_parts(
    guard: Guard,
    target: Any,
    oracle: Any,
    profile: str,
    depth: str,
    seed: int,
    progress: Callable[[str], None] | None,
    stop_at_first: bool,
    tours: bool,
) -> tuple[Coverage, list[Finding], dict[str, str]]:
    """The tours, the machine and the byte streams, each unless its needs are unmet or the target hung."""
    say = progress or (lambda _message: None)
    capabilities = frozenset(getattr(target, "capabilities", ALL_CAPABILITIES))
    coverage = Coverage(capabilities)  # the target's own transitions
    found: list[Finding] = []
    ignore: set[str] = set()
    skipped: dict[str, str] = {}

    def stopped() -> str | None:
        if any(f.harness for f in found):
            return "not run: the harness failed earlier in this run"
        return guard.stopped()

    machine_skip = _skip_reason(target, MACHINE_NEEDS)
    partial = _partial_skips(target) if machine_skip is None else {}
    skipped.update(partial)
    with pinned_generation():  # what is generated depends on the seed alone
        for name, actions in TOURS.items() if tours and machine_skip is None else ():
            if f"tour {name}" in partial:
                continue
            validates = EVENT_VALIDATION in capabilities
            tour = _run_tour(guard, oracle, profile, coverage, name, actions, ignore, validates)
            if tour is not None:
                say(f"found: model/{tour.invariant} in tour {name}")
                found.append(tour)
                ignore.add(tour.invariant)
            if stopped():
                break
        for _ in INVARIANTS if machine_skip is None else ():
            if (stop_at_first and found) or stopped():
                break
            finding = _run_machine(guard, oracle, profile, depth, seed, coverage, ignore, capabilities)
            if finding is None:
                break
            say(f"found: model/{finding.invariant} after {finding.examples_to_find} examples")
            found.append(finding)
            ignore.add(finding.invariant)
            if stop_at_first:
                break
        reason = machine_skip or stopped()
        if reason:
            skipped.update(dict.fromkeys(INVARIANTS, reason))
        say("state machine done; byte streams next")
        bytes_skip = _skip_reason(target, BYTE_STREAM_NEEDS) or stopped()
        if bytes_skip:
            skipped["byte-stream"] = bytes_skip
        elif not (stop_at_first and found):
            flags = EVENT_VALIDATION in capabilities  # the chunk flags are reported (byte_property)
            finding = _run_bytes(guard, oracle, profile, depth, seed, coverage, flags)
            if finding is not None:
                say("found: model/byte-stream")
                found.append(finding)
    return coverage, found, skipped


def _save(
    found: list[Finding],
    target: Any,
    oracle: Any,
    profile: str,
    depth: str,
    seed: int,
    corpus_dir: Path | None,
) -> list[Path]:
    """Write each finding of the target (not harness errors) as a corpus entry; their paths."""
    from conformance.model.entries import write_entry

    paths: list[Path] = []
    for f in found:
        if corpus_dir is not None and f.steps and not f.harness:
            fields = {
                "kind": f.kind,
                "invariant": f.invariant,
                "verdict": _verdict(f).value,
                "message": f.detail[:2000],
                "impl": target.name,
                "impl_version": getattr(target, "version", ""),
                "profile": profile,
                "oracle": oracle_name(oracle),
                "depth": depth,
                "seed": seed,
                "examples_to_find": f.examples_to_find,
                "reproduce_failure": f.blob,
            }
            f.path = write_entry(corpus_dir, fields, f.steps)
            paths.append(f.path)
    return paths


__all__ += ["INVARIANT_TEXT", "Finding", "render"]
