"""Planted choice: the reference taking "tunnel" at connect-request-content (it conforms)."""

from __future__ import annotations

from tests.faults.choices._base import flipped

flipped(globals(), {"connect-request-content": "tunnel"})
