"""Planted mix: ignores the empty line before the first request, rejects one before a later request."""

from __future__ import annotations

from tests.faults.choices._base import flipped

flipped(globals(), {"leading-empty-lines": ("ignore", "reject")})
