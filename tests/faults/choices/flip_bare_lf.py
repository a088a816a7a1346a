"""Planted choice: the reference taking "reject" at bare-lf (it conforms)."""

from __future__ import annotations

from tests.faults.choices._base import flipped

flipped(globals(), {"bare-lf": "reject"})
