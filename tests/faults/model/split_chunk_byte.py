"""Planted fault (breaks "splits"): the reader loses one byte when a chunk-size line is split.

When the previous piece of input ended in the middle of what looks like a chunk-size line (hex digits
after the last LF) while a body is being read, the first byte of the next piece is dropped.
"""

from __future__ import annotations

import re
from typing import Any

from tests.faults.model._base import BASE, wrap

_SIZE_TAIL = re.compile(rb"(?:^|\n)[0-9a-fA-F]+$")


class Connection(BASE.Connection):  # type: ignore[misc,name-defined]
    _tail = b""

    def receive_data(self, data: Any) -> None:
        if data and self._tail and self.their_state is BASE.SEND_BODY and _SIZE_TAIL.search(self._tail):
            data = bytes(data)[1:]
            if not data:
                return  # the lost byte was the whole piece (an empty piece would mean EOF)
        if data:
            self._tail = bytes(data)[-32:]
        super().receive_data(data)


API = wrap(Connection, "split_chunk_byte")
INVARIANT = "splits"
