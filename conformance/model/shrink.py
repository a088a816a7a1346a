"""Shrinking a failing action list directly, as data, within a budget of attempts.

Theory of operation: an action list replays without Hypothesis (``LockStep``), so it can be minimised by
plain delta debugging, which is far cheaper than re-generating examples: remove chunks of actions
(halves, quarters, ... single actions), then simplify what remains (drop header fields, shorten Data and
injected bytes, drop cuts), keeping each change only while ``still_fails`` says the same invariant still
breaks. It stops at a fixed point or when ``attempts`` calls of ``still_fails`` are spent, and always
returns a list that still fails. The budget is counted in attempts, not seconds, so the result depends
only on the input, never on how busy the machine is. ``seconds`` is an optional wall-clock cap on top,
used only by the unbounded depths (dev, deep), where a prompt answer matters more than an identical one.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator

from conformance.model.actions import Action


def _simpler(action: Action) -> Iterator[Action]:
    """Candidate simplifications of one action, simplest first."""
    kind = action[0]
    if kind == "deliver" and action[2]:
        yield (kind, action[1], ())
    elif kind == "inject":
        data, cuts = action[2], action[3]
        if cuts:
            yield (kind, action[1], data, ())
        lines = data.split(b"\n")
        for i in range(len(lines) - 1, 0, -1):  # drop one line (its LF included), last first
            yield (kind, action[1], b"\n".join(lines[:i] + lines[i + 1 :]), cuts)
    elif kind == "send":
        name, kwargs = action[2]
        headers = list(kwargs.get("headers", ()))
        for i in range(len(headers)):
            yield (kind, action[1], (name, {**kwargs, "headers": headers[:i] + headers[i + 1 :]}))
        if "reason" in kwargs:
            yield (kind, action[1], (name, {k: v for k, v in kwargs.items() if k != "reason"}))
        data = kwargs.get("data")
        if isinstance(data, bytes) and len(data) > 1:
            for size in (0, 1, len(data) // 2):
                yield (kind, action[1], (name, {**kwargs, "data": data[:size]}))


def shrink(
    actions: list[Action],
    still_fails: Callable[[list[Action]], bool],
    *,
    attempts: int = 1000,
    seconds: float | None = None,
) -> list[Action]:
    """The smallest variant of ``actions`` for which ``still_fails`` holds (``actions`` itself at worst).

    At most ``attempts`` candidates are tried; ``seconds`` (None: no cap) bounds the wall-clock time too,
    for callers that prefer a prompt answer to a reproducible one.
    """
    deadline = None if seconds is None else time.monotonic() + seconds
    left = attempts
    best = list(actions)

    def spent() -> bool:
        return left <= 0 or (deadline is not None and time.monotonic() > deadline)

    def attempt(candidate: list[Action]) -> bool:
        nonlocal best, left
        if spent():
            return False
        left -= 1
        if not still_fails(candidate):
            return False
        best = candidate
        return True

    progress = True
    while progress and not spent():
        progress = False
        size = max(1, len(best) // 2)
        while size >= 1:
            i = 0
            while i < len(best):
                if attempt(best[:i] + best[i + size :]):
                    progress = True
                else:
                    i += size
            size //= 2
        for i in range(len(best)):
            for candidate in _simpler(best[i]) if i < len(best) else ():
                if attempt([*best[:i], candidate, *best[i + 1 :]]):
                    progress = True
                    break
    return best
