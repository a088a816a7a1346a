"""Planted choice: the reference taking "reject" at framing-in-trailer (it conforms)."""

from __future__ import annotations

from tests.faults.choices._base import flipped

flipped(globals(), {"framing-in-trailer": "reject"})
