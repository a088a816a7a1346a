"""Planted choice: the reference taking "consume" at whitespace-after-start-line (it conforms)."""

from __future__ import annotations

from tests.faults.choices._base import flipped

flipped(globals(), {"whitespace-after-start-line": "consume"})
