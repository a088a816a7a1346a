"""Planted choice: the reference taking "ignore" at leading-empty-lines (it conforms)."""

from __future__ import annotations

from tests.faults.choices._base import flipped

flipped(globals(), {"leading-empty-lines": "ignore"})
