"""Planted fault: next_event loops forever when the request line holds a bare CR.

The reference rejects a bare CR in the request line with RemoteProtocolError; this one never returns,
which the server-parse target finds as a libFuzzer timeout.
"""

from __future__ import annotations

import re
import time
from typing import Any

from tests.faults.fuzz._base import BASE, Watching, reexport

FUZZ_TARGET = "server-parse"  # the target that must find this fault (h11spec fuzz --bench --planted)

reexport(globals())

_BARE_CR_IN_FIRST_LINE = re.compile(rb"[^\n]*?\r[^\n]")


class Connection(Watching):
    """The reference Connection with one planted bug."""

    def next_event(self) -> Any:
        if self.our_role is BASE.SERVER and _BARE_CR_IN_FIRST_LINE.match(self.seen):
            while True:  # the bug: a scanner that never advances past the CR
                time.sleep(0.01)
        return super().next_event()
