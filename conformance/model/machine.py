"""The Hypothesis rule-based state machine that generates lock-step actions.

Theory of operation: the machine holds one ``LockStep`` (the implementation's client/server pair, its
whole-fed shadow and the oracle's pair) and every rule appends one or two actions to it. Rules are gated
with ``@precondition`` on the *oracle's* state, never on the implementation's and never with ``assume``:

    client_request / client_data / client_end        the client's message (legal in the oracle's state)
    server_info / server_response / server_data / server_end
    deliver                                          bytes in flight reach the peer, cut anywhere
                                                     (half of the time also a few bytes into a line)
    cycle                                            start_next_cycle() where the oracle allows it
    close                                            ConnectionClosed, then EOF at the peer
    inject                                           raw bytes from a peer we do not model: HTTP/1.0
                                                     requests, mutated streams, responses to a client
    chaos                                            anything, legal or not: any event from any side,
                                                     start_next_cycle, send_failed, EOF

What the rules draw is what the target can do: the request and event strategies take its capabilities
(``conformance.strategies.NEEDS``: no Upgrade/CONNECT request or 101 without "protocol-switch", no
100-continue expectation without "100-continue"), and rules needing more never fire (``RULE_NEEDS``).

Bodies follow a plan (the Content-Length just sent) most of the time, so framing is exercised beyond
the first Data; the rest of the time the size is arbitrary (too much, too little).

Every invariant lives in ``LockStep``; the machine adds only the bookkeeping that turns a violation into a
replayable reproduction: the violation carries the action list (``violation.steps``) of the example that
raised it, which after Hypothesis has shrunk is the minimal one.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field
from typing import Any

from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, precondition, rule

from conformance import strategies as gen
from conformance.drive import EventSpec
from conformance.model.actions import Action, InvariantViolation
from conformance.model.coverage import Coverage
from conformance.model.lockstep import LockStep
from conformance.model.world import SIDES
from conformance.targets.capabilities import ALL_CAPABILITIES, EVENT_VALIDATION, PROTOCOL_SWITCH, SEND_FAILED

_DIGITS = re.compile(rb"^[0-9]{1,9}$")


@dataclass
class RunStats:
    """Shared across the examples of one Hypothesis run."""

    examples: int = 0
    first_failure: int | None = None  # example number of the first violation (time to find)
    ignore: frozenset[str] = frozenset()  # invariants already reported: stop comparing instead of failing
    ignored: dict[str, int] = field(default_factory=dict)


def _length(spec: EventSpec) -> int | None:
    """The body length a Request/Response spec declares, if plainly a Content-Length; else None."""
    headers = [(bytes(n).lower(), bytes(v)) for n, v in spec[1].get("headers", ())]
    names = {n for n, _ in headers}
    if b"transfer-encoding" in names:
        return None
    values = [v for n, v in headers if n == b"content-length"]
    if len(values) == 1 and _DIGITS.match(values[0]):
        return int(values[0])
    return None if spec[0] == "Response" else 0


def _line_cut(data: st.DataObject, stream: bytes, cuts: tuple[int, ...]) -> tuple[int, ...]:
    """``cuts``, half of the time plus one cut 1-3 bytes into a line of ``stream`` (a chunk-size, a
    field name, the status line), where random offsets over a long stream rarely land. The result is
    still plain offsets, so the action replays without the machine."""
    if len(stream) < 3 or not data.draw(st.booleans(), label="line cut"):
        return cuts
    starts = [0, *(i + 1 for i, byte in enumerate(stream[:-1]) if byte == 0x0A)]
    at = data.draw(st.sampled_from(starts), label="line") + data.draw(st.integers(1, 3), label="into")
    return tuple(sorted({*cuts, at})) if at < len(stream) else cuts


# The rules (and chaos moves) that need a capability beyond the machine's own (check.MACHINE_NEEDS): on a
# target without it they never fire, and run_model reports them as skipped with the reason.
RULE_NEEDS: dict[str, frozenset[str]] = {
    "switch": frozenset({PROTOCOL_SWITCH}),
    "chaos:send_failed": frozenset({SEND_FAILED}),
}


@dataclasses.dataclass(frozen=True)
class MachineConfig:
    """What one model run checks: the implementation, the oracle, the masking rule and the counters."""

    impl_api: Any
    oracle_api: Any
    coverage: Coverage
    stats: RunStats
    profile: str = "rfc9112"
    capabilities: frozenset[str] = ALL_CAPABILITIES  # the target's: rules needing more never fire

    def can(self, rule: str) -> bool:
        """Whether ``rule`` may fire on this target (``RULE_NEEDS``)."""
        return RULE_NEEDS.get(rule, frozenset()) <= self.capabilities

    def explain_or_ignore(self, violation: InvariantViolation) -> str | None:
        """The mask for ``violation``: an invariant already reported (counted), else None."""
        name = None
        if violation.invariant in self.stats.ignore:
            ignored = self.stats.ignored
            ignored[violation.invariant] = ignored.get(violation.invariant, 0) + 1
            return f"reported:{violation.invariant}"
        return name


class ModelMachine(RuleBasedStateMachine):
    """Client/server pair of the implementation, in lock-step with the oracle's pair.

    The class is abstract: ``make_machine`` subclasses it with a ``MachineConfig`` (what to check,
    against what, and where to count), which is what Hypothesis runs.
    """

    config: MachineConfig

    def __init__(self) -> None:
        super().__init__()
        config, stats = self.config, self.config.stats
        stats.examples += 1
        config.coverage.examples = stats.examples
        self.world = LockStep(
            config.impl_api,
            config.oracle_api,
            explain=config.explain_or_ignore,
            coverage=config.coverage,
            profile=config.profile,
            validates=EVENT_VALIDATION in config.capabilities,
        )
        self.remaining: dict[str, int | None] = {"client": None, "server": None}
        self.method = b""

    # -- plumbing -----------------------------------------------------------------------------

    def _do(self, action: Action) -> None:
        try:
            self.world.apply(action)
        except InvariantViolation as violation:
            violation.steps = list(self.world.history)  # type: ignore[attr-defined]
            stats = self.config.stats
            if stats.first_failure is None:
                stats.first_failure = stats.examples
            raise

    def _our(self, side: str) -> str:
        return self.world.state(side)[0]

    def _pending(self) -> list[str]:
        ref = self.world.ref
        return [s for s in SIDES if ref.pipes[s] and not ref.eof[s]]

    def _send(self, side: str, spec: EventSpec) -> None:
        self._do(("send", side, spec))

    def _body(self, side: str, data: st.DataObject) -> None:
        remaining = self.remaining[side]
        if remaining is not None and data.draw(st.integers(0, 5)) > 0:
            size = data.draw(st.one_of(st.just(remaining), st.integers(0, remaining)), label="size")
            self.remaining[side] = remaining - size
            self._send(side, data.draw(gen.data_specs(size=size)))
        else:
            self._send(side, data.draw(gen.data_specs()))

    def _end(self, side: str, data: st.DataObject) -> None:
        chunked = self.remaining[side] is None
        spec = (
            data.draw(gen.end_specs(valid=True))
            if chunked or data.draw(st.integers(0, 9)) == 0
            else ("EndOfMessage", {})
        )
        self._send(side, spec)

    # -- the client's message -----------------------------------------------------------------

    @precondition(lambda self: self._our("client") == "IDLE")
    @rule(data=st.data())
    def client_request(self, data: st.DataObject) -> None:
        spec = data.draw(gen.request_specs(valid=True, capabilities=self.config.capabilities), label="spec")
        self.remaining["client"] = _length(spec)
        self.method = bytes(spec[1].get("method", b""))
        self._send("client", spec)

    @precondition(lambda self: self._our("client") == "SEND_BODY")
    @rule(data=st.data())
    def client_data(self, data: st.DataObject) -> None:
        self._body("client", data)

    @precondition(lambda self: self._our("client") == "SEND_BODY")
    @rule(data=st.data())
    def client_end(self, data: st.DataObject) -> None:
        self._end("client", data)

    # -- the server's message -----------------------------------------------------------------

    @precondition(lambda self: self._our("server") == "SEND_RESPONSE")
    @rule(data=st.data())
    def server_info(self, data: st.DataObject) -> None:
        capabilities = self.config.capabilities
        self._send("server", data.draw(gen.informational_specs(valid=True, capabilities=capabilities)))

    @precondition(lambda self: self._our("server") == "SEND_RESPONSE")
    @rule(spec=gen.response_specs(valid=True))
    def server_response(self, spec: EventSpec) -> None:
        status = spec[1].get("status_code")
        bodiless = self.method == b"HEAD" or status in (204, 304)
        self.remaining["server"] = 0 if bodiless else _length(spec)
        self._send("server", spec)

    @precondition(lambda self: self._our("server") == "SEND_BODY")
    @rule(data=st.data())
    def server_data(self, data: st.DataObject) -> None:
        self._body("server", data)

    @precondition(lambda self: self._our("server") == "SEND_BODY")
    @rule(data=st.data())
    def server_end(self, data: st.DataObject) -> None:
        self._end("server", data)

    @precondition(
        lambda self: (
            self.config.can("switch")
            and self.world.state("server") == ("SEND_RESPONSE", "MIGHT_SWITCH_PROTOCOL")
        )
    )
    @rule(accept=st.booleans(), status=st.sampled_from((200, 400, 404)))
    def switch(self, accept: bool, status: int) -> None:
        """Accept or deny the pending Upgrade/CONNECT proposal."""
        if accept and self.method == b"CONNECT":
            spec: EventSpec = ("Response", {"status_code": 200, "headers": []})
        elif accept:
            spec = (
                "InformationalResponse",
                # RFC 9110 §7.8: the sender of Upgrade MUST also send the "upgrade" connection option.
                {"status_code": 101, "headers": [(b"Upgrade", b"websocket"), (b"Connection", b"upgrade")]},
            )
        else:
            spec = ("Response", {"status_code": status, "headers": [(b"Content-Length", b"0")]})
        self.remaining["server"] = 0
        self._send("server", spec)

    # -- the wire -----------------------------------------------------------------------------

    @precondition(lambda self: bool(self._pending()))
    @rule(data=st.data(), cuts=gen.splits())
    def deliver(self, data: st.DataObject, cuts: tuple[int, ...]) -> None:
        side = data.draw(st.sampled_from(self._pending()), label="from")
        self._do(("deliver", side, _line_cut(data, self.world.ref.pipes[side], cuts)))

    @precondition(
        lambda self: any(self.world.state(s) == ("DONE", "DONE") for s in SIDES) and not self._pending()
    )
    @rule(data=st.data())
    def cycle(self, data: st.DataObject) -> None:
        sides = [s for s in SIDES if self.world.state(s) == ("DONE", "DONE")]
        self._do(("cycle", data.draw(st.sampled_from(sides), label="side")))

    @precondition(lambda self: any(self._our(s) in ("DONE", "MUST_CLOSE", "CLOSED") for s in SIDES))
    @rule(data=st.data())
    def close(self, data: st.DataObject) -> None:
        sides = [s for s in SIDES if self._our(s) in ("DONE", "MUST_CLOSE", "CLOSED")]
        side = data.draw(st.sampled_from(sides), label="side")
        self._send(side, ("ConnectionClosed", {}))
        if not self.world.ref.eof[side]:
            self._do(("eof", side))

    @precondition(
        lambda self: any(
            self.world.state(s)[1] in ("IDLE", "SEND_RESPONSE")
            and not self.world.ref.pipes[{"client": "server", "server": "client"}[s]]
            and not self.world.ref.eof[{"client": "server", "server": "client"}[s]]
            for s in SIDES
        )
    )
    @rule(data=st.data(), cuts=gen.splits())
    def inject(self, data: st.DataObject, cuts: tuple[int, ...]) -> None:
        peer = {"client": "server", "server": "client"}
        sides = [
            s
            for s in SIDES
            if self.world.state(s)[1] in ("IDLE", "SEND_RESPONSE")
            and not self.world.ref.pipes[peer[s]]
            and not self.world.ref.eof[peer[s]]
        ]
        side = data.draw(st.sampled_from(sides), label="to")
        stream = gen.request_streams() if side == "server" else gen.response_streams()
        raw = data.draw(stream, label="bytes")
        self._do(("inject", side, raw, _line_cut(data, raw, cuts)))

    @rule(data=st.data())
    def chaos(self, data: st.DataObject) -> None:
        side = data.draw(st.sampled_from(SIDES), label="side")
        extra = ("send_failed",) if self.config.can("chaos:send_failed") else ()
        what = data.draw(st.sampled_from(("send",) * 6 + ("cycle", "eof", *extra)))
        if what == "send":
            self._send(side, data.draw(gen.any_event_specs(self.config.capabilities), label="event"))
        elif what == "eof":
            if not self.world.ref.eof[side]:
                self._do(("eof", side))
        else:
            self._do((what, side))


def make_machine(
    impl_api: Any,
    oracle_api: Any,
    *,
    coverage: Coverage,
    stats: RunStats,
    profile: str = "rfc9112",
    capabilities: frozenset[str] = ALL_CAPABILITIES,
) -> type[RuleBasedStateMachine]:
    """A ``ModelMachine`` subclass checking ``impl_api`` against ``oracle_api`` (see module docstring)."""
    config = MachineConfig(impl_api, oracle_api, coverage, stats, profile, capabilities)
    return type("ModelMachine", (ModelMachine,), {"config": config})
