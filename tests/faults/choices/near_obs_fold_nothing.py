"""Planted near-miss: obs-fold replaced by nothing instead of SP (RFC 9112 §5.2 allows reject or SP)."""

from __future__ import annotations

import re

from tests.faults.choices._base import rewriting

_FOLD = re.compile(rb"(?<=[^\r\n])\r?\n[ \t]+")

rewriting(globals(), lambda section: _FOLD.sub(b"", section))
