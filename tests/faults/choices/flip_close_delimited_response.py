"""Planted choice: a client taking the connection as closing once a response delimited by close begins."""

from __future__ import annotations

from tests.faults.choices._base import flipped

flipped(globals(), {"close-delimited-response": "close"})
