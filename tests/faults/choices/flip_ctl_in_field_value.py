"""Planted choice: the reference rejecting a field value with a CTL the RFC lets it retain (it conforms)."""

from __future__ import annotations

from tests.faults.choices._base import flipped

flipped(globals(), {"ctl-in-field-value": "reject"})
