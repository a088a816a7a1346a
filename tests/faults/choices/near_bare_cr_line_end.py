"""Planted near-miss: a bare CR taken as a line end (RFC 9112 §2.2 allows reject or replace with SP)."""

from __future__ import annotations

import re

from tests.faults.choices._base import rewriting

_BARE_CR = re.compile(rb"\r(?!\n)")

rewriting(globals(), lambda section: _BARE_CR.sub(b"\r\n", section))
