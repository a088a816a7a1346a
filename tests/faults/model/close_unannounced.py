"""Planted fault (breaks "wire"): closing after a response sent before any request, without saying so.

Closing there is allowed (choice point ``response-without-request``, alternative ``close``), and the
closing sender then says so: RFC 9112 §9.6, "A sender SHOULD send a Connection header field containing the
"close" connection option when it intends to close a connection". This server goes to MUST_CLOSE but
strips the "close" from what it writes, so its peer reads a connection that stays open.
"""

from __future__ import annotations

from typing import Any

from conformance.reference import choices
from tests.faults.model._base import BASE, wrap

CLOSE = {"response-without-request": "close"}


class Connection(BASE.Connection):  # type: ignore[misc,name-defined]
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        with choices.assign(CLOSE):
            super().__init__(*args, **kwargs)

    def send(self, event: Any) -> Any:
        unsolicited = type(event) is BASE.Response and self.states[BASE.SERVER] is BASE.IDLE
        data = super().send(event)
        return data.replace(b"Connection: close\r\n", b"") if unsolicited and data is not None else data


API = wrap(Connection, "close_unannounced")
INVARIANT = "wire"
