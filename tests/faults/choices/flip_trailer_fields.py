"""Planted choice: the reference taking "discard" at trailer-fields (it conforms)."""

from __future__ import annotations

from tests.faults.choices._base import flipped

flipped(globals(), {"trailer-fields": "discard"})
