"""Planted fault: next_event raises IndexError on a header line with an empty field name (": v").

The reference rejects such a line with RemoteProtocolError; this one crashes, which the server-parse
target's oracle ("only RemoteProtocolError may escape next_event") flags.
"""

from __future__ import annotations

import re
from typing import Any

from tests.faults.fuzz._base import Watching, reexport

FUZZ_TARGET = "server-parse"  # the target that must find this fault (h11spec fuzz --bench --planted)

reexport(globals())

_EMPTY_NAME = re.compile(rb"\n:")


class Connection(Watching):
    """The reference Connection with one planted bug."""

    def next_event(self) -> Any:
        head = self.first_head
        if _EMPTY_NAME.search(head):
            parts: list[bytes] = []
            return parts[0]  # the bug: indexing the (empty) field name
        return super().next_event()
