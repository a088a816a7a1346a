"""The set of conforming outcomes of one input: the reference under every allowed choice.

Theory of operation: where RFC 9112 leaves a recipient a choice (``conformance.reference.choices``),
more than one outcome conforms. The reference records which choice points an input reached; the set of
conforming outcomes is the reference's outcome under each assignment of alternatives to those points.
``conforming`` runs the reference under the defaults first and stops there when the caller's
``accepts`` predicate holds (the common case costs one reference run); otherwise it runs the other
assignments, adding any choice point an alternative reaches in turn (ignoring a leading empty line can
reveal an obs-fold), until one is accepted or all are tried. The engines compare with their own
predicate (drive ``Trace`` equality, the catalog's outcomes, the differential rule) and report the
choice points ``considered``.

Under the ``h11`` profile the oracle is the reference modelling h11 0.16 instead (``as_profile``):
every documented difference (``conformance.reference.differences``) switched to h11's behaviour at its
rule, and every choice point at h11's alternative; the engines then compare with that one outcome, so
no documented difference needs a mask. Under ``rfc9112`` ``as_profile`` changes nothing.

One implementation may also take different alternatives of one choice point within one connection
(replace the first obs-fold, reject the second). No single assignment matches it; ``mixed_outcome``
then tries the reference with one choice point's alternatives given per occurrence
(``choices.mixtures``), for a point the input reached at most ``MAX_MIXED_TIMES`` times, and the
engines report a match as information (``Mixed.describe``), never as conforming twice nor as a failure.

``feed_outcomes`` and ``script_outcomes`` are the two shapes of input: bytes in a split
(``conformance.drive.feed``) and an event script (``conformance.drive.run_script``).
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import importlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from types import ModuleType
from typing import Any, Generic, TypeVar

from conformance import drive
from conformance.drive import DEFAULT_REQUEST, EventSpec, Step, Trace
from conformance.targets.load import reference_api

T = TypeVar("T")

# The most reference runs one input may cost (2^6 assignments: more choice points than any input reaches).
MAX_RUNS = 64

# How many times one choice point may be reached by one input for mixtures to be tried (2^n runs).
MAX_MIXED_TIMES = 4

Assignment = tuple[tuple[str, str], ...]
"""(choice id, alternative) pairs, sorted by id: the alternatives one reference run took."""


@dataclasses.dataclass(frozen=True)
class Outcome(Generic[T]):
    """What the reference did under one assignment of the choice points the input reached."""

    assignment: Assignment
    result: T


@dataclasses.dataclass(frozen=True)
class Conforming(Generic[T]):
    """The conforming outcomes found (the default first) and the choice points considered."""

    outcomes: tuple[Outcome[T], ...]
    considered: frozenset[str]
    accepted: Outcome[T] | None  # the outcome the caller's predicate accepted, if any

    @property
    def default(self) -> T:
        """The reference's outcome under its default alternatives (today's behaviour)."""
        return self.outcomes[0].result

    def describe_considered(self) -> str:
        """``"choice points considered: a, b"`` or ``""`` when the input reached none."""
        return f"choice points considered: {', '.join(sorted(self.considered))}" if self.considered else ""


@dataclasses.dataclass(frozen=True)
class Mixed(Generic[T]):
    """The reference's outcome with one choice point's alternatives taken per occurrence, in order."""

    choice: str
    sequence: tuple[str, ...]
    result: T

    def describe(self) -> str:
        """The one wording every engine reports a mixture with."""
        return f"mixes alternatives of {self.choice} within one connection: {', '.join(self.sequence)}"


@functools.cache
def _choices() -> ModuleType:
    """The reference's choice table, imported when first needed: importing this module must not import
    the reference (the fuzz entry point instruments the reference as it imports it)."""
    reference_api()
    return importlib.import_module("conformance.reference.choices")


@functools.cache
def _differences() -> ModuleType:
    """The reference's table of documented differences, imported when first needed (as ``_choices``)."""
    reference_api()
    return importlib.import_module("conformance.reference.differences")


@contextlib.contextmanager
def as_profile(profile: str) -> Iterator[None]:
    """Inside the block the reference is ``profile``'s oracle: for "h11", every documented difference in
    h11 mode and every choice point at h11's alternative; for any other profile, the reference as is.

    Connections keep the choices they were built with, so build them inside the block too.
    """
    if profile != "h11":
        yield
        return
    choices = _choices()
    with _differences().h11_mode(), choices.assign({c.id: c.h11 for c in choices.CHOICES}):
        yield


def _key(assignment: dict[str, str]) -> Assignment:
    return tuple(sorted(assignment.items()))


def _run(run: Callable[[], T], assignment: dict[str, str]) -> tuple[T, frozenset[str]]:
    with _choices().assign(assignment) as record:
        result = run()
    return result, frozenset(record.touched)


