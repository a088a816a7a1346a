"""Planted fault: next_event passes a Content-Length's whole digit run to int(), unbounded.

The reference reads at most 20 digits of a Content-Length and rejects a longer value with
RemoteProtocolError. This one calls int() on the whole run of digits first, as a parser that converts
before it validates would; past CPython's limit of 4300 digits for int() of a decimal string that raises
ValueError, which the server-parse target's oracle ("only RemoteProtocolError may escape next_event")
flags. Only an input with a numeral of thousands of digits shows it (``fuzz.mutator.op_grow_numeral``).
"""

from __future__ import annotations

import re
from typing import Any

from tests.faults.fuzz._base import BASE, reexport

FUZZ_TARGET = "server-parse"  # the target that must find this fault (h11spec fuzz --bench --planted)

reexport(globals())

_CONTENT_LENGTH = re.compile(rb"(?im)^content-length[ \t]*:[ \t]*([0-9]+)")


class Connection(BASE.Connection):
    """The reference Connection with one planted bug."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._seen = b""

    def receive_data(self, data: bytes) -> None:
        self._seen += bytes(data)
        super().receive_data(data)

    def next_event(self) -> Any:
        head = self._seen.split(b"\r\n\r\n", 1)[0].split(b"\n\n", 1)[0]
        for digits in _CONTENT_LENGTH.findall(head):
            int(digits)  # the bug: no bound on the digits before the conversion
        return super().next_event()
