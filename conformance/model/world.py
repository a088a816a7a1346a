"""The lock-step world: an implementation's client/server pair driven beside the reference's, step by step.

Theory of operation: a model-checker run is a list of *actions*, plain data (``Action``):

    ("send", side, EventSpec)        side ("client"/"server") builds the event and sends it
    ("deliver", side, cuts)          the bytes ``side`` has sent so far reach its peer, cut at ``cuts``
    ("eof", side)                    the rest of ``side``'s bytes reach its peer, then EOF
    ("inject", side, data, cuts)     raw bytes from a peer we do not model (an HTTP/1.0 client, a
                                     mutated stream) reach ``side``
    ("cycle", side)                  side calls start_next_cycle()
    ("send_failed", side)            side calls send_failed()

``LockStep.apply`` (``conformance.model.lockstep``) runs one action in four worlds: the implementation
fed in the action's cuts (main), the implementation fed every delivery whole (shadow, for the split
invariant), the oracle (the reference, fed in the same cuts) and a cross-reading oracle (see "wire"
below). After every action each world drains both connections' ``next_event`` (gated by the oracle's
state, so all worlds make the same calls), and the invariants are checked:

    errors      only ProtocolError subclasses escape; send/start_next_cycle raise exactly when the
                oracle does, with the same class; ERROR is permanent
    pure-send   send() leaves the caller's event as it was
    wire        the bytes send() returns equal the oracle's (profile h11), and in every profile they
                read as the oracle's do: a fourth world, the oracle's pair, sends the oracle's events
                but carries the implementation's bytes, and its peer must see what the oracle's sees
    splits      the events, errors and states are the same whether the bytes came in pieces or whole
    round-trip  what a side receives equals what the oracle's side receives, and what its peer sent
                (Data merged, header names case-insensitive, token values too under rfc9112, Host
                first, automatic response headers Content-Length/Transfer-Encoding/Connection left
                to the oracle comparison)
    states      our_state, their_state, the 100-continue flag, their_http_version and trailing_data
                equal the oracle's, on both sides

A violation raises ``InvariantViolation``. Under the ``h11`` profile the oracle is the reference
modelling h11 0.16 (``conformance.oracle.as_profile``: every documented difference switched to h11's
behaviour at its rule), so documented differences are not violations and need no mask. An exception
outside the API contract is a crash, except where the oracle raised one of the same type in the same
step: only the h11 mode of a difference does (``request-when-server-not-idle``), the RFC reference never.

A ``World`` calls the implementation it holds directly; the model checker runs the implementation's
worlds where its executor runs calls (``conformance.model.lockstep``), and only the oracle's here.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from conformance.drive import (
    ErrorRecord,
    EventRecord,
    EventSpec,
    Snapshot,
    build_event,
    canon_events,
    data_grows,
    error_record,
    event_record,
    merge_data,
    message_class,
    snapshot,
    state_name,
    target_bytes,
)
from conformance.model.actions import Action, InvariantViolation
from conformance.strategies import cut

SIDES = ("client", "server")
PEER = {"client": "server", "server": "client"}
ROLE = {"client": "CLIENT", "server": "SERVER"}
# Headers a server Response gets from the writer's clean-up (docs/h11-behaviour.md §4.2): the round-trip
# self-check leaves them to the comparison with the oracle.
AUTOMATIC = frozenset({b"content-length", b"transfer-encoding", b"connection"})
MAX_DRAIN = 10_000
INVARIANTS = ("errors", "pure-send", "wire", "splits", "round-trip", "states")


# ---------------------------------------------------------------------------------------------
# Observations


@dataclass
class Observation:
    """What one world did in one action."""

    outcome: tuple[Any, ...] | None = None  # ("sent", bytes|None) | ("ok",) | ("error", ErrorRecord)
    pure: bool = True  # send() left the caller's event unchanged
    events: dict[str, tuple[EventRecord, ...]] = field(default_factory=dict)
    errors: dict[str, ErrorRecord | None] = field(default_factory=dict)
    snaps: dict[str, Snapshot] = field(default_factory=dict)


Hook = Callable[[str, str, EventRecord, dict[str, str], dict[str, str]], None]
"""(side, "send"/"recv", event record, states before, states after) for every event processed."""


def _states(api: Any, conn: Any) -> dict[str, str]:
    try:
        states = conn.states
        return {"CLIENT": state_name(states[api.CLIENT]), "SERVER": state_name(states[api.SERVER])}
    except Exception:  # an implementation without ``states``: coverage is only recorded for the oracle
        return {}


def _comparable(snap: Snapshot, side: str) -> Snapshot:
    """``snap`` (of ``side``'s connection) without what no contract fixes after an error.

    Once the peer is in ERROR: trailing_data and their_http_version (what is left unparsed after a
    rejection, how much of it was buffered, whether the version of a head that was then rejected was
    recorded; an accepted head's version is in its event, which round-trip compares, and in the states
    of the steps before). Once the client is in ERROR: the 100-continue flag (a client in ERROR sends no
    body, and whether a refused send cleared the flag depends on where the sender checked it).
    """
    changes: dict[str, Any] = {}
    if snap.their_state == "ERROR" and (snap.trailing is not None or snap.their_http_version is not None):
        changes.update(trailing=None, their_http_version=None)
    client_state = snap.our_state if side == "client" else snap.their_state
    if client_state == "ERROR" and snap.client_waiting_100:
        changes["client_waiting_100"] = False
    return dataclasses.replace(snap, **changes) if changes else snap


class World:
    """One implementation's client and server Connections and the bytes in flight between them."""

    def __init__(self, api: Any, *, whole: bool, hook: Hook | None = None, validates: bool = True) -> None:
        self.api = api
        self.whole = whole
        self.hook = hook
        # False for an oracle world standing for a target whose events validate nothing when built (no
        # "event-validation"): an event the oracle cannot build is refused by that target's send(), which
        # puts its side in ERROR (h11's contract), so here too (``send_failed``).
        self.validates = validates
        self.conns: dict[str, Any] = {}
        self.pipes: dict[str, bytes] = {"client": b"", "server": b""}  # bytes sent by side, not delivered
        self.eof: dict[str, bool] = {"client": False, "server": False}  # side's peer has seen EOF
        self.closed_seen: dict[str, bool] = {"client": False, "server": False}
        self.sent: dict[str, list[EventRecord]] = {"client": [], "server": []}
        self.received: dict[str, list[EventRecord]] = {"client": [], "server": []}  # by sender side
        self.setup_error: ErrorRecord | None = None
        try:
            self.conns = {"client": api.Connection(api.CLIENT), "server": api.Connection(api.SERVER)}
        except Exception as exc:
            self.setup_error = error_record(api, exc)

    # -- actions --------------------------------------------------------------------------------

    def act(self, action: Action, gate: dict[str, bool], wire: bytes | None = None) -> Observation:
        """Run one action, then drain both sides (those ``gate`` allows); never raises for the impl.

        ``wire``, when given, replaces the bytes this world's send() wrote in its pipe: the cross-reading
        world sends the oracle's events but carries the implementation's bytes to its peer.
        """
        obs = Observation()
        if self.setup_error is not None:
            obs.outcome = ("error", self.setup_error)
            return obs
        kind, side = action[0], action[1]
        if kind == "send":
            self._send(side, action[2], obs, wire)
        elif kind in ("cycle", "send_failed"):
            self._call(side, kind, obs)
        elif kind in ("deliver", "eof"):
            data, self.pipes[side] = self.pipes[side], b""
            eof = kind == "eof"
            pieces = [data] if (self.whole or eof) else cut(data, action[2])
            self._receive(PEER[side], pieces, eof, gate, obs)
            self.eof[side] = self.eof[side] or eof
        elif kind == "inject":
            pieces = [action[2]] if self.whole else cut(action[2], action[3])
            self._receive(side, pieces, False, gate, obs)
        else:
            from conformance.errors import HarnessError

            raise HarnessError(f"unknown model action {action!r}")
        for s in SIDES:
            if s not in obs.events:
                self._drain(s, gate, obs)
            obs.snaps[s] = _comparable(snapshot(self.conns[s]), s)
        return obs

    def _send(self, side: str, spec: EventSpec, obs: Observation, wire: bytes | None = None) -> None:
        conn = self.conns[side]
        before_states = _states(self.api, conn) if self.hook else {}
        try:
            event = build_event(self.api, spec)
        except Exception as exc:  # refused when built
            obs.outcome = ("error", error_record(self.api, exc))
            if not self.validates:
                conn.send_failed()
            return
        try:
            before = event_record(event)
            data = conn.send(event)
            obs.pure = event_record(event) == before
        except Exception as exc:  # the implementation's error is an observation
            obs.outcome = ("error", error_record(self.api, exc))
            return
        out = target_bytes(data, "send()'s result")
        obs.outcome = ("sent", out)
        carried = out if wire is None else wire
        if carried is not None and not self.eof[side]:
            self.pipes[side] += carried
        record = event_record(event)
        self.sent[side].append(record)
        if self.hook:
            self.hook(side, "send", record, before_states, _states(self.api, conn))

    def _call(self, side: str, name: str, obs: Observation) -> None:
        try:
            getattr(self.conns[side], "start_next_cycle" if name == "cycle" else name)()
        except Exception as exc:
            obs.outcome = ("error", error_record(self.api, exc))
            return
        obs.outcome = ("ok",)

    def _receive(
        self, side: str, pieces: list[bytes], eof: bool, gate: dict[str, bool], obs: Observation
    ) -> None:
        conn = self.conns[side]
        events: list[EventRecord] = []
        error: ErrorRecord | None = None
        try:
            for piece in pieces:
                if piece:
                    conn.receive_data(piece)
                if error is None and gate[side]:
                    error = self._drain_into(side, events)
            if eof:
                conn.receive_data(b"")
                if error is None and gate[side]:
                    error = self._drain_into(side, events)
        except Exception as exc:  # receive_data itself raised
            error = error_record(self.api, exc)
        obs.events[side] = merge_data(events)
        obs.errors[side] = error

    def _drain(self, side: str, gate: dict[str, bool], obs: Observation) -> None:
        events: list[EventRecord] = []
        error = self._drain_into(side, events) if gate[side] else None
        obs.events[side] = merge_data(events)
        obs.errors[side] = error

    def _drain_into(self, side: str, events: list[EventRecord]) -> ErrorRecord | None:
        """next_event until NEED_DATA, PAUSED or ConnectionClosed; returns the error that ended it."""
        api, conn = self.api, self.conns[side]
        for _ in range(MAX_DRAIN):
            before = _states(api, conn) if self.hook else {}
            try:
                event = conn.next_event()
            except Exception as exc:
                return error_record(api, exc)
            if event is api.NEED_DATA or event is api.PAUSED:
                return None
            record = event_record(event)
            events.append(record)
            if record[0] != "ConnectionClosed":
                self.received[PEER[side]].append(record)
            if self.hook:
                self.hook(side, "recv", record, before, _states(api, conn))
            if record[0] == "ConnectionClosed":
                self.closed_seen[side] = True
                return None
        return ("crash:EndlessEvents", None, f"next_event produced {MAX_DRAIN} events without pausing")

    def gate(self) -> dict[str, bool]:
        """Which sides may call next_event now: not after ConnectionClosed, not once the peer is ERROR."""
        out = {}
        for s in SIDES:
            conn = self.conns.get(s)
            out[s] = conn is not None and not self.closed_seen[s] and state_name(conn.their_state) != "ERROR"
        return out


# ---------------------------------------------------------------------------------------------
# Comparing worlds


def _fmt(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 400 else text[:400] + "..."


def _kind(outcome: tuple[Any, ...] | None) -> str | None:
    if outcome is None:
        return None
    return str(outcome[1][0] if outcome[0] == "error" else outcome[0])


def _error_kind(rec: ErrorRecord | None) -> str | None:
    return None if rec is None else rec[0]


def _host_first(headers: tuple[tuple[bytes, bytes], ...]) -> tuple[tuple[bytes, bytes], ...]:
    return tuple(h for h in headers if h[0] == b"host") + tuple(h for h in headers if h[0] != b"host")


def _requests_host_first(events: Any) -> tuple[EventRecord, ...]:
    """Request records with their Host lines moved first (other lines in order): where a sender puts
    Host is a SHOULD (RFC 9110 §7.2: "A user agent that sends Host SHOULD send it as the first field in
    the header section of a request"), so the wire invariant does not compare it."""
    return tuple((*rec[:3], _host_first(rec[3]), *rec[4:]) if rec[0] == "Request" else rec for rec in events)


def normalise(record: EventRecord) -> EventRecord:
    """A record as the peer should receive it: Host first; automatic headers dropped from Responses."""
    name = record[0]
    if name == "Request":
        return (name, record[1], record[2], _host_first(record[3]), record[4])
    if name in ("Response", "InformationalResponse"):
        headers = _host_first(record[2])
        if name == "Response":
            headers = tuple(h for h in headers if h[0] not in AUTOMATIC)
        return (name, record[1], headers, b"1.1", record[4])
    if name == "EndOfMessage":
        return (name, _host_first(record[1]))
    return record


def _same_reading(impl: World, oracle: World, sender: str) -> bool:
    """Both worlds' senders sent the same events and their peers received the same events."""
    norm = [list(merge_data(normalise(r) for r in w.sent[sender])) for w in (impl, oracle)]
    got = [list(merge_data(normalise(r) for r in w.received[sender])) for w in (impl, oracle)]
    return norm[0] == norm[1] and got[0] == got[1]


def consistent(sent: list[EventRecord], received: list[EventRecord]) -> str | None:
    """None if ``received`` is a prefix of ``sent`` (the last Data may be partial), else why not."""
    want = list(merge_data((normalise(r) for r in sent), chunks=False))
    got = list(merge_data((normalise(r) for r in received), chunks=False))
    if (
        len(got) == len(want) + 1
        and got[-1] == ("EndOfMessage", ())
        and (not want or want[-1][0] != "EndOfMessage")
    ):
        got.pop()  # a Content-Length body ends at its last byte, before the sender's EndOfMessage
    if len(got) > len(want):
        return f"received {len(got)} events but the peer sent {len(want)}: {_fmt(got[len(want) :])}"
    for i, (g, w) in enumerate(zip(got, want)):
        last = i == len(got) - 1
        if g == w or (last and data_grows(g, w)):
            continue
        return f"event {i}: sent {_fmt(w)}, received {_fmt(g)}"
    return None


def _without_chunk_start(obs: Observation) -> Observation:
    events = {side: merge_data(records, chunk_start=False) for side, records in obs.events.items()}
    return dataclasses.replace(obs, events=events)


@dataclass
class Checker:
    """The invariants, as comparisons of the three worlds' observations (see the module docstring)."""

    exact_wire: bool = True  # profile h11: byte parity; rfc9112: same events when the reference reads them
    error_sides: set[tuple[str, str]] = field(default_factory=set)  # (side, our/their) seen in ERROR
    tainted: set[str] = field(default_factory=set)  # directions (by sender) excluded from the self-check
    chunk_start: bool = True  # profile h11: Data.chunk_start is not compared (h11 loses it across calls)
    # Whether round-trip compares the implementation's sent and received events (off while a replay
    # walks the history: the implementation's lists are already those of the last step).
    self_check: bool = True

    def check(
        self,
        action: Action,
        impl: Any,
        io: Observation,
        so: Observation,
        ro: Observation,
        xo: Observation,
        oracle: World | None = None,
        wo: Observation | None = None,
    ) -> None:
        """Raise InvariantViolation for the first invariant the step broke (order: ``INVARIANTS``).

        ``xo`` is the cross-reading world: the oracle's events, carrying the implementation's bytes.
        ``oracle`` is the oracle's world: what it received under the choices in force is a round-trip
        too (a recipient that discards trailer fields does not receive what was sent). ``wo``, when
        given, is the oracle's observation under the default choices, which the wire invariant reads
        the sender with (a receiving choice must not excuse a sender).
        """
        if not self.chunk_start:
            io, so, ro, xo = (_without_chunk_start(o) for o in (io, so, ro, xo))
            wo = None if wo is None else _without_chunk_start(wo)
        wo = ro if wo is None else wo
        self._errors(action, io, so, ro)
        if not io.pure:
            raise InvariantViolation("pure-send", f"send({_fmt(action[2])}) changed the caller's event")
        sent = io.outcome and wo.outcome and io.outcome[0] == wo.outcome[0] == "sent"
        if self.exact_wire and sent and io.outcome and wo.outcome and io.outcome[1] != wo.outcome[1]:
            raise InvariantViolation(
                "wire", f"send({_fmt(action[2])}) wrote {_fmt(io.outcome[1])}, oracle {_fmt(wo.outcome[1])}"
            )
        for s in SIDES:
            read = (_requests_host_first(xo.events[s]), _error_kind(xo.errors[s]))
            if read != (_requests_host_first(wo.events[s]), _error_kind(wo.errors[s])):
                raise InvariantViolation(
                    "wire",
                    f"the reference reads the implementation's bytes as {_fmt(read)} on the {s} side, "
                    f"the oracle's as {_fmt((wo.events[s], _error_kind(wo.errors[s])))}",
                )
        for s in SIDES:
            main = (io.events[s], _error_kind(io.errors[s]), io.snaps[s])
            whole = (so.events[s], _error_kind(so.errors[s]), so.snaps[s])
            if main != whole:
                raise InvariantViolation("splits", f"{s} in pieces: {_fmt(main)}; whole: {_fmt(whole)}")
        self._round_trip(action, impl, io, ro, oracle)
        for s in SIDES:
            ie, re_ = io.errors[s], ro.errors[s]
            if _error_kind(ie) != _error_kind(re_):
                raise InvariantViolation("errors", f"{s} next_event raised {_fmt(ie)}, oracle {_fmt(re_)}")
        self._states(io, ro)

    def _errors(self, action: Action, io: Observation, so: Observation, ro: Observation) -> None:
        for obs in (io, so):
            records = [obs.outcome[1]] if obs.outcome and obs.outcome[0] == "error" else []
            records += [e for e in obs.errors.values() if e]
            oracle_kinds = {r[0] for r in ro.errors.values() if r}
            if ro.outcome and ro.outcome[0] == "error":
                oracle_kinds.add(ro.outcome[1][0])
            for rec in records:
                if rec[0].startswith("crash:") and rec[0] not in oracle_kinds:
                    raise InvariantViolation(
                        "errors", f"{action[0]} on {action[1]}: {rec[0][6:]}: {rec[2]}", crash=True
                    )
        if _kind(io.outcome) != _kind(ro.outcome):
            raise InvariantViolation(
                "errors", f"{action[0]} on {action[1]}: got {_fmt(io.outcome)}, oracle {_fmt(ro.outcome)}"
            )

    def _round_trip(
        self, action: Action, impl: Any, io: Observation, ro: Observation, oracle: World | None = None
    ) -> None:
        for s in SIDES:
            # Host first (a SHOULD); under rfc9112 a token value's case is not significant either.
            got, want = _requests_host_first(io.events[s]), _requests_host_first(ro.events[s])
            if not self.exact_wire:
                got, want = canon_events(got), canon_events(want)
            if got != want:
                raise InvariantViolation(
                    "round-trip", f"{s} received {_fmt(io.events[s])}, oracle {_fmt(ro.events[s])}"
                )
        if action[0] == "inject":
            self.tainted.add(PEER[action[1]])
        if action[0] == "send_failed" or (io.outcome and io.outcome[0] == "error"):
            self.tainted.add(action[1])
        for s in SIDES:
            if io.errors[s]:
                self.tainted.add(PEER[s])
        for sender in SIDES:
            if sender in self.tainted or not self.self_check:
                continue
            why = consistent(impl.sent[sender], impl.received[sender])
            if why and oracle is not None and _same_reading(impl, oracle, sender):
                why = None  # the oracle, under the choices in force, received the same from the same events
            if why:
                raise InvariantViolation("round-trip", f"{sender} -> {PEER[sender]}: {why}")

    def _states(self, io: Observation, ro: Observation) -> None:
        for s in SIDES:
            if io.snaps[s] != ro.snaps[s]:
                raise InvariantViolation("states", f"{s}: {_fmt(io.snaps[s])}, oracle {_fmt(ro.snaps[s])}")
            for which in ("our", "their"):
                state = getattr(io.snaps[s], f"{which}_state")
                if state == "ERROR":
                    self.error_sides.add((s, which))
                elif (s, which) in self.error_sides:
                    raise InvariantViolation("states", f"{s} {which}_state left ERROR for {state}")


# ---------------------------------------------------------------------------------------------
# The lock-step driver


def error_path(where: str, rec: ErrorRecord) -> tuple[str, str, str]:
    """A coverage key for an error: (where, class, the message up to its first variable part)."""
    return (where, rec[0], message_class(rec[2]))