def conforming(run: Callable[[], T], accepts: Callable[[T], bool] | None = None) -> Conforming[T]:
    """Run the reference (``run`` builds its Connections) under the defaults, then the alternatives.

    With ``accepts``, enumeration stops at the first outcome it accepts, and does not start when the
    default is accepted; without it, every assignment of the reached choice points is run.

    Returns:
        The outcomes run, in order (defaults first), the choice points considered, the accepted one.
    """
    choices = _choices()
    result, touched = _run(run, {})
    considered = set(touched)
    first = Outcome(_key({c: choices.choice(c).default for c in touched}), result)
    outcomes = [first]
    if accepts is not None and accepts(result):
        return Conforming((first,), frozenset(considered), first)
    seen = {first.assignment}
    pending = [a for a in choices.assignments(considered) if _key(a) not in seen]
    while pending and len(outcomes) < MAX_RUNS:
        assignment = pending.pop(0)
        seen.add(_key(assignment))
        result, touched = _run(run, assignment)
        outcome = Outcome(_key({**{c: choices.choice(c).default for c in touched}, **assignment}), result)
        outcomes.append(outcome)
        if accepts is not None and accepts(result):
            return Conforming(tuple(outcomes), frozenset(considered), outcome)
        if not touched <= considered:
            considered |= touched
            pending = [a for a in choices.assignments(considered) if _key(a) not in seen]
    return Conforming(tuple(outcomes), frozenset(considered), None)


def mixed_outcome(
    run: Callable[[], T], accepts: Callable[[T], bool], considered: Iterable[str]
) -> Mixed[T] | None:
    """The first per-occurrence mixture of one choice point's alternatives whose outcome ``accepts`` takes.

    For each choice point in ``considered`` (in order of id) the reference runs once under each of its
    alternatives, to learn how many times the input reaches the point; a point reached at least twice
    is tried with every sequence of its alternatives over those times (at most ``MAX_MIXED_TIMES``, the
    last repeating) that is not one alternative throughout; other points keep their defaults. Call it
    only when no single assignment was accepted (``conforming``): it costs up to 2^MAX_MIXED_TIMES runs
    per point.

    Returns:
        The choice point, the sequence and the accepted outcome, or None.
    """
    choices = _choices()
    for cid in sorted(set(considered)):
        times = 0
        for alternative in choices.choice(cid).alternatives:
            with choices.assign({cid: alternative}) as record:
                run()
            times = max(times, record.reached.get(cid, 0))
        for sequence in choices.mixtures(cid, min(times, MAX_MIXED_TIMES)) if times > 1 else ():
            with choices.assign({cid: sequence}):
                result = run()
            if accepts(result):
                return Mixed(cid, sequence, result)
    return None


def feed_outcomes(
    role: str,
    chunks: Sequence[bytes],
    accepts: Callable[[Trace], bool] | None = None,
    *,
    request: EventSpec = DEFAULT_REQUEST,
    eof: bool = True,
    reply: bool = True,
    size_limit: int | None = None,
) -> Conforming[Trace]:
    """The conforming traces of feeding ``chunks`` to a ``role`` Connection (``conformance.drive.feed``)."""
    api = reference_api()

    def run() -> Trace:
        reached: dict[str, tuple[int, int]] = {}
        trace = drive.feed(
            api,
            role,
            chunks,
            request=request,
            eof=eof,
            reply=reply,
            size_limit=size_limit,
            observe=functools.partial(_note_reached, reached),
        )
        return dataclasses.replace(trace, reached_at=tuple((c, *at) for c, at in sorted(reached.items())))

    return conforming(run, accepts)


def position(events: Sequence[drive.EventRecord]) -> tuple[int, int]:
    """How far a stream of received events got: (events other than Data, Data bytes), either way of
    cutting or merging the Data counting the same (``drive.merge_data``)."""
    data = [len(e[1]) for e in events if e[0] == "Data"]
    return len(events) - len(data), sum(data)


def _note_reached(
    reached: dict[str, tuple[int, int]], conn: Any, events: Sequence[drive.EventRecord]
) -> None:
    """Record where the input first reached each choice point: the position of the events delivered
    before the ``next_event`` call that reached it (``drive.feed``'s observer)."""
    new = _choices().touched_by(conn) - reached.keys()
    if new:
        at = position(events)
        reached.update(dict.fromkeys(new, at))


def script_outcomes(
    role: str, steps: Sequence[Step], accepts: Callable[[Any], bool] | None = None
) -> Conforming[Any]:
    """The conforming step outcomes of an event script (``conformance.drive.run_script``)."""
    api = reference_api()
    return conforming(lambda: drive.run_script(api, role, steps), accepts)
