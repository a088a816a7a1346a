"""Drive any h11-API implementation and record what it did, in a form that compares across implementations.

Theory of operation: the catalog, the model checker, the fuzz targets and the differential tests all ask the
same question of an implementation: "given these bytes (in these pieces) or these steps, what events, errors
and states came out?" This module answers it once.

- ``event_record`` turns an event object of *any* implementation into a plain tuple (class name and fields,
  header names lowercased, bytes for bytes-like fields), so events from h11, the reference and an adapter
  compare with ``==``, pickle across worker processes and print readably.
- ``feed`` feeds a byte stream in the given pieces to a fresh ``Connection`` (a client first sends the
  request the responses answer, or, without ``send``, is told its method through the adapter hook
  ``h11spec_expect_response_to``) and drains ``next_event`` after each piece, replying to complete messages
  to get past PAUSED (server: a 200 with Content-Length 0, then ``start_next_cycle``; client:
  ``start_next_cycle`` and the same request again), so pipelined streams are read to the end. Adjacent Data
  events are merged within one chunk (``merge_data``), so every split of the same bytes must give the same
  ``Trace`` (README, "Contracts"), chunk flags included.
- ``run_script`` interprets an event script (send, receive, EOF, next cycle, send_failed) and records the
  outcome of every step with a snapshot of the connection's state after it.

Everything returned is made of tuples, bytes, ints and strings: picklable and hashable. Nothing here raises
because of the implementation: its exceptions become ``error`` records whose ``kind`` is the contract class
(``RemoteProtocolError``, ``LocalProtocolError``) or ``crash:<TypeName>`` for anything else. An
exception that came from the harness's own code, not the implementation
(``conformance.targets.executor.harness_origin``), is re-raised as ``HarnessError`` instead, so that no
engine can mistake it for the target's outcome.
"""

from __future__ import annotations

import dataclasses
import itertools
import random
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

from conformance.errors import HarnessError, rule_of
from conformance.targets.capabilities import RESPONSE_TO_HOOK
from conformance.targets.executor import TargetFault, describe_exception, harness_origin

EventRecord = tuple[Any, ...]
"""("Request", method, target, headers, http_version) | ("Response"/"InformationalResponse", status_code,
headers, http_version, reason) | ("Data", data, chunk_start, chunk_end) | ("EndOfMessage", headers) |
("ConnectionClosed",) | ("NEED_DATA",) | ("PAUSED",); headers are tuples of (lowercase name, value) bytes
pairs."""

ErrorRecord = tuple[str, Any, str]
"""(kind, error_status_hint or None, message); kind is "RemoteProtocolError", "LocalProtocolError" or
"crash:<TypeName>"."""

EventSpec = tuple[str, dict[str, Any]]
"""An event to build in whatever implementation runs the step: (class name, keyword arguments)."""

# How many events one drain may produce before the implementation is deemed to loop forever.
MAX_EVENTS = 100_000
# A reply that gets a server past PAUSED: the smallest complete response.
REPLY_RESPONSE: EventSpec = ("Response", {"status_code": 200, "headers": [(b"Content-Length", b"0")]})
CONNECT_REPLY: EventSpec = ("Response", {"status_code": 200, "headers": []})
DEFAULT_REQUEST: EventSpec = ("Request", {"method": b"GET", "target": b"/", "headers": [(b"Host", b"a")]})


def _headers(headers: Iterable[Any]) -> tuple[tuple[bytes, bytes], ...]:
    return tuple((bytes(name).lower(), bytes(value)) for name, value in headers)


def _request(ev: Any) -> EventRecord:
    return ("Request", bytes(ev.method), bytes(ev.target), _headers(ev.headers), bytes(ev.http_version))


def _response(ev: Any) -> EventRecord:
    return (
        type(ev).__name__,
        int(ev.status_code),
        _headers(ev.headers),
        bytes(ev.http_version),
        bytes(ev.reason),
    )


def _data(ev: Any) -> EventRecord:
    return (
        "Data",
        bytes(ev.data),
        bool(getattr(ev, "chunk_start", False)),
        bool(getattr(ev, "chunk_end", False)),
    )


def _end_of_message(ev: Any) -> EventRecord:
    return ("EndOfMessage", _headers(ev.headers))


