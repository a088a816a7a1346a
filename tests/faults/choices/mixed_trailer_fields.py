"""Planted mix: retains the trailer fields of the first chunked message, discards those of a later one."""

from __future__ import annotations

from tests.faults.choices._base import flipped

flipped(globals(), {"trailer-fields": ("retain", "discard")})
