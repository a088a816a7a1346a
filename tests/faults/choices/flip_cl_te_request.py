"""Planted choice: the reference taking "reject" at cl-te-request (it conforms)."""

from __future__ import annotations

from tests.faults.choices._base import flipped

flipped(globals(), {"cl-te-request": "reject"})