def _closed(ev: Any) -> EventRecord:
    return ("ConnectionClosed",)


_RECORDERS: dict[str, Callable[[Any], EventRecord]] = {
    "Request": _request,
    "InformationalResponse": _response,
    "Response": _response,
    "Data": _data,
    "EndOfMessage": _end_of_message,
    "ConnectionClosed": _closed,
}


def event_record(event: Any) -> EventRecord:
    """A plain, comparable tuple for an event (or the NEED_DATA/PAUSED sentinels) of any implementation.

    Returns:
        The record; an object this module does not know becomes ("?", its type name, its repr).
    Raises:
        TargetFault: the event's fields are not what the h11 API promises (the target's crash).
    """
    name = getattr(event, "__name__", None) if isinstance(event, type) else type(event).__name__
    recorder = _RECORDERS.get(name or "")
    if recorder is not None and not isinstance(event, type):
        try:
            return recorder(event)
        except Exception as exc:  # the event's fields break the API (data not bytes...): the target's fault
            raise TargetFault(f"malformed {name} event: {describe_exception(exc)}") from exc
    if name in ("NEED_DATA", "PAUSED"):
        return (name,)
    try:
        text = repr(event)[:200]
    except Exception as exc:
        raise TargetFault(f"an object whose repr fails: {describe_exception(exc)}") from exc
    return ("?", type(event).__name__, text)


def merge_data(
    records: Iterable[EventRecord], *, chunks: bool = True, chunk_start: bool = True
) -> tuple[EventRecord, ...]:
    """The one normalisation of received events: adjacent Data merged within one chunk; empty Data dropped.

    A received chunked body marks its chunk boundaries with ``chunk_start`` / ``chunk_end``, so two Data
    are merged only when the first does not end a chunk and the second does not start one; the merged
    record starts like the first and ends like the last. Every split of the same bytes must then give the
    same records, flags included. With ``chunks=False`` the flags are dropped first (both False) and all
    adjacent Data merge: the view for comparing what one side sent (the flags of a sent Data mean nothing
    on the wire) with what the other side received. With ``chunk_start=False`` only chunk_start is dropped:
    the h11 profile's view (h11 0.16 loses it when a chunk-size line arrives alone).
    """
    out: list[EventRecord] = []
    for rec in records:
        if rec[0] == "Data":
            if not rec[1]:
                continue
            if not chunks or not chunk_start:
                rec = ("Data", rec[1], False, rec[3] and chunks)
            if out and out[-1][0] == "Data" and not out[-1][3] and not rec[2]:
                out[-1] = ("Data", out[-1][1] + rec[1], out[-1][2], rec[3])
                continue
        out.append(rec)
    return tuple(out)


def data_grows(short: EventRecord, long: EventRecord) -> bool:
    """True when Data record ``long`` continues ``short``: more bytes of the same run, the same start."""
    return bool(short[0] == long[0] == "Data" and long[1].startswith(short[1]) and long[2] == short[2])


def error_record(api: Any, exc: BaseException) -> ErrorRecord:
    """Classify an exception raised by the implementation by the contract class it belongs to."""
    hint = getattr(exc, "error_status_hint", None)
    for kind in ("RemoteProtocolError", "LocalProtocolError"):
        cls = getattr(api, kind, None)
        if isinstance(cls, type) and isinstance(exc, cls):
            return (kind, hint, str(exc)[:500])
    if harness_origin(exc, api):  # our own code raised (a missing name, a bad spec): not the target's
        raise HarnessError(f"the harness failed: {describe_exception(exc)}") from exc
    return (f"crash:{type(exc).__name__}", hint, str(exc)[:500])


# Where an error message stops being stable: a quoted or bytes value, a bracket, a digit, a repr of self.
_VARIABLE_PART = re.compile(r"""\bb['"]|bytearray\(|['"\[{(0-9]|\sself\.""")


def message_class(message: str) -> str:
    """An error message cut before its first variable part (quoted value, bracket, digit): the same for
    every input that takes the same error path, so findings and coverage keys fold on it."""
    match = _VARIABLE_PART.search(message)
    head = message if match is None else message[: match.start()]
    return head.strip(" :,.")[:60] or "?"


