"""Planted choice: the reference taking "reject" at obs-fold (it conforms)."""

from __future__ import annotations

from tests.faults.choices._base import flipped

flipped(globals(), {"obs-fold": "reject"})
