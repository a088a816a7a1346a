"""Planted choice: the reference closing the connection after a denied CONNECT (it conforms)."""

from __future__ import annotations

from tests.faults.choices._base import flipped

flipped(globals(), {"denied-connect": "close"})