def target_bytes(value: Any, what: str) -> bytes | None:
    """``value`` (returned by the target as ``what``) as bytes, None kept.

    Raises:
        TargetFault: it is not bytes-like: the target broke the API, though our conversion raised.
    """
    if value is None:
        return None
    try:
        return bytes(value)
    except Exception as exc:
        raise TargetFault(f"{what} is {type(value).__name__}, not bytes: {describe_exception(exc)}") from exc


def state_name(state: Any) -> str:
    """The bare name of a state sentinel (``IDLE``, ``SEND_BODY``...), whatever the implementation."""
    return str(getattr(state, "__name__", state))


def build_event(api: Any, spec: EventSpec) -> Any:
    """Build the event ``spec`` names with ``api``'s own classes (may raise the implementation's errors)."""
    name, kwargs = spec
    return getattr(api, name)(**kwargs)


@dataclasses.dataclass(frozen=True)
class Snapshot:
    """The observable state of a Connection after a step."""

    our_state: str
    their_state: str
    client_waiting_100: bool | None
    their_http_version: bytes | None
    trailing: tuple[bytes, bool] | None


def _trailing(value: Any) -> tuple[bytes, bool]:
    try:
        data, closed = value
    except Exception as exc:
        raise TargetFault(f"trailing_data is not a pair: {describe_exception(exc)}") from exc
    return (target_bytes(data, "trailing_data[0]") or b"", bool(closed))


def snapshot(conn: Any) -> Snapshot:
    """Read every observable property of ``conn`` that the h11 API defines; missing ones become None."""

    def get(name: str) -> Any:
        try:
            return getattr(conn, name)
        except Exception:  # an adapter without the property, or a broken property
            return None

    version = get("their_http_version")
    trailing = get("trailing_data")
    return Snapshot(
        our_state=state_name(get("our_state")),
        their_state=state_name(get("their_state")),
        client_waiting_100=get("client_is_waiting_for_100_continue"),
        their_http_version=target_bytes(version, "their_http_version"),
        trailing=None if trailing is None else _trailing(trailing),
    )


@dataclasses.dataclass(frozen=True)
class Trace:
    """What came out of feeding one byte stream (in one split) to one implementation."""

    events: tuple[EventRecord, ...]  # adjacent Data merged; PAUSED/NEED_DATA not included
    error: ErrorRecord | None  # the exception that ended the stream, if any
    stalled: bool  # complete input (EOF given) but next_event kept asking for data, or never stopped
    final: Snapshot | None  # the connection's state at the end (None if it could not be built)
    replies: int = 0  # how many times the driver replied to get past PAUSED
    # The rule the reference's rejection was raised under (conformance.reference.rejections), None for
    # other implementations; never part of equality, so traces of different implementations compare.
    rule: str | None = dataclasses.field(default=None, compare=False)
    # (choice id, events delivered, Data bytes delivered) when the reference's input first reached each
    # choice point: filled by the oracle (conformance.oracle), empty for an implementation's trace.
    reached_at: tuple[tuple[str, int, int], ...] = dataclasses.field(default=(), compare=False)

    @property
    def outcome(self) -> str:
        """ "accept", "reject" (a ProtocolError subclass), "crash" or "stall": the outcome class."""
        if self.stalled:
            return "stall"
        if self.error is None:
            return "accept"
        return "crash" if self.error[0].startswith("crash:") else "reject"


Observer = Callable[[Any, Sequence[EventRecord]], None]
"""Called after each ``next_event`` call with the Connection and the events delivered before the call."""


