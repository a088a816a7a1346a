"""The case model: one frozen record per catalog entry, and the outcomes a case accepts.

Theory of operation: a ``Case`` is data. It names the RFC sentence it checks, the
requirement level, the role the implementation under test plays, and its input: ``wire`` bytes, fed
with ``conformance.drive.feed`` under every split variant, a ``script`` of ``conformance.drive`` steps run
by ``run_script``, or ``probes``: calls on the event API itself (``drive.run_probes``), whose results an
``Accept(events=...)`` lists in order. ``expect`` is the set of outcomes that conform under the ``rfc9112``
profile;
``h11_expect``, when h11 0.16 documentedly behaves otherwise, is what the ``h11`` profile accepts instead,
and ``difference`` names the entry of ``conformance.reference.differences`` (or the documented h11
leniency) that explains why.

An outcome is one of three shapes:

- ``Reject(kind, status_hint)``: the implementation raised that ProtocolError subclass (for byte cases, from
  ``next_event``; for scripts, at the first step that failed), optionally with that ``error_status_hint``,
  after exactly ``events`` (when given) and ending in ``states`` (when given);
- ``Accept(events, states, wire)``: no error; the events received (adjacent Data merged), the final snapshot
  fields and the bytes sent are as given, each only when not None. ``wire_has`` / ``wire_lacks`` check
  substrings of the bytes sent, and ``wire_once`` ones that appear exactly once, for send-side rules that do
  not fix the exact serialisation;
- ``Either(*outcomes)``: any of them (a MAY leniency, or "reject or replace with SP").

The small builders at the bottom (``req``, ``resp``, ``data``...) spell drive event records, so that
expectations read like the events they describe.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping
from typing import Any

from conformance.drive import EventRecord, EventSpec, Probe, Step
from conformance.errors import HarnessError
from conformance.verdict import Level

RPE = "RemoteProtocolError"
LPE = "LocalProtocolError"
ROLES = ("server", "client")
SNAPSHOT_FIELDS = frozenset(
    {"our_state", "their_state", "client_waiting_100", "their_http_version", "trailing"}
)
_ID = re.compile(r"^(9110|9112|h11)/[0-9A-Za-z.]+/[a-z0-9][a-z0-9-]*$")


@dataclasses.dataclass(frozen=True)
class Reject:
    """The implementation refuses: a ProtocolError subclass (``kind``) with an optional status hint."""

    kind: str = RPE
    status_hint: int | None = None
    events: tuple[EventRecord, ...] | None = None  # events delivered before the error, if pinned
    states: Mapping[str, Any] | None = None  # snapshot fields after the error, if pinned

    def describe(self) -> str:
        """One line for people."""
        hint = "" if self.status_hint is None else f" ({self.status_hint})"
        extra = "" if self.events is None else f" after {describe_events(self.events)}"
        return f"reject {self.kind}{hint}{extra}{_describe_states(self.states)}"


@dataclasses.dataclass(frozen=True)
class Accept:
    """The implementation accepts; each field that is not None must match what it did."""

    events: tuple[EventRecord, ...] | None = None
    states: Mapping[str, Any] | None = None
    wire: bytes | None = None
    wire_has: tuple[bytes, ...] = ()
    wire_lacks: tuple[bytes, ...] = ()
    wire_once: tuple[bytes, ...] = ()  # each exactly once in the bytes sent (never duplicated by a rewrite)

    def describe(self) -> str:
        """One line for people."""
        parts = ["accept"]
        if self.events is not None:
            parts.append(describe_events(self.events))
        if self.wire is not None:
            parts.append(f"sending {self.wire!r}")
        parts.extend(f"sending {w!r}" for w in self.wire_has)
        parts.extend(f"never sending {w!r}" for w in self.wire_lacks)
        parts.extend(f"sending {w!r} exactly once" for w in self.wire_once)
        return " ".join(parts) + _describe_states(self.states)


class Either:
    """Any one of several outcomes conforms (e.g. reject, or replace obs-fold with SP)."""

    __slots__ = ("outcomes",)

    def __init__(self, *outcomes: Outcome) -> None:
        if not outcomes:
            raise HarnessError("Either() needs at least one outcome")
        flat: list[Reject | Accept] = []
        for o in outcomes:
            flat.extend(o.outcomes if isinstance(o, Either) else (o,))
        self.outcomes: tuple[Reject | Accept, ...] = tuple(flat)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Either) and other.outcomes == self.outcomes

    def __hash__(self) -> int:
        return hash(self.outcomes)

    def __repr__(self) -> str:
        return f"Either{self.outcomes!r}"

    def __reduce__(self) -> tuple[Any, ...]:
        return (Either, self.outcomes)

    def describe(self) -> str:
        """One line for people."""
        return " | ".join(o.describe() for o in self.outcomes)


Outcome = Reject | Accept | Either


def alternatives(outcome: Outcome) -> tuple[Reject | Accept, ...]:
    """The flat tuple of acceptable outcomes."""
    return outcome.outcomes if isinstance(outcome, Either) else (outcome,)


@dataclasses.dataclass(frozen=True)
class Case:
    """One catalog entry (see the module docstring)."""

    id: str
    rfc: str
    level: Level
    sentence: str
    role: str
    expect: Outcome
    wire: bytes | None = None
    script: tuple[Step, ...] | None = None
    h11_expect: Outcome | None = None
    difference: str | None = None
    vectors: tuple[int, ...] = ()
    needs: frozenset[str] = frozenset()
    note: str = ""
    eof: bool = True  # byte cases: end the stream with EOF (complete input; NEED_DATA is then a stall)
    request: EventSpec | None = None  # client byte cases: the request sent first (default GET /)
    # Byte cases: the expected rejection may wait for EOF: it comes from EOF itself (a truncated message), or
    # from a numeral an implementation may read and then wait on. Otherwise a rejection must already happen
    # without EOF, at the case's level.
    eof_rejects: bool = False
    probes: tuple[Probe, ...] | None = None  # API cases: calls on the event API (``drive.run_probes``)
    chunk_flags_graded: bool = (
        False  # Data.chunk_start / chunk_end are graded (else cleared before comparing)
    )

    def __post_init__(self) -> None:
        if not _ID.match(self.id):
            raise HarnessError(f"bad case id {self.id!r}: use <rfc>/<section>/<slug>")
        if self.role not in ROLES:
            raise HarnessError(f"{self.id}: role must be one of {ROLES}")
        if sum(x is not None for x in (self.wire, self.script, self.probes)) != 1:
            raise HarnessError(f"{self.id}: give exactly one of wire, script and probes")
        if (self.h11_expect is None) != (self.difference is None):
            raise HarnessError(f"{self.id}: h11_expect and difference go together")
        for alt in alternatives(self.expect) + alternatives(self.h11_expect or self.expect):
            states = alt.states or {}
            if set(states) - SNAPSHOT_FIELDS:
                raise HarnessError(
                    f"{self.id}: unknown snapshot fields {sorted(set(states) - SNAPSHOT_FIELDS)}"
                )

    @property
    def requires(self) -> frozenset[str]:
        """Every capability the case needs: ``needs``, parsing for the role when it receives bytes, and
        "request-context" for a client byte case whose request is not a GET."""
        receives = self.wire is not None or any(step[0] in ("recv", "eof") for step in self.script or ())
        if not receives:
            return self.needs
        needs = self.needs | {"parse-requests" if self.role == "server" else "parse-responses"}
        if self.wire is not None and self.request is not None and self.request[1].get("method") != b"GET":
            # How a response is read depends on the request's method (HEAD, CONNECT): the target must be
            # told it, by sending the request or through the adapter hook.
            needs |= {"request-context"}
        return needs

    @property
    def section(self) -> str:
        """The ``<rfc>/<section>`` part of the id."""
        return self.id.rsplit("/", 1)[0]

    def expected(self, profile: str) -> Outcome:
        """The acceptable outcomes under ``profile`` ("rfc9112" or "h11")."""
        if profile == "h11" and self.h11_expect is not None:
            return self.h11_expect
        return self.expect


# ------------------------------------------------------------------------------------------------
# Describing records for people


def describe_event(rec: EventRecord) -> str:
    """``Request(GET /)``, ``Data(b'abc')``, ``EndOfMessage(trailers=1)``..."""
    name = rec[0]
    if name == "Request":
        return (
            f"Request({rec[1].decode('latin-1')} {rec[2].decode('latin-1')} HTTP/{rec[4].decode('latin-1')})"
        )
    if name in ("Response", "InformationalResponse"):
        return f"{name}({rec[1]})"
    if name == "Data":
        shown = rec[1] if len(rec[1]) <= 24 else rec[1][:20] + b"..."
        flags = "".join(f", {flag}" for flag, on in zip(("chunk_start", "chunk_end"), rec[2:]) if on)
        return f"Data({shown!r}, {len(rec[1])} bytes{flags})"
    if name == "EndOfMessage":
        return f"EndOfMessage(trailers={len(rec[1])})" if rec[1] else "EndOfMessage"
    return name if len(rec) == 1 else f"{name}{rec[1:]!r}"


def describe_events(events: tuple[EventRecord, ...]) -> str:
    """The events as one comma-separated line ("no events" when empty)."""
    return "[" + ", ".join(describe_event(e) for e in events) + "]" if events else "no events"


def _describe_states(states: Mapping[str, Any] | None) -> str:
    if not states:
        return ""
    return " with " + ", ".join(f"{k}={v}" for k, v in sorted(states.items()))


# ------------------------------------------------------------------------------------------------
# Builders for event records and event specs

Headers = tuple[tuple[bytes, bytes], ...]
HOST: Headers = ((b"host", b"a"),)


def _lower(headers: Headers) -> Headers:
    return tuple((n.lower(), v) for n, v in headers)


def req(
    method: bytes = b"GET", target: bytes = b"/", headers: Headers = HOST, version: bytes = b"1.1"
) -> EventRecord:
    """The record of a received Request."""
    return ("Request", method, target, _lower(headers), version)


def resp(
    status: int = 200, headers: Headers = (), reason: bytes = b"", version: bytes = b"1.1"
) -> EventRecord:
    """The record of a received Response (or InformationalResponse for 1xx)."""
    name = "InformationalResponse" if status < 200 else "Response"
    return (name, status, _lower(headers), version, reason)


def data(payload: bytes, chunk_start: bool = False, chunk_end: bool = False) -> EventRecord:
    """The record of received body bytes (adjacent Data are merged within one chunk)."""
    return ("Data", payload, chunk_start, chunk_end)


def chunk(payload: bytes) -> EventRecord:
    """The record of one whole received chunk: its data with ``chunk_start`` and ``chunk_end`` set."""
    return ("Data", payload, True, True)


def eom(trailers: Headers = ()) -> EventRecord:
    """The record of EndOfMessage, with trailers."""
    return ("EndOfMessage", _lower(trailers))


CLOSED: EventRecord = ("ConnectionClosed",)


def ev(name: str, **kwargs: Any) -> EventSpec:
    """An event spec for a script's send step."""
    return (name, kwargs)
