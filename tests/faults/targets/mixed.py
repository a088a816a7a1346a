"""Planted faults, all in one implementation: each fires only on input that names it.

A request carrying ``X-Fault: <name>`` (``hang``, ``segfault``, ``abort``, ``exits``, ``value_error``,
``leak``) triggers that module's bug in ``next_event``; any other input is handled correctly. One run
over a mix of inputs therefore shows that a bad case gets its own verdict and leaves the next case alone.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from tests.faults.targets import abort, exits, hang, leak, segfault, value_error
from tests.faults.targets._base import BASE, reexport

reexport(globals())

BUGS: dict[bytes, Callable[[Any], Any]] = {
    b"hang": hang.Connection.next_event,
    b"segfault": segfault.Connection.next_event,
    b"abort": abort.Connection.next_event,
    b"exits": exits.Connection.next_event,
    b"value_error": value_error.Connection.next_event,
    b"leak": leak.Connection.next_event,
}
_TRIGGER = re.compile(rb"(?i)\r\nx-fault: *(\w+)")


class Connection(BASE.Connection):
    """The base Connection, with the bug the received bytes name."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._seen = b""

    def receive_data(self, data: bytes) -> None:
        self._seen += bytes(data or b"")
        super().receive_data(data)

    def next_event(self) -> Any:
        match = _TRIGGER.search(self._seen)
        if match is not None and match.group(1) in BUGS:
            return BUGS[match.group(1)](self)
        return super().next_event()
