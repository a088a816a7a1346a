"""Planted choice: the reference taking "value" at long-numeral (it conforms)."""

from __future__ import annotations

from tests.faults.choices._base import flipped

flipped(globals(), {"long-numeral": "value"})
