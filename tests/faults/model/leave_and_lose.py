"""Planted fault (breaks "errors"): bytes after close left unread, but lost from trailing_data.

Leaving them unread is an allowed alternative (``bytes-after-close=leave``); reporting that nothing was
left is not: ``trailing_data`` must hold the bytes received and not processed. No alternative explains
the history (under ``leave`` the states invariant breaks), so the finding is the default's: the oracle
rejects the bytes and this Connection does not ("choice points considered: bytes-after-close").
"""

from __future__ import annotations

from typing import Any

from tests.faults.model._base import wrap
from tests.faults.model.leave_host_last import Connection as Leave


class Connection(Leave):
    @property
    def trailing_data(self) -> tuple[bytes, bool]:
        closed: Any = super().trailing_data[1]
        return (b"", bool(closed))


API = wrap(Connection, "leave_and_lose")
INVARIANT = "errors"
