"""Reading fuzz traces: what must agree between splits, prefixes, one-line descriptions.

Theory of operation: ``conformance.drive.feed`` records a ``Trace`` (outcome, events, error, final
states) of one implementation on one split of an input; the checks compare traces with these
helpers, so "the same outcome" and "a prefix of the events" mean one thing across the fuzz package.
``first_message`` is the part of a trace a target that cannot reply is compared on.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import Any

from conformance.drive import EventRecord, Trace


def outcome_summary(trace: Trace) -> tuple[Any, ...]:
    """What must agree between two splits of one input: outcome, events, error class, final states."""
    error = None if trace.error is None else trace.error[:2]
    final = trace.final if trace.outcome == "accept" else None
    return (trace.outcome, trace.events, error, final)


def describe(trace: Trace) -> str:
    last = trace.events[-3:]
    error = "" if trace.error is None else f", error {trace.error[0]}({trace.error[2][:120]!r})"
    return f"{trace.outcome} after {len(trace.events)} events (last {last!r}){error}"


def _data_prefix(short: EventRecord, long: EventRecord) -> bool:
    return short[0] == long[0] == "Data" and bytes(long[1]).startswith(bytes(short[1]))


def prefix_of(shorter: Sequence[EventRecord], longer: Sequence[EventRecord]) -> bool:
    """``shorter`` is ``longer``'s beginning (its last Data event may stop early in ``longer``'s)."""
    if len(shorter) > len(longer):
        return False
    for i, event in enumerate(shorter):
        if event != longer[i] and not (i == len(shorter) - 1 and _data_prefix(event, longer[i])):
            return False
    return True


def error_message(trace: Trace) -> str:
    return "" if trace.error is None else trace.error[2]


def first_message(trace: Trace) -> Trace:
    """``trace`` up to the end of its first complete message (its first EndOfMessage), as accepted there.

    A target that cannot reply (no send, no state machine) is compared on its first message only: the
    reference, fed without replies, stops there too (``PAUSED``), and whether the target then reads
    pipelined messages, rejects them or stalls is left out. A trace with no EndOfMessage is kept whole:
    a rejection, crash or stall inside the first message stays what it was.
    """
    for i, event in enumerate(trace.events):
        if event[0] == "EndOfMessage":
            return dataclasses.replace(
                trace, events=trace.events[: i + 1], error=None, stalled=False, rule=None
            )
    return trace
