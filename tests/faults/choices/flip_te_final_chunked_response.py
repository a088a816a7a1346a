"""Planted choice: the reference taking "frame" at te-final-chunked-response (it conforms)."""

from __future__ import annotations

from tests.faults.choices._base import flipped

flipped(globals(), {"te-final-chunked-response": "frame"})
