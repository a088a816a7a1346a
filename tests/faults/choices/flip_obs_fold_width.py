"""Planted choice: the reference taking "keep-width" at obs-fold-width (it conforms)."""

from __future__ import annotations

from tests.faults.choices._base import flipped

flipped(globals(), {"obs-fold-width": "keep-width"})
