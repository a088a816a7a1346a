"""Allowed strictness, not a fault: rejects a request-target that none of its four forms can start with.

RFC 9112 §3.2: a request-target is in origin-form ("/"), absolute-form (a scheme: a letter),
authority-form (a host: a letter, a digit or "[") or asterisk-form ("*"); a server that receives an
invalid request-line SHOULD respond with 400 (RFC 9112 §3.2, RFC 9110 §2.2 lets a recipient refuse what
it cannot parse). The reference accepts any visible target (``$a``); this one rejects it when it reads
the request line, before any event, so an input that also reaches a choice point later (a trailer
section) must give no differential finding.
"""

from __future__ import annotations

from typing import Any

from tests.faults.fuzz._base import BASE, reexport

FUZZ_TARGET = "differential"  # the target whose allowance it exercises (no finding expected)

reexport(globals())


def _has_a_form(target: bytes) -> bool:
    first = target[:1]
    return first in (b"/", b"*", b"[") or first.isalnum()


class Connection(BASE.Connection):
    """The reference Connection, stricter: a target starting with no form's first byte is refused."""

    def next_event(self) -> Any:
        event = super().next_event()
        if type(event) is BASE.Request and not _has_a_form(bytes(event.target)):
            raise BASE.RemoteProtocolError("invalid request-target", error_status_hint=400)
        return event
