"""Planted choice: the reference taking "replace" at bare-cr (it conforms)."""

from __future__ import annotations

from tests.faults.choices._base import flipped

flipped(globals(), {"bare-cr": "replace"})
