"""Planted choice: the reference taking "reject" at framing-on-bodyless-response (it conforms)."""

from __future__ import annotations

from tests.faults.choices._base import flipped

flipped(globals(), {"framing-on-bodyless-response": "reject"})
