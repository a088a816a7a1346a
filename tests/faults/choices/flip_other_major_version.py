"""Planted choice: the reference taking "reject" at other-major-version (it conforms)."""

from __future__ import annotations

from tests.faults.choices._base import flipped

flipped(globals(), {"other-major-version": "reject"})
