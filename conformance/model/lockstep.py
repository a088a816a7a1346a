"""The lock-step driver: the oracle's worlds here, the implementation's where the executor runs calls.

Theory of operation: ``LockStep`` runs each action in the four worlds of ``conformance.model.world`` and
checks the invariants (``Checker``). The model checker never calls the implementation itself: its two
worlds of the implementation (``World`` main, fed in the action's cuts, and shadow, fed whole) live where
the executor runs calls: in an isolated worker process, or in this process under the watchdog.
Between the steps of one example they stay there (a *session*): the parent sends each action with the
oracle's gate as one ``step_worlds`` call and receives a ``StepReply`` of comparable observations (the
two ``Observation``s, the event records sent and received since the last step, and the transitions the
implementation's own connections went through, for the coverage table). The oracle and every comparison
stay in the parent, and the parent runs the oracle's worlds while the worker runs the step.

Per process there is one session at a time (an example's first step starts a fresh one and drops the
previous), so a worker's memory does not grow with the number of examples. A step that hangs, or that
kills its worker, ends the example as an ``errors`` violation (``hang`` or ``crash``); an exception
from the harness's own code in the step is a ``HarnessError`` in the parent. ``Guard`` is shared by a
whole run: after the first hang (or the ``MAX_DEATHS``-th dead worker) it answers every later call
with that violation at once, so a target that hangs everywhere costs one timeout, not one per example.
"""

from __future__ import annotations

import itertools
import types
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from conformance.drive import EventRecord, Trace, feed, state_name
from conformance.errors import HarnessError
from conformance.model.actions import Action, InvariantViolation
from conformance.model.world import SIDES, Checker, Observation, World
from conformance.oracle import as_profile, conforming, mixed_outcome
from conformance.reference.choices import CHOICES, assign, context, touched_by
from conformance.strategies import cut
from conformance.targets.executor import DEFAULT_TIMEOUT, Crashed, Executor, Hung, InProcessExecutor, Ok

_SESSION: dict[str, Any] = {}  # where calls run: "token", "main", "shadow", "hooks"
_TOKENS = itertools.count(1)


@dataclass(frozen=True)
class StepReply:
    """What the implementation's worlds did in one action (see the module docstring)."""

    io: Observation
    so: Observation
    sent: dict[str, tuple[EventRecord, ...]]
    received: dict[str, tuple[EventRecord, ...]]
    hooks: tuple[tuple[Any, ...], ...]


def step_worlds(api: Any, arg: tuple[int, bool, Action, dict[str, bool]]) -> StepReply:
    """Run one action in the session's two worlds (module-level: executors call it by name)."""
    token, fresh, action, gate = arg
    if fresh:
        hooks: list[tuple[Any, ...]] = []
        _SESSION.clear()
        _SESSION.update(
            token=token,
            hooks=hooks,
            main=World(api, whole=False, hook=lambda *event: hooks.append(event)),
            shadow=World(api, whole=True),
        )
    elif _SESSION.get("token") != token:
        raise HarnessError(f"model session {token} is not in this process (its worker was replaced)")
    main: World = _SESSION["main"]
    shadow: World = _SESSION["shadow"]
    marks = {s: (len(main.sent[s]), len(main.received[s])) for s in SIDES}
    del _SESSION["hooks"][:]
    io = main.act(action, gate)
    so = shadow.act(action, gate)
    return StepReply(
        io,
        so,
        {s: tuple(main.sent[s][marks[s][0] :]) for s in SIDES},
        {s: tuple(main.received[s][marks[s][1] :]) for s in SIDES},
        tuple(_SESSION["hooks"]),
    )


def feed_both(api: Any, arg: tuple[str, bytes, tuple[int, ...]]) -> tuple[Trace, Trace]:
    """The byte-stream property's calls: ``data`` fed whole, then in the pieces ``cuts`` makes."""
    role, data, cuts = arg
    return feed(api, role, [data]), feed(api, role, cut(data, cuts))


MAX_DEATHS = 3  # worker deaths after which a run stops calling the target


