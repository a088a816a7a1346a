"""Planted fault: rejects every received trailer section.

RFC 9112 §7.1: "A recipient MUST be able to parse and decode the chunked transfer coding", trailer section
included; §7.1.2 then lets it retain or discard the trailer fields (the ``trailer-fields`` choice point),
and both alternatives accept. This one raises RemoteProtocolError where it would deliver an EndOfMessage
with trailer fields, so the differential target must report ``rejects-what-every-choice-accepts``.
"""

from __future__ import annotations

from typing import Any

from tests.faults.fuzz._base import BASE, reexport

FUZZ_TARGET = "differential"  # the target that must find this fault (h11spec fuzz --bench --planted)

reexport(globals())


class Connection(BASE.Connection):
    """The reference Connection with one planted bug: an EndOfMessage carrying trailer fields is refused."""

    def next_event(self) -> Any:
        event = super().next_event()
        if type(event) is BASE.EndOfMessage and event.headers:
            raise BASE.RemoteProtocolError("trailer sections are not supported", error_status_hint=400)
        return event