class _Driver:
    """One Connection plus the rules for draining it and replying past PAUSED."""

    observe: Observer | None = None  # also the default of a driver built by run_script

    def __init__(
        self,
        api: Any,
        role: str,
        request: EventSpec,
        reply: bool,
        size_limit: int | None = None,
        observe: Observer | None = None,
    ) -> None:
        self.api = api
        self.observe = observe
        self.role = role
        self.request = request
        self.reply = reply
        limit = {} if size_limit is None else {"max_incomplete_event_size": size_limit}
        self.conn = api.Connection(api.SERVER if role == "server" else api.CLIENT, **limit)
        self.events: list[EventRecord] = []
        self.replies = 0
        # A client reads responses to ``request``: it sends it, or a parse-only adapter (no send) is told
        # its method through the optional hook (conformance.targets.adapters, "request-context").
        if role == "client" and callable(getattr(self.conn, "send", None)):
            self._send(build_event(api, request))
            self._send(api.EndOfMessage())
        elif role == "client" and callable(getattr(self.conn, RESPONSE_TO_HOOK, None)):
            getattr(self.conn, RESPONSE_TO_HOOK)(bytes(request[1]["method"]))

    def _send(self, event: Any) -> None:
        self.conn.send(event)

    def _past_paused(self) -> bool:
        """Reply so that the stream can go on; False when no reply can help."""
        api, conn = self.api, self.conn
        if not self.reply or not hasattr(conn, "our_state"):
            return False  # no replies asked for, or no state machine to reply through
        if self.role == "server" and conn.our_state is api.SEND_RESPONSE:
            if self._last_method() == b"CONNECT":
                # A 2xx to CONNECT opens the tunnel: no framing headers, no EndOfMessage, and the rest
                # of the stream is tunnel bytes (trailing_data), not HTTP.
                self._send(build_event(api, CONNECT_REPLY))
                return False
            self._send(build_event(api, REPLY_RESPONSE))
            self._send(api.EndOfMessage())
        if conn.our_state is not api.DONE or conn.their_state is not api.DONE:
            return False
        conn.start_next_cycle()
        if self.role == "client":
            self._send(build_event(api, self.request))
            self._send(api.EndOfMessage())
        self.replies += 1
        return True

    def _last_method(self) -> bytes | None:
        for record in reversed(self.events):
            if record[0] == "Request":
                method: bytes = record[1]
                return method
        return None

    def drain(self, eof: bool) -> bool:
        """Call next_event until it needs data; returns True if the implementation stalled."""
        api, conn = self.api, self.conn
        for _ in range(MAX_EVENTS):
            try:
                event = conn.next_event()
            finally:
                if self.observe is not None:
                    self.observe(conn, self.events)  # the events delivered before this call
            if event is api.NEED_DATA:
                return eof  # after EOF there is nothing more to wait for: a stall
            if event is api.PAUSED:
                if self._past_paused():
                    continue
                return False
            self.events.append(event_record(event))
            if self.events[-1][0] == "ConnectionClosed":
                return False
        return True


def feed(
    api: Any,
    role: str,
    chunks: Sequence[bytes],
    *,
    eof: bool = True,
    reply: bool = True,
    request: EventSpec = DEFAULT_REQUEST,
    reraise: bool = False,
    size_limit: int | None = None,
    observe: Observer | None = None,
) -> Trace:
    """Feed ``chunks`` to a fresh ``role`` Connection of ``api`` and record what it produced.

    ``role`` is the role of the implementation under test: "server" reads requests, "client" first sends
    ``request`` (default ``GET /``) and reads responses. With ``eof`` the stream ends with EOF, so the input
    is complete and a final NEED_DATA is a stall. With ``reply`` the driver answers complete messages to read
    pipelined ones (see the module docstring).

    With ``reraise`` the implementation's exception propagates instead of being recorded, so a fuzz
    target can reproduce a crash with the implementation's own traceback. ``size_limit``, when given, is
    the Connection's ``max_incomplete_event_size``. ``observe``, when given, is called after every
    ``next_event`` call (returned or raised) with the Connection and the events delivered before it.

    Returns:
        A ``Trace``; never raises for anything the implementation does (unless ``reraise``).
    """
    driver: _Driver | None = None
    error: ErrorRecord | None = None
    rule: str | None = None
    stalled = False
    try:
        driver = _Driver(api, role, request, reply, size_limit, observe)
        for chunk in chunks:
            if chunk:
                driver.conn.receive_data(chunk)
                stalled = driver.drain(eof=False)
                if stalled:
                    break
        if eof and not stalled:
            driver.conn.receive_data(b"")
            stalled = driver.drain(eof=True)
    except Exception as exc:  # every exception is an observation about the implementation
        if reraise:
            raise
        error = error_record(api, exc)
        rule = rule_of(exc)
    if driver is None:
        return Trace((), error, False, None, rule=rule)
    events = merge_data(driver.events)
    return Trace(events, error, stalled, snapshot(driver.conn), replies=driver.replies, rule=rule)


