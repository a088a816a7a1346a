"""Planted near-miss: the first obs-fold on a connection replaced by SP, every later one by nothing
(RFC 9112 §5.2 allows reject or SP at each).

The folds are removed from the bytes as they arrive, one received piece at a time (a fold split
across two pieces reaches the reference whole, which replaces it by SP: an allowed alternative).
"""

from __future__ import annotations

import re
from typing import Any

import conformance.reference as BASE

for _name in (*BASE.__all__, "__version__"):
    globals()[_name] = getattr(BASE, _name)

_FOLD = re.compile(rb"(?<=[^\r\n])\r?\n[ \t]+")


class Connection(BASE.Connection):
    """The reference Connection, reading every obs-fold after its first one as nothing."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._folds = 0

    def receive_data(self, data: bytes) -> None:
        super().receive_data(_FOLD.sub(self._unfold, bytes(data)) if data else data)

    def _unfold(self, fold: re.Match[bytes]) -> bytes:
        self._folds += 1
        return fold.group(0) if self._folds == 1 else b""
