"""Planted choice: the reference taking "close-delimited" at te-not-chunked-response (it conforms)."""

from __future__ import annotations

from tests.faults.choices._base import flipped

flipped(globals(), {"te-not-chunked-response": "close-delimited"})
