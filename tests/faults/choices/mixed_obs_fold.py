"""Planted mix: replaces the obs-fold of the first request with SP, rejects one in a later request."""

from __future__ import annotations

from tests.faults.choices._base import flipped

flipped(globals(), {"obs-fold": ("replace", "reject")})