# ------------------------------------------------------------------------------------------------
# Splits: the ways one byte stream is cut into pieces


def split_at(data: bytes, points: Iterable[int]) -> list[bytes]:
    """``data`` cut at the given offsets (sorted, deduplicated, kept inside the data)."""
    cuts = sorted({p for p in points if 0 < p < len(data)})
    bounds = [0, *cuts, len(data)]
    return [data[a:b] for a, b in itertools.pairwise(bounds)]


def split_variants(data: bytes, *, seed: int = 0, max_points: int = 64) -> Iterator[tuple[str, list[bytes]]]:
    """Every way the catalog feeds a byte case: whole, byte by byte, at each split point, and random cuts.

    Inputs longer than ``max_points`` bytes get a seeded sample of split points instead of all of them, so a
    run stays bounded and reproducible.

    Yields:
        (variant name, pieces) pairs; the name says how to reproduce the split.
    """
    yield "whole", [data]
    if len(data) < 2:
        return
    yield "bytewise", [data[i : i + 1] for i in range(len(data))]
    rng = random.Random(f"{seed}:{len(data)}")
    points = range(1, len(data))
    chosen = points if len(points) <= max_points else sorted(rng.sample(points, max_points))
    for p in chosen:
        yield f"split@{p}", split_at(data, [p])
    for n in range(3):
        cuts = rng.sample(points, min(len(points), 1 + rng.randrange(8)))
        yield f"random#{n}:{','.join(map(str, sorted(cuts)))}", split_at(data, cuts)


# ------------------------------------------------------------------------------------------------
# Event scripts

Step = tuple[Any, ...]
"""("send", EventSpec) | ("recv", bytes) | ("eof",) | ("cycle",) | ("send_failed",)."""

StepOutcome = tuple[Any, ...]
"""("sent", bytes | None) | ("events", records, error | None, stalled) | ("ok",) | ("error", ErrorRecord)."""


def _recv(driver: _Driver, data: bytes, eof: bool) -> StepOutcome:
    before = len(driver.events)
    try:
        if data:
            driver.conn.receive_data(data)
        if eof:
            driver.conn.receive_data(b"")
        stalled = driver.drain(eof=eof)
    except Exception as exc:
        return ("events", merge_data(driver.events[before:]), error_record(driver.api, exc), False)
    return ("events", merge_data(driver.events[before:]), None, stalled)


def _step(driver: _Driver, step: Step) -> StepOutcome:
    api, conn = driver.api, driver.conn
    kind = step[0]
    if kind == "recv":
        return _recv(driver, step[1], eof=False)
    if kind == "eof":
        return _recv(driver, b"", eof=True)
    try:
        if kind == "send":
            data = conn.send(build_event(api, step[1]))
            return ("sent", target_bytes(data, "send()'s result"))
        if kind == "cycle":
            conn.start_next_cycle()
        elif kind == "send_failed":
            conn.send_failed()
        else:
            raise ValueError(f"unknown script step {step!r}")
    except ValueError as exc:
        if str(exc).startswith("unknown script step"):
            raise
        return ("error", error_record(api, exc))
    except Exception as exc:
        return ("error", error_record(api, exc))
    return ("ok",)


def run_script(api: Any, role: str, steps: Sequence[Step]) -> tuple[tuple[StepOutcome, Snapshot], ...]:
    """Run ``steps`` on a fresh ``role`` Connection of ``api`` (no automatic request or replies).

    Returns:
        One (outcome, snapshot after the step) pair per step. If the Connection cannot even be built, the
        first outcome is an error and the script stops there.
    Raises:
        ValueError: a step of an unknown kind (a bug in the script, not in the implementation).
    """
    try:
        driver = _Driver.__new__(_Driver)
        driver.api, driver.role, driver.reply = api, role, False
        driver.request = DEFAULT_REQUEST
        driver.conn = api.Connection(api.SERVER if role == "server" else api.CLIENT)
        driver.events, driver.replies = [], 0
    except Exception as exc:
        empty = Snapshot("?", "?", None, None, None)
        return ((("error", error_record(api, exc)), empty),)
    return tuple((_step(driver, step), snapshot(driver.conn)) for step in steps)


