"""Planted choice: the reference leaving bytes after a closing connection's last message unread."""

from __future__ import annotations

from tests.faults.choices._base import flipped

flipped(globals(), {"bytes-after-close": "leave"})
