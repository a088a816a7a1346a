"""Planted fault: next_event raises IndexError on a header line with an empty field name (": v").

The reference rejects such a line with RemoteProtocolError; this one crashes, which the server-parse
target's oracle ("only RemoteProtocolError may escape next_event") flags.
"""

from __future__ import annotations

import re
from typing import Any

from tests.faults.fuzz._base import BASE, reexport

FUZZ_TARGET = "server-parse"  # the target that must find this fault (h11spec fuzz --bench --planted)

reexport(globals())

_EMPTY_NAME = re.compile(rb"\n:")


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
        if _EMPTY_NAME.search(head):
            parts: list[bytes] = []
            return parts[0]  # the bug: indexing the (empty) field name
        return super().next_event()