# ------------------------------------------------------------------------------------------------
# API probes: calls on the event API itself, as data


@dataclasses.dataclass(frozen=True)
class As:
    """A probe argument built in the worker, for values that do not pickle or must not be shared.

    ``kind`` is "bytearray" or "memoryview" (of ``value``), "intenum" (an ``IntEnum`` member equal to
    ``value``), "pow10" (``10**value``, negated for a negative ``value``: an int too long to print) or
    "object" (a bare ``object()``).
    """

    kind: str
    value: Any = None


Probe = tuple[Any, ...]
"""("build", class name, args, kwargs) | ("assign", EventSpec, field, value) | ("compare", EventSpec,
EventSpec) | ("hash", EventSpec) | ("headers", EventSpec, op...) | ("sentinel", name) | ("distinct", names);
arguments may hold ``As`` values anywhere (in lists, tuples and dicts)."""

ProbeResult = tuple[Any, ...]
"""("ok", ...facts) | ("raises", kind): kind is "LocalProtocolError"/"RemoteProtocolError", else the
nearest built-in exception class (a FrozenInstanceError is an "AttributeError")."""

# The fields whose type the API fixes once an event is built: bytes for protocol elements, int for status.
_TYPED_FIELDS = {
    "Request": ("method", "target", "http_version"),
    "InformationalResponse": ("status_code", "http_version", "reason"),
    "Response": ("status_code", "http_version", "reason"),
}
_MUTATORS = ("append", "extend", "insert", "pop", "remove", "clear", "sort", "reverse", "__setitem__")


def _made(value: Any) -> Any:
    """``value`` with every ``As`` built (recursively through lists, tuples and dicts)."""
    if isinstance(value, As):
        if value.kind == "bytearray":
            return bytearray(value.value)
        if value.kind == "memoryview":
            return memoryview(bytes(value.value))
        if value.kind == "intenum":
            import enum

            Status: Any = enum.IntEnum("Status", {"MEMBER": value.value})
            return Status.MEMBER
        if value.kind == "pow10":
            return 10**value.value if value.value >= 0 else -(10**-value.value)
        if value.kind == "object":
            return object()
        raise ValueError(f"unknown probe value kind {value.kind!r}")
    if isinstance(value, list):
        return [_made(v) for v in value]
    if isinstance(value, tuple):
        return tuple(_made(v) for v in value)
    if isinstance(value, dict):
        return {k: _made(v) for k, v in value.items()}
    return value


def raised_kind(api: Any, exc: BaseException) -> str:
    """The contract class of an exception, else its nearest built-in class name."""
    for kind in ("LocalProtocolError", "RemoteProtocolError"):
        cls = getattr(api, kind, None)
        if isinstance(cls, type) and isinstance(exc, cls):
            return kind
    for cls in type(exc).__mro__:
        if cls.__module__ == "builtins":
            return cls.__name__
    return type(exc).__name__  # pragma: no cover - every exception derives from a built-in


def _pairs(headers: Iterable[Any]) -> tuple[tuple[bytes, bytes], ...]:
    return tuple((bytes(n), bytes(v)) for n, v in headers)


def _built(api: Any, spec: EventSpec) -> Any:
    return build_event(api, (spec[0], _made(spec[1])))


def _probe_build(api: Any, name: str, args: Any, kwargs: Any) -> ProbeResult:
    event = getattr(api, name)(*_made(args), **_made(kwargs))
    types = tuple((f, type(getattr(event, f)).__name__) for f in _TYPED_FIELDS.get(name, ()))
    header_types = tuple(
        sorted({(type(n).__name__, type(v).__name__) for n, v in getattr(event, "headers", ())})
    )
    return ("ok", event_record(event), types, header_types)


def _probe_assign(api: Any, spec: EventSpec, field: str, value: Any) -> ProbeResult:
    event = _built(api, spec)
    before = event_record(event)
    try:
        setattr(event, field, _made(value))
    except Exception as exc:
        return ("raises", raised_kind(api, exc), event_record(event) == before)
    return ("ok", "assigned", event_record(event) == before)


def _probe_compare(api: Any, a: EventSpec, b: EventSpec) -> ProbeResult:
    one, two = _built(api, a), _built(api, b)
    return ("ok", one == two, one != two, two == one)


