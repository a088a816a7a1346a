"""Small helpers shared by the reference's tests: driving a Connection and normalising what comes out.

Everything here works on an ``api`` module (h11 or conformance.reference) so one test body runs on both.
Records are plain tuples of bytes/str/bool/int, so the two implementations' outputs compare with ``==``.
"""

from __future__ import annotations

import types
from collections.abc import Callable, Iterable, Sequence
from typing import Any

import h11

Record = tuple[Any, ...]
SENTINEL_NAMES = ("NEED_DATA", "PAUSED")


def differs(api: types.ModuleType, name: str) -> bool:
    """True when ``api`` is the reference and ``name`` is one of its documented differences from h11."""
    if api is h11:
        return False
    from conformance.reference.differences import DIFFERENCES

    return name in {d.name for d in DIFFERENCES}


def header_record(headers: Any) -> tuple[tuple[bytes, bytes], ...]:
    """Headers as raw (name, value) byte pairs, original casing kept."""
    return tuple((bytes(n), bytes(v)) for n, v in headers.raw_items())


def record(api: types.ModuleType, event: Any) -> Record:
    """A comparable tuple for an event or sentinel returned by ``next_event`` (or built by the caller)."""
    for name in SENTINEL_NAMES:
        if event is getattr(api, name):
            return (name,)
    kind = type(event).__name__
    if isinstance(event, (api.Request,)):
        return (
            kind,
            bytes(event.method),
            bytes(event.target),
            bytes(event.http_version),
            header_record(event.headers),
        )
    if isinstance(event, (api.Response, api.InformationalResponse)):
        return (
            kind,
            event.status_code,
            bytes(event.reason),
            bytes(event.http_version),
            header_record(event.headers),
        )
    if isinstance(event, api.Data):
        return (kind, bytes(event.data), event.chunk_start, event.chunk_end)
    if isinstance(event, api.EndOfMessage):
        return (kind, header_record(event.headers))
    if isinstance(event, api.ConnectionClosed):
        return (kind,)
    raise AssertionError(f"not an event: {event!r}")


def error_record(api: types.ModuleType, exc: BaseException) -> Record:
    """A comparable tuple for an exception: its kind (LPE/RPE by the api's classes) and status hint."""
    if isinstance(exc, api.LocalProtocolError):
        return ("LocalProtocolError", exc.error_status_hint)
    if isinstance(exc, api.RemoteProtocolError):
        return ("RemoteProtocolError", exc.error_status_hint)
    return (type(exc).__name__,)


def drain(api: types.ModuleType, conn: Any, limit: int = 10_000) -> list[Record]:
    """Records of ``next_event`` results up to and including NEED_DATA, PAUSED or ConnectionClosed.

    An exception ends the list with its ``error_record`` (prefixed "raise").
    """
    out: list[Record] = []
    for _ in range(limit):
        try:
            event = conn.next_event()
        except Exception as exc:
            out.append(("raise", *error_record(api, exc)))
            return out
        out.append(record(api, event))
        if event is api.NEED_DATA or event is api.PAUSED or isinstance(event, api.ConnectionClosed):
            return out
    raise AssertionError("next_event never stopped")


def merge_data(records: Iterable[Record]) -> list[Record]:
    """Adjacent Data records merged (chunk flags dropped), so different splits compare equal."""
    out: list[Record] = []
    for rec in records:
        if rec[0] == "Data":
            rec = ("Data", rec[1])
            if out and out[-1][0] == "Data":
                out[-1] = ("Data", out[-1][1] + rec[1])
                continue
        if rec == ("NEED_DATA",) and out and out[-1] == ("NEED_DATA",):
            continue
        out.append(rec)
    return out


def feed(api: types.ModuleType, conn: Any, chunks: Sequence[bytes], *, eof: bool = False) -> list[Record]:
    """Feed each chunk and drain after each; with ``eof``, then signal EOF and drain again."""
    out: list[Record] = []
    for chunk in chunks:
        conn.receive_data(chunk)
        out += drain(api, conn)
        if out[-1][0] == "raise":
            return out
    if eof:
        conn.receive_data(b"")
        out += drain(api, conn)
    return out


def outcome(api: types.ModuleType, fn: Callable[[], Any]) -> Record:
    """("ok", value) or ("raise", *error_record) for one call."""
    try:
        return ("ok", fn())
    except Exception as exc:
        return ("raise", *error_record(api, exc))


def server(api: types.ModuleType, wire: bytes = b"", **kwargs: Any) -> Any:
    """A SERVER Connection that has been fed ``wire`` (not yet parsed)."""
    conn = api.Connection(api.SERVER, **kwargs)
    if wire:
        conn.receive_data(wire)
    return conn


def get(api: types.ModuleType, *extra: tuple[str, str], method: str = "GET", **kw: Any) -> Any:
    """A Request with Host plus ``extra`` headers."""
    return api.Request(method=method, target="/", headers=[("Host", "a"), *extra], **kw)


def client_after(api: types.ModuleType, request: Any = None, *, body: bool = True) -> Any:
    """A CLIENT Connection that has sent ``request`` (default: a GET) and, with ``body``, its EndOfMessage."""
    conn = api.Connection(api.CLIENT)
    conn.send(request if request is not None else get(api))
    if body:
        conn.send(api.EndOfMessage())
    return conn


def server_after(api: types.ModuleType, wire: bytes) -> Any:
    """A SERVER Connection that has parsed the first request of ``wire`` (head, body and EOM)."""
    conn = server(api, wire)
    while True:
        event = conn.next_event()
        if isinstance(event, api.EndOfMessage) or event is api.NEED_DATA:
            return conn


def te_hint(api: types.ModuleType, value: str, *, received_request: bool) -> int:
    """The error_status_hint for an unsupported Transfer-Encoding ``value`` (several lines: joined by ", ").

    h11 always says 501; the reference says 400 for a received request whose final coding is not chunked
    (te-chunked-not-final), and 501 everywhere else (responses, trailers, events the caller builds).
    """
    final = value.split(",")[-1].strip().lower()
    rfc_400 = received_request and final != "chunked" and differs(api, "te-chunked-not-final")
    return 400 if rfc_400 else 501