@dataclass
class Guard:
    """The run-wide state of the calls into the implementation: the executor, and whether the target
    is still worth calling (``fatal``: its first hang, or its ``MAX_DEATHS``-th death)."""

    executor: Executor
    timeout: float = DEFAULT_TIMEOUT
    fatal: InvariantViolation | None = None
    deaths: int = 0

    def result(self, what: str, outcome: Any) -> Any:
        """The value of an executor result, or the violation (or harness error) it stands for.

        A violation for a hang or a dead worker has ``fatal`` set: replaying it costs a timeout or a
        new worker per attempt, so callers keep such an example as found instead of shrinking it.
        """
        if isinstance(outcome, Ok):
            return outcome.value
        if isinstance(outcome, Hung):
            detail = f"{what}: no result within {outcome.seconds:g} s (hang)"
            self.fatal = violation = InvariantViolation("errors", detail, hang=True)
            violation.fatal = True  # type: ignore[attr-defined]
            raise violation
        assert isinstance(outcome, Crashed)
        if outcome.harness:
            raise HarnessError(f"the harness failed in {what}: {outcome.reason}")
        violation = InvariantViolation("errors", f"{what}: {outcome.reason}", crash=True)
        if outcome.reason.startswith(("worker ", "MemoryError: memory limit")):
            violation.fatal = True  # type: ignore[attr-defined]
            self.deaths += 1
            if self.deaths >= MAX_DEATHS:
                self.fatal = violation
        raise violation

    def check_fatal(self) -> None:
        """Raise the run's fatal violation again, without calling the implementation."""
        if self.fatal is not None:
            again = InvariantViolation(
                self.fatal.invariant, self.fatal.detail, crash=True, hang=self.fatal.hang
            )
            again.fatal = True  # type: ignore[attr-defined]
            raise again

    def stopped(self) -> str | None:
        """Why the run no longer calls the target, or None."""
        if self.fatal is None:
            return None
        how = "hung" if self.fatal.hang else f"died or ran out of memory {self.deaths} times"
        return f"not run: the target {how} earlier in this run (see model/errors)"


def guard_for(impl: Any, timeout: float = DEFAULT_TIMEOUT) -> Guard:
    """``impl`` as a ``Guard``: a Guard is kept, an executor wrapped; a bare h11 API (tests, replay of a
    corpus entry) runs in process through an ``InProcessExecutor`` of its own."""
    if isinstance(impl, Guard):
        return impl
    if hasattr(impl, "submit") and hasattr(impl, "collect"):
        return Guard(impl, timeout)
    shim: Any = types.SimpleNamespace(api=impl, spec=None)
    return Guard(InProcessExecutor(shim), timeout)


class ImplWorlds:
    """The parent's handle on one example's session, with copies of what its main world sent and
    received (the round-trip check reads them)."""

    def __init__(self, guard: Guard) -> None:
        self.guard = guard
        self.token = next(_TOKENS)
        self.fresh = True
        self.sent: dict[str, list[EventRecord]] = {"client": [], "server": []}
        self.received: dict[str, list[EventRecord]] = {"client": [], "server": []}
        self._action: Action | None = None

    def submit(self, action: Action, gate: dict[str, bool]) -> None:
        """Start ``action`` in the implementation's worlds."""
        self.guard.check_fatal()
        self._action = action
        self.guard.executor.submit(
            step_worlds, (self.token, self.fresh, action, dict(gate)), timeout=self.guard.timeout
        )
        self.fresh = False

    def collect(self) -> StepReply:
        """The reply to the submitted action; raises the violation a hang or a crash stands for."""
        action = self._action or ("?", "?")
        reply: StepReply = self.guard.result(f"{action[0]} on {action[1]}", self.guard.executor.collect())
        for s in SIDES:
            self.sent[s].extend(reply.sent[s])
            self.received[s].extend(reply.received[s])
        return reply


@dataclass(frozen=True)
class Replayed:
    """The oracle's worlds rebuilt under an assignment that holds (``LockStep._replay``)."""

    ref: World
    checker: Checker
    senders: dict[str, Any]  # the sender choice points' alternatives in it (not the defaults)
    worlds: tuple[World, World] | None  # the wire invariant's (wref, xref) under them, if rebuilt
    seen: tuple[tuple[Observation, Observation], ...] = ()  # and what those did per step (wo, xo)


