"""Planted choice: the reference taking "replace-keep-width" at obs-fold (it conforms)."""

from __future__ import annotations

from tests.faults.choices._base import flipped

flipped(globals(), {"obs-fold": "replace-keep-width"})