def _probe_hash(api: Any, spec: EventSpec) -> ProbeResult:
    event = _built(api, spec)
    hash(event)
    return ("ok", "hashable")


def _probe_headers(api: Any, spec: EventSpec, op: str, *args: Any) -> ProbeResult:
    headers = _built(api, spec).headers
    if op == "len":
        return ("ok", len(headers), bool(headers))
    if op == "item":
        return ("ok", _pairs([headers[args[0]]])[0])
    if op == "iter":
        return ("ok", _pairs(iter(headers)), _pairs(reversed(headers)))
    if op == "eq":
        other = _made(args[0])
        return ("ok", headers == other, headers != other)
    if op == "repr":
        text = repr(headers)
        return ("ok", all(repr(pair) in text for pair in _pairs(headers)))
    if op == "setitem":
        headers[args[0]] = _made(args[1])
        return ("ok", "assigned")
    if op == "mutators":
        return ("ok", tuple(m for m in _MUTATORS if callable(getattr(headers, m, None))))
    raise ValueError(f"unknown headers probe {op!r}")


def _probe_sentinel(api: Any, name: str) -> ProbeResult:
    import pickle

    value = getattr(api, name)
    return (
        "ok",
        type(value) is value,
        repr(value),
        pickle.loads(pickle.dumps(value)) is value,
        hash(value) == hash(value),
    )


def _probe_distinct(api: Any, names: Sequence[str]) -> ProbeResult:
    values = [getattr(api, n) for n in names]
    return (
        "ok",
        len({id(v) for v in values}) == len(values),
        any(a == b for a, b in itertools.combinations(values, 2)),
    )


_PROBES: dict[str, Callable[..., ProbeResult]] = {
    "build": _probe_build,
    "assign": _probe_assign,
    "compare": _probe_compare,
    "hash": _probe_hash,
    "headers": _probe_headers,
    "sentinel": _probe_sentinel,
    "distinct": _probe_distinct,
}


def run_probes(api: Any, probes: Sequence[Probe]) -> tuple[ProbeResult, ...]:
    """Run each API probe on ``api`` (module-level: the executor calls it in a worker).

    Returns:
        One picklable result per probe; an exception the probe provoked is a ("raises", kind) result.
    Raises:
        ValueError: a probe of an unknown kind (a bug in the catalog, not in the implementation).
    """
    out: list[ProbeResult] = []
    for probe in probes:
        run = _PROBES.get(probe[0])
        if run is None:
            raise ValueError(f"unknown API probe {probe!r}")
        try:
            out.append(run(api, *probe[1:]))
        except Exception as exc:
            out.append(("raises", raised_kind(api, exc)))
    return tuple(out)


# Header values whose spelling the RFCs leave to the recipient: case-insensitive tokens, and an identical
# Content-Length list that may be collapsed to one value. The catalog's expectations and the differential
# fuzz oracle compare them canonically.
_TOKEN_VALUES = frozenset({b"transfer-encoding", b"connection", b"upgrade", b"expect"})


def _canon_value(name: bytes, value: bytes) -> bytes:
    if name in _TOKEN_VALUES:
        return value.lower()
    if name == b"content-length":
        parts = {p.strip() for p in value.split(b",")} - {b""}
        return parts.pop() if len(parts) == 1 else value
    return value


def canon_events(events: Sequence[EventRecord]) -> tuple[EventRecord, ...]:
    """Events with token-valued header fields lowercased and identical Content-Length lists (one line
    or several) collapsed to one line."""
    out = []
    for rec in events:
        if rec[0] in ("Request", "Response", "InformationalResponse", "EndOfMessage"):
            i = 3 if rec[0] == "Request" else (2 if rec[0] != "EndOfMessage" else 1)
            headers = tuple((n, _canon_value(n, v)) for n, v in rec[i])
            lengths = [field for field in headers if field[0] == b"content-length"]
            if len(lengths) > 1 and len(set(lengths)) == 1:  # two equal lines count as one line
                first = headers.index(lengths[0])
                headers = tuple(f for j, f in enumerate(headers) if j == first or f[0] != b"content-length")
            rec = (*rec[:i], headers, *rec[i + 1 :])
        out.append(rec)
    return tuple(out)
