"""Drive any h11-API implementation and record what it did, in a form that compares across implementations.

Theory of operation: the catalog, the model checker, the fuzz targets and the differential tests all ask the
same question of an implementation: "given these bytes (in these pieces) or these steps, what events, errors
and states came out?" This module answers it once.

- ``event_record`` turns an event object of *any* implementation into a plain tuple (class name and fields,
  header names lowercased, bytes for bytes-like fields), so events from h11, the reference and an adapter
  compare with ``==``, pickle across worker processes and print readably.
- ``feed`` feeds a byte stream in the given pieces to a fresh ``Connection`` and drains ``next_event`` after
  each piece, replying to complete messages to get past PAUSED (server: a 200 with Content-Length 0, then
  ``start_next_cycle``; client: ``start_next_cycle`` and the same request again), so pipelined streams are
  read to the end. Adjacent Data events are merged, so every split of the same bytes must give the same
  ``Trace`` (the contracts in the README).
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

from conformance.errors import HarnessError
from conformance.targets.executor import TargetFault, describe_exception, harness_origin

EventRecord = tuple[Any, ...]
"""("Request", method, target, headers, http_version) | ("Response"/"InformationalResponse", status_code,
headers, http_version, reason) | ("Data", data) | ("EndOfMessage", headers) | ("ConnectionClosed",) |
("NEED_DATA",) | ("PAUSED",); headers are tuples of (lowercase name, value) bytes pairs."""

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
    return ("Data", bytes(ev.data))


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


def merge_data(records: Iterable[EventRecord]) -> tuple[EventRecord, ...]:
    """Adjacent ("Data", bytes) records merged into one; empty Data dropped."""
    out: list[EventRecord] = []
    for rec in records:
        if rec[0] == "Data":
            if not rec[1]:
                continue
            if out and out[-1][0] == "Data":
                out[-1] = ("Data", out[-1][1] + rec[1])
                continue
        out.append(rec)
    return tuple(out)


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

    @property
    def outcome(self) -> str:
        """ "accept", "reject" (a ProtocolError subclass), "crash" or "stall": the outcome class."""
        if self.stalled:
            return "stall"
        if self.error is None:
            return "accept"
        return "crash" if self.error[0].startswith("crash:") else "reject"


class _Driver:
    """One Connection plus the rules for draining it and replying past PAUSED."""

    def __init__(self, api: Any, role: str, request: EventSpec, reply: bool) -> None:
        self.api = api
        self.role = role
        self.request = request
        self.reply = reply
        self.conn = api.Connection(api.SERVER if role == "server" else api.CLIENT)
        self.events: list[EventRecord] = []
        self.replies = 0
        # A parse-only adapter (no send) reads responses without having sent the request.
        if role == "client" and callable(getattr(self.conn, "send", None)):
            self._send(build_event(api, request))
            self._send(api.EndOfMessage())

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
            event = conn.next_event()
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
) -> Trace:
    """Feed ``chunks`` to a fresh ``role`` Connection of ``api`` and record what it produced.

    ``role`` is the role of the implementation under test: "server" reads requests, "client" first sends
    ``request`` (default ``GET /``) and reads responses. With ``eof`` the stream ends with EOF, so the input
    is complete and a final NEED_DATA is a stall. With ``reply`` the driver answers complete messages to read
    pipelined ones (see the module docstring).

    With ``reraise`` the implementation's exception propagates instead of being recorded, so a fuzz
    target can reproduce a crash with the implementation's own traceback.

    Returns:
        A ``Trace``; never raises for anything the implementation does (unless ``reraise``).
    """
    driver: _Driver | None = None
    error: ErrorRecord | None = None
    stalled = False
    try:
        driver = _Driver(api, role, request, reply)
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
    if driver is None:
        return Trace((), error, False, None)
    return Trace(merge_data(driver.events), error, stalled, snapshot(driver.conn), replies=driver.replies)


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
