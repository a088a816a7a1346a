"""What a model-checker run exercised, recorded on the oracle's side and printed as a table.

Theory of operation: ``Coverage.hook`` sees every event the oracle's Connections send or receive, with
the ``states`` before and after, and turns it into a transition key ``(role, from_state, event)`` of the
state machine (switches appear as the pseudo-events ``_SWITCH_UPGRADE`` and ``_SWITCH_CONNECT``; a
server seeing the client's Request is the server's ``IDLE --Request--> SEND_RESPONSE``).
``TRANSITIONS`` is the event-triggered transition table of docs/h11-behaviour.md §3.1, written as data; the
"ci" depth must reach every entry (tests/model asserts it). Beside transitions the run records framing
modes of the messages received, switch outcomes (Upgrade/CONNECT accepted or denied), error paths (where,
class, message prefix), the states each role visited and the examples that stopped comparing at an
invariant already reported (``masked``), and the examples that held only with the alternatives of one
choice point mixed within one connection (``mixed``, information). The table is the target's own: the
transitions and switch outcomes it lacks the capability for (``TRANSITION_NEEDS``) are neither expected
nor listed.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from conformance.drive import EventRecord
from conformance.model.actions import Action
from conformance.model.world import Observation, error_path
from conformance.targets.capabilities import ALL_CAPABILITIES, PROTOCOL_SWITCH

Transition = tuple[str, str, str]

# docs/h11-behaviour.md §3.1: (role, from state, event) -> to state. Anything absent is a protocol error.
TRANSITIONS: dict[Transition, str] = {
    ("CLIENT", "IDLE", "Request"): "SEND_BODY",
    ("CLIENT", "IDLE", "ConnectionClosed"): "CLOSED",
    ("CLIENT", "SEND_BODY", "Data"): "SEND_BODY",
    ("CLIENT", "SEND_BODY", "EndOfMessage"): "DONE",
    ("CLIENT", "DONE", "ConnectionClosed"): "CLOSED",
    ("CLIENT", "MUST_CLOSE", "ConnectionClosed"): "CLOSED",
    ("CLIENT", "CLOSED", "ConnectionClosed"): "CLOSED",
    ("SERVER", "IDLE", "Request"): "SEND_RESPONSE",
    ("SERVER", "IDLE", "Response"): "SEND_BODY",
    ("SERVER", "IDLE", "ConnectionClosed"): "CLOSED",
    ("SERVER", "SEND_RESPONSE", "InformationalResponse"): "SEND_RESPONSE",
    ("SERVER", "SEND_RESPONSE", "Response"): "SEND_BODY",
    ("SERVER", "SEND_RESPONSE", "_SWITCH_UPGRADE"): "SWITCHED_PROTOCOL",
    ("SERVER", "SEND_RESPONSE", "_SWITCH_CONNECT"): "SWITCHED_PROTOCOL",
    ("SERVER", "SEND_BODY", "Data"): "SEND_BODY",
    ("SERVER", "SEND_BODY", "EndOfMessage"): "DONE",
    ("SERVER", "DONE", "ConnectionClosed"): "CLOSED",
    ("SERVER", "MUST_CLOSE", "ConnectionClosed"): "CLOSED",
    ("SERVER", "CLOSED", "ConnectionClosed"): "CLOSED",
}
# The transitions (and switch outcomes) only a target with the capability can take.
TRANSITION_NEEDS: dict[str, str] = {
    "SERVER SEND_RESPONSE _SWITCH_UPGRADE": PROTOCOL_SWITCH,
    "SERVER SEND_RESPONSE _SWITCH_CONNECT": PROTOCOL_SWITCH,
    "switches": PROTOCOL_SWITCH,
}
FRAMINGS = ("content-length", "chunked", "close-delimited", "none")
SWITCH_OUTCOMES = ("upgrade-accepted", "upgrade-denied", "connect-accepted", "connect-denied")


def _header(record: EventRecord, index: int, name: bytes) -> bytes | None:
    for n, v in record[index]:
        if n == name:
            return bytes(v)
    return None


class Coverage:
    """Counters of what the oracle did during a run (see the module docstring)."""

    def __init__(self, capabilities: frozenset[str] = ALL_CAPABILITIES) -> None:
        self.capabilities = capabilities  # the target's: what it cannot do is not expected
        self.transitions: Counter[Transition] = Counter()
        self.states: Counter[tuple[str, str]] = Counter()
        self.framing: Counter[tuple[str, str]] = Counter()
        self.switches: Counter[str] = Counter()
        self.errors: Counter[tuple[str, str, str]] = Counter()
        self.masked: dict[str, int] = {}
        # (invariant, what was mixed): examples that held only with one choice point's alternatives
        # mixed within one connection (information, reported on the invariant's row)
        self.mixed: Counter[tuple[str, str]] = Counter()
        self.actions: Counter[str] = Counter()
        self.examples = 0
        self.byte_streams: Counter[str] = Counter()
        self._method: bytes | None = None
        self._proposals: set[str] = set()

    def hook(
        self, side: str, how: str, record: EventRecord, before: dict[str, str], after: dict[str, str]
    ) -> None:
        """Record one event the oracle processed (called by ``World``)."""
        if not before or not after:
            return
        for role_state in after.items():
            self.states[role_state] += 1
        name = record[0]
        role = (
            ("CLIENT" if side == "client" else "SERVER")
            if how == "send"
            else ("SERVER" if side == "client" else "CLIENT")
        )
        if name == "InformationalResponse" and after["SERVER"] == "SWITCHED_PROTOCOL":
            name = "_SWITCH_UPGRADE"
        elif name == "Response" and after["SERVER"] == "SWITCHED_PROTOCOL" and before["SERVER"] != "IDLE":
            name = "_SWITCH_CONNECT"
        if after[role] != "ERROR":
            self.transitions[(role, before[role], name)] += 1
        if record[0] == "Request" and before["SERVER"] == "IDLE" and after["SERVER"] == "SEND_RESPONSE":
            self.transitions[("SERVER", "IDLE", "Request")] += 1
        if record[0] == "Request":
            self._method = record[1]
            if side == "client":
                self._proposals = set()
                if record[1] == b"CONNECT":
                    self._proposals.add("connect")
                if _header(record, 3, b"upgrade"):
                    self._proposals.add("upgrade")
        if how == "recv":
            self._framing(record)
            if side == "client" and record[0] in ("Response", "InformationalResponse"):
                self._switch(name, record)

    def _switch(self, name: str, record: EventRecord) -> None:
        if name == "_SWITCH_UPGRADE":
            self.switches["upgrade-accepted"] += 1
        elif name == "_SWITCH_CONNECT":
            self.switches["connect-accepted"] += 1
        elif record[0] == "Response":
            for proposal in self._proposals:
                self.switches[f"{proposal}-denied"] += 1
        else:
            return
        self._proposals = set()

    def _framing(self, record: EventRecord) -> None:
        if record[0] == "Request":
            te, cl = _header(record, 3, b"transfer-encoding"), _header(record, 3, b"content-length")
            mode = "chunked" if te else "content-length" if cl is not None else "none"
            self.framing[("request", mode)] += 1
        elif record[0] == "Response":
            te, cl = _header(record, 2, b"transfer-encoding"), _header(record, 2, b"content-length")
            status = record[1]
            if (
                self._method == b"HEAD"
                or status in (204, 304)
                or (self._method == b"CONNECT" and status < 300)
            ):
                mode = "none"
            else:
                mode = "chunked" if te else "content-length" if cl is not None else "close-delimited"
            self.framing[("response", mode)] += 1

    def note_step(self, action: Action, ro: Observation) -> None:
        """Record an action and the error paths the oracle took in it."""
        kind = action[0] if action[0] != "send" else f"send:{action[2][0]}"
        self.actions[kind] += 1
        if action[0] == "cycle" and action[1] == "client":
            self._proposals = set()
        for side, snap in ro.snaps.items():
            role, peer = ("CLIENT", "SERVER") if side == "client" else ("SERVER", "CLIENT")
            self.states[(role, snap.our_state)] += 1
            self.states[(peer, snap.their_state)] += 1
        if ro.outcome and ro.outcome[0] == "error":
            self.errors[error_path(kind, ro.outcome[1])] += 1
        for side, rec in ro.errors.items():
            if rec:
                self.errors[error_path(f"next_event:{side}", rec)] += 1

    # -- reporting --------------------------------------------------------------------------------

    def _can(self, key: str) -> bool:
        need = TRANSITION_NEEDS.get(key)
        return need is None or need in self.capabilities

    def expected(self) -> list[Transition]:
        """The entries of ``TRANSITIONS`` the target has the capabilities for."""
        return [t for t in TRANSITIONS if self._can(" ".join(t))]

    def missing(self) -> list[Transition]:
        """Expected transitions never reached."""
        return sorted(t for t in self.expected() if not self.transitions[t])

    def table(self) -> dict[str, Any]:
        """A JSON-able summary (the ``coverage`` of a ``ModelReport``)."""
        expected = self.expected()
        return {
            "examples": self.examples,
            "actions": dict(sorted(self.actions.items())),
            "transitions": {
                "reached": sum(1 for t in expected if self.transitions[t]),
                "expected": len(expected),
                "counts": {" ".join(t): self.transitions[t] for t in expected},
                "missing": [" ".join(t) for t in self.missing()],
                "other": {" ".join(t): n for t, n in sorted(self.transitions.items()) if t not in expected},
            },
            "states": {f"{r} {s}": n for (r, s), n in sorted(self.states.items())},
            "framing": {
                f"{d} {m}": self.framing[(d, m)]
                for d in ("request", "response")
                for m in FRAMINGS
                if (d, m) != ("request", "close-delimited")  # requests are never read until close
            },
            "switches": {k: self.switches[k] for k in SWITCH_OUTCOMES if self._can("switches")},
            "errors": {" | ".join(k): n for k, n in sorted(self.errors.items())},
            "masked": dict(sorted(self.masked.items())),
            "byte_streams": dict(sorted(self.byte_streams.items())),
        }


def render(table: dict[str, Any]) -> str:
    """The coverage table as text, for the terminal."""
    lines = [f"coverage ({table['examples']} examples)"]
    tr = table["transitions"]
    lines.append(f"  transitions reached {tr['reached']}/{tr['expected']}")
    for key, count in tr["counts"].items():
        lines.append(f"    {'ok ' if count else '-- '}{key:<45} {count}")
    if tr["missing"]:
        lines.append(f"    missing: {', '.join(tr['missing'])}")
    for title in ("framing", "switches", "masked", "byte_streams"):
        if table[title]:
            lines.append(
                f"  {title.replace('_', ' ')}: " + ", ".join(f"{k}={v}" for k, v in table[title].items())
            )
    lines.append(f"  states visited: {', '.join(table['states'])}")
    lines.append(f"  error paths: {len(table['errors'])}")
    for key, count in list(table["errors"].items())[:40]:
        lines.append(f"    {count:>6}  {key}")
    if len(table["errors"]) > 40:
        lines.append(f"    ... and {len(table['errors']) - 40} more")
    return "\n".join(lines)
