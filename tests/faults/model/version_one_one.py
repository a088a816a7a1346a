"""Planted fault (breaks "states"): their_http_version always reads 1.1 once a head was received.

An HTTP/1.0 peer's version must be reported as received (it decides keep-alive and chunked framing).
"""

from __future__ import annotations

from typing import Any

from tests.faults.model._base import BASE, wrap


class Connection(BASE.Connection):  # type: ignore[misc,name-defined]
    @property
    def their_http_version(self) -> Any:
        return None if self._their_version is None else b"1.1"

    @their_http_version.setter
    def their_http_version(self, value: Any) -> None:
        self._their_version = value


API = wrap(Connection, "version_one_one")
INVARIANT = "states"
