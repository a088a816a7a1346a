"""Planted near-miss: the first request's obs-fold replaced by SP, a later request's by nothing (RFC
9112 §5.2 allows reject or SP at each)."""

from __future__ import annotations

import re
from collections.abc import Callable

from tests.faults.choices._base import rewriting_each

_FOLD = re.compile(rb"(?<=[^\r\n])\r?\n[ \t]+")


def _first_fold_kept() -> Callable[[bytes], bytes]:
    """A rewrite that leaves the first header section with a fold to the reference (SP), and removes
    the folds of every later one."""
    seen = [0]

    def rewrite(section: bytes) -> bytes:
        if not _FOLD.search(section):
            return section
        seen[0] += 1
        return section if seen[0] == 1 else _FOLD.sub(b"", section)

    return rewrite


rewriting_each(globals(), _first_fold_kept)
