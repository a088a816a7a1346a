"""One run of the send target: send a plan's events, read the wire back with the reference.

Theory of operation: ``send_run`` sends the plan's events through the implementation, collecting
the bytes or the LocalProtocolError, and parses the bytes with the reference; ``send_problem`` says
what breaks the send oracle (an exception other than LocalProtocolError, or bytes that the reference
reads as other events than were sent), as (kind, detail), or None.
"""

from __future__ import annotations

import dataclasses
import functools
import types
from collections.abc import Sequence
from typing import Any

from conformance.drive import (
    EventRecord,
    Trace,
    build_event,
    event_record,
    feed,
    merge_data,
    message_class,
)
from conformance.oracle import as_profile
from conformance.targets.load import reference_api
from fuzz.sendtext import REWRITTEN, SendPlan
from fuzz.traces import describe, error_message

# The reader of the wire takes a head of any size: the oracle is about what the sender wrote, and a
# 64 KiB fuzz input can make a correct head longer than a default receiver's 16 KiB limit.
READER_LIMIT = 1 << 30


@functools.cache
def _wire_reader() -> Any:
    """The reference's API with a Connection whose max_incomplete_event_size is ``READER_LIMIT``."""
    ref = reference_api()
    names = {name: getattr(ref, name) for name in dir(ref) if not name.startswith("__")}
    names["Connection"] = functools.partial(ref.Connection, max_incomplete_event_size=READER_LIMIT)
    return types.SimpleNamespace(**names)


def _comparable(record: EventRecord) -> EventRecord:
    """A record with what the writer may legitimately change normalised away."""
    kind = record[0]
    if kind == "Request":
        return (*record[:3], _host_first(record[3]), record[4])
    if kind in ("Response", "InformationalResponse"):
        headers = tuple(h for h in _host_first(record[2]) if h[0] not in REWRITTEN)
        return (kind, record[1], headers, *record[3:])
    if kind == "EndOfMessage":
        return (kind, _host_first(record[1]))
    return record


def _host_first(headers: Sequence[tuple[bytes, bytes]]) -> tuple[tuple[bytes, bytes], ...]:
    """Fields in a writer's order: every Host first (docs/h11-behaviour.md §4.2), then the rest."""
    return tuple(sorted(headers, key=lambda h: h[0] != b"host"))


class RejectedRequest(Exception):
    """A server-role implementation rejected the valid request it reads before it sends: the send check
    reports this as a violation of its own oracle."""


def _receive_request(api: Any, wire: bytes) -> Any:
    """A server Connection of ``api`` that has read the request ``wire`` (a valid, bodiless request)."""
    conn = api.Connection(api.SERVER)
    conn.receive_data(wire)
    remote = getattr(api, "RemoteProtocolError", ())
    try:
        while type(conn.next_event()).__name__ != "EndOfMessage":
            pass
    except remote as exc:
        raise RejectedRequest(f"the server rejects a valid request {wire!r}: {exc}") from None
    return conn


@dataclasses.dataclass(frozen=True)
class SendRun:
    """What sending one plan did: the events sent, the bytes written and the reference's parse of them."""

    sent: tuple[EventRecord, ...]  # records of the events send() took, in order
    wire: bytes
    complete: bool  # every event of the plan was sent (so the reference reads to EOF)
    parsed: Trace  # the reference peer reading ``wire``


def send_run(api: Any, plan_: SendPlan, profile: str = "rfc9112") -> SendRun:
    """Send ``plan_``'s events through a fresh Connection of ``api`` and let the reference read the wire
    (as ``profile``'s oracle, ``conformance.oracle.as_profile``).

    Raises:
        RejectedRequest: a server-role implementation rejects the valid request it is given first.
    """
    local = api.LocalProtocolError
    conn = _receive_request(api, plan_.request_wire) if plan_.role == "server" else api.Connection(api.CLIENT)
    sent: list[EventRecord] = []
    wire = bytearray()
    complete = plan_.events[-1][0] == "EndOfMessage"  # else the input stopped inside a head
    for spec in plan_.events:
        try:
            event = build_event(api, spec)
            out = conn.send(event)
        except local:
            complete = False
            break
        sent.append(event_record(event))
        if out:
            wire += out
    peer = "server" if plan_.role == "client" else "client"
    with as_profile(profile):
        parsed = feed(_wire_reader(), peer, [bytes(wire)], eof=complete, reply=False, request=plan_.request)
    return SendRun(tuple(sent), bytes(wire), complete, parsed)


def send_problem(plan_: SendPlan, run: SendRun) -> tuple[str, str] | None:
    """How ``run`` breaks the send oracle, if it does.

    Returns:
        None, or (kind, detail): a stable classification and a one-line description.
    """
    parsed = run.parsed
    expected = tuple(_comparable(r) for r in merge_data(run.sent, chunks=False))
    got = tuple(_comparable(r) for r in merge_data(parsed.events, chunks=False) if r[0] != "ConnectionClosed")
    leftover = b"" if parsed.final is None or parsed.final.trailing is None else parsed.final.trailing[0]
    # A send that failed on EndOfMessage may still have put a complete message on the wire (a 204, or a
    # Content-Length body sent in full): the reader then ends it itself.
    ends_itself = not run.complete and got == (*expected, ("EndOfMessage", ()))
    if parsed.outcome == "accept" and (got == expected or ends_itself) and not leftover:
        return None
    if parsed.outcome in ("crash", "stall"):
        kind = f"reference-{parsed.outcome}"
    elif parsed.outcome == "reject":
        kind = f"reference-rejects:{message_class(error_message(parsed))}"
    else:
        kind = "leftover-bytes" if got == expected else "events-differ"
    return (
        kind,
        f"{plan_.role} sent {expected!r} as {run.wire!r}; the reference read {describe(parsed)}"
        + (f", left {leftover!r} unread" if leftover else ""),
    )
