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

from tests.faults.fuzz._base import Watching, reexport

FUZZ_TARGET = "server-parse"  # the target that must find this fault (h11spec fuzz --bench --planted)

reexport(globals())

_CONTENT_LENGTH = re.compile(rb"(?im)^content-length[ \t]*:[ \t]*([0-9]+)")


class Connection(Watching):
    """The reference Connection with one planted bug."""

    def next_event(self) -> Any:
        head = self.first_head
        for digits in _CONTENT_LENGTH.findall(head):
            int(digits)  # the bug: no bound on the digits before the conversion
        return super().next_event()
