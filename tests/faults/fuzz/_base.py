"""What every planted fuzz fault wraps: the reference implementation, every public name re-exported."""

from __future__ import annotations

import re
from typing import Any

import conformance.reference as BASE

__all__ = ["BASE", "SectionRewriter", "reexport"]

_SECTION_END = re.compile(rb"\r?\n\r?\n")


def reexport(namespace: dict[str, Any]) -> None:
    """Copy the reference's public names (and version) into a fault module's globals."""
    for name in (*BASE.__all__, "__version__"):
        namespace[name] = getattr(BASE, name)


class Watching(BASE.Connection):
    """The reference Connection remembering every byte it received (``seen``), for a planted bug to read."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.seen = b""

    def receive_data(self, data: bytes) -> None:
        self.seen += bytes(data)
        super().receive_data(data)

    @property
    def first_head(self) -> bytes:
        """The received bytes up to the first blank line (CRLFCRLF or LFLF)."""
        return self.seen.split(b"\r\n\r\n", 1)[0].split(b"\n\n", 1)[0]


class SectionRewriter(BASE.Connection):
    """The reference Connection fed through ``rewrite``, one section (up to a blank line) at a time.

    Received bytes are held back until a blank line (CRLFCRLF or LFLF) or EOF, and each section is passed
    on as ``rewrite`` returns it. Holding bytes back changes nothing once EOF is given, which is how every
    fuzz target feeds.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._held = b""

    def rewrite(self, section: bytes) -> bytes:
        """The planted bug: what the reference gets instead of ``section``."""
        return section

    @property
    def trailing_data(self) -> tuple[bytes, bool]:
        """The reference's unprocessed bytes followed by the bytes still held back."""
        data, closed = super().trailing_data
        return (bytes(data) + self._held, closed)

    def _rewrite_all(self, stream: bytes) -> bytes:
        pieces, at = [], 0
        for end in _SECTION_END.finditer(stream):
            pieces.append(self.rewrite(stream[at : end.end()]))
            at = end.end()
        pieces.append(stream[at:])
        return b"".join(pieces)

    def receive_data(self, data: bytes) -> None:
        if not data:  # EOF: pass on what was held, then the EOF itself
            held, self._held = self._held, b""
            if held:
                super().receive_data(self._rewrite_all(held))
            super().receive_data(data)
            return
        stream = self._held + bytes(data)
        ends = list(_SECTION_END.finditer(stream))
        if not ends:
            self._held = stream
            return
        cut = ends[-1].end()
        self._held = stream[cut:]
        super().receive_data(self._rewrite_all(stream[:cut]))
