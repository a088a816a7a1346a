"""Planted choice: the reference parsing start-lines on whitespace-delimited words (it conforms)."""

from __future__ import annotations

from tests.faults.choices._base import flipped

flipped(globals(), {"start-line-whitespace": "words"})
