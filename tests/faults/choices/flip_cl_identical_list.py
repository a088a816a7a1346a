"""Planted choice: the reference taking "reject" at cl-identical-list (it conforms)."""

from __future__ import annotations

from tests.faults.choices._base import flipped

flipped(globals(), {"cl-identical-list": "reject"})
