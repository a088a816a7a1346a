"""Planted choice: the reference closing after a response sent before any request (as h11r does)."""

from __future__ import annotations

from tests.faults.choices._base import flipped

flipped(globals(), {"response-without-request": "close"})
