"""Planted difference (breaks "wire" only under profile h11): field names written in lower case.

The bytes differ from the reference's but read as the same events, which RFC 9112 allows (field names
are case-insensitive) and byte parity with h11 does not.
"""

from __future__ import annotations

from typing import Any

from tests.faults.model._base import BASE, wrap


class Connection(BASE.Connection):  # type: ignore[misc,name-defined]
    def send(self, event: Any) -> Any:
        data = super().send(event)
        return None if data is None else data.replace(b"Content-Length:", b"content-length:")


API = wrap(Connection, "lowercase_names")
INVARIANT = "wire"