def _sender_worlds(api: Any, senders: dict[str, Any], validates: bool) -> tuple[World, World]:
    """A fresh (wref, xref) pair under the defaults but for the sender choice points ``senders``."""
    with assign(senders):
        return World(api, whole=False, validates=validates), World(api, whole=False, validates=validates)


def _wire(io: Observation) -> bytes | None:
    """The bytes the implementation's send() wrote in this step, if it sent."""
    return io.outcome[1] if io.outcome and io.outcome[0] == "sent" else None


class LockStep:
    """The implementation (main and shadow) and the oracle, run action by action with the invariants.

    ``impl`` is where the implementation runs: a ``Guard`` (shared by a run), an executor, or a bare
    h11 API (run in process through an executor of its own).
    """

    def __init__(
        self,
        impl: Any,
        oracle_api: Any,
        *,
        explain: Callable[[InvariantViolation], str | None] | None = None,
        coverage: Any = None,
        profile: str = "rfc9112",
        validates: bool = True,
    ) -> None:
        self.coverage = coverage
        self.profile = profile  # the oracle is the reference as this profile's (``as_profile``)
        # False for a target without "event-validation": the oracle's send refuses what it cannot build.
        self.validates = validates
        with as_profile(profile):
            self.ref = World(oracle_api, whole=False, validates=validates)
            # the oracle's events, the implementation's bytes
            self.xref = World(oracle_api, whole=False, validates=validates)
        self.impl = ImplWorlds(guard_for(impl))
        # The oracle world the wire invariant compares with: under the default choices, but for a
        # sender's choice points (``senders``: what a side writes is its own choice there). It is
        # ``ref`` itself until ``ref`` goes on under another assignment (``_another_choice_holds``).
        self.wref = self.ref
        self.senders: dict[str, Any] = {}  # the sender choice points' alternatives wref and xref take
        self.checker = Checker(exact_wire=profile == "h11", chunk_start=profile != "h11")
        self.any_choice = profile == "rfc9112"  # the h11 profile expects h11's choices
        self.history: list[Action] = []
        # Per step: the implementation's (io, so) and the wire invariant's oracle's (wo, xo): under the
        # defaults, or the sender choice points in force (``senders``).
        self.observed: list[tuple[Observation, Observation, Observation, Observation]] = []
        self.explain = explain
        self.masked: str | None = None

    def _replay(self) -> Replayed | None:
        """The oracle's world rebuilt from the history (under the choices in force), if every step holds.

        The rebuilt world carries the implementation's bytes (``_wire``): its receivers read what the
        implementation's did, so what they leave unread (trailing_data) is comparable byte for byte
        even where the senders' bytes differ as the RFC allows (a field order, for one). The senders'
        bytes are still held by the wire invariant to the reading of an oracle under the defaults but
        for the sender choice points in force (``_sender_worlds``).
        """
        ref = World(self.ref.api, whole=False, validates=self.validates)
        checker = Checker(
            exact_wire=self.checker.exact_wire, chunk_start=self.checker.chunk_start, self_check=False
        )
        taken = context()[0]  # the assignment this replay runs under
        senders = {c.id: taken[c.id] for c in CHOICES if c.sender and taken[c.id] != c.default}
        worlds = None if senders == self.senders else _sender_worlds(self.ref.api, senders, self.validates)
        seen = []
        for i, (action, (io, so, wo, xo)) in enumerate(zip(self.history, self.observed, strict=True)):
            checker.self_check = i == len(self.history) - 1
            gate = ref.gate()
            ro = ref.act(action, gate, _wire(io))
            if worlds is not None:
                wgate = worlds[0].gate()
                wo = worlds[0].act(action, wgate)
                xo = worlds[1].act(action, wgate, _wire(io))
                seen.append((wo, xo))
            try:
                checker.check(action, self.impl, io, so, ro, xo, ref, wo)
            except InvariantViolation:
                return None
        return Replayed(ref, checker, senders, worlds, tuple(seen))

    def _another_choice_holds(self, violation: InvariantViolation) -> bool:
        """Whether the whole history holds under another assignment of the RFC's choice points the
        oracle's connections reached (``conformance.oracle``); if so, the oracle goes on under it. Else
        whether it holds with one point's alternatives mixed per occurrence (``mixed_outcome``): then the
        oracle goes on under that mixture too, and the run's coverage counts it as information
        (``Coverage.mixed``, by invariant), never a violation.

        A recipient's choice points never excuse what a sender wrote (``wire``); a sender's may (the
        oracle's sender then writes as it chose). Nothing excuses a crash or a hang.
        """
        if violation.crash or violation.hang or not self.any_choice:
            return False
        touched = {c for conn in self.ref.conns.values() for c in touched_by(conn)}
        if violation.invariant == "wire":
            touched &= {c.id for c in CHOICES if c.sender}
        if not touched:
            return False
        conf = conforming(self._replay, lambda replayed: replayed is not None)
        if conf.accepted is not None and conf.accepted.result is not None:
            self._adopt(conf.accepted.result)
            return True
        # No single assignment: one choice point's alternatives mixed per occurrence is information.
        mixed = mixed_outcome(self._replay, lambda replayed: replayed is not None, conf.considered)
        if mixed is None or mixed.result is None:
            return False
        self._adopt(mixed.result)
        if self.coverage is not None:
            self.coverage.mixed[(violation.invariant, mixed.describe())] += 1
        return True

    def _adopt(self, replayed: Replayed) -> None:
        """The oracle goes on as ``replayed`` rebuilt it (under another assignment or a mixture)."""
        self.ref, self.checker = replayed.ref, replayed.checker
        if replayed.worlds is not None:  # later replays under the same sender choices read these
            self.wref, self.xref = replayed.worlds
            self.senders = replayed.senders
            pairs = zip(self.observed, replayed.seen, strict=True)
            self.observed = [(io, so, wo, xo) for (io, so, _, _), (wo, xo) in pairs]

    def state(self, side: str) -> tuple[str, str]:
        """The oracle's (our_state, their_state) of ``side``: what rule preconditions look at."""
        conn = self.ref.conns[side]
        return state_name(conn.our_state), state_name(conn.their_state)

    def apply(self, action: Action) -> None:
        """Run ``action`` in every world and check the invariants.

        The implementation's worlds run the action (in the executor) while the oracle's run it here.
        Raises:
            InvariantViolation: an invariant broke and neither another allowed choice nor a documented
                difference explains it, or the implementation hung or died (``errors``, with
                ``hang``/``crash``).
            HarnessError: the harness's own code failed on the implementation's side.
        """
        self.history.append(action)
        gate = self.ref.gate()
        if self.masked is None:
            self.impl.submit(action, gate)
        # Only the oracle's calls run as the profile's oracle: an implementation run in process (the
        # reference itself, a planted fault) keeps its own behaviour.
        # A world gone on under another assignment carries the implementation's bytes, as its replay
        # did (``_replay``), so it runs once the implementation's reply is in.
        chosen = self.ref is not self.wref and self.masked is None
        with as_profile(self.profile):
            ro = None if chosen else self.ref.act(action, gate)
        if self.masked is not None:
            return
        reply = self.impl.collect()
        io, so = reply.io, reply.so
        if ro is None:
            with as_profile(self.profile):
                ro = self.ref.act(action, gate, _wire(io))
        if self.coverage is not None:  # the implementation's own transitions, errors and states
            for event in reply.hooks:
                self.coverage.hook(*event)
            self.coverage.note_step(action, io)
        wire = _wire(io)
        with as_profile(self.profile):
            wo, wgate = ro, gate
            if self.wref is not self.ref:
                wgate = self.wref.gate()
                wo = self.wref.act(action, wgate)
            xo = self.xref.act(action, wgate, wire)
        self.observed.append((io, so, wo, xo))
        try:
            self.checker.check(action, self.impl, io, so, ro, xo, self.ref, wo)
        except InvariantViolation as violation:
            if self._another_choice_holds(violation):
                return
            name = self.explain(violation) if self.explain else None
            if name is None:
                touched = sorted({c for conn in self.ref.conns.values() for c in touched_by(conn)})
                choice_excusable = not (violation.crash or violation.hang or violation.invariant == "wire")
                if touched and self.any_choice and choice_excusable:
                    detail = f"{violation.detail} (choice points considered: {', '.join(touched)})"
                    raise InvariantViolation(violation.invariant, detail) from None
                raise
            self.masked = name
            if self.coverage is not None:
                self.coverage.masked[name] = self.coverage.masked.get(name, 0) + 1
