"""Planted fault: accepts a request with two different Content-Length values, using the last one.

The reference rejects conflicting Content-Length field lines (RFC 9112 §6.3 rule 5, docs/vectors.md row 2);
this wrapper drops every Content-Length line of a header section but the last before the reference sees
the bytes, so the differential target sees it accept what the reference rejects. It is the
time-to-find benchmark's quarry (``h11spec fuzz --bench``).

How: received bytes are held back until a blank line (CRLFCRLF or LFLF) or EOF, and each header
section passed on has its earlier, differing Content-Length lines removed. Holding bytes back changes
nothing once EOF is given, which is how every fuzz target feeds.
"""

from __future__ import annotations

import re
from typing import Any

import conformance.reference as BASE

FUZZ_TARGET = "differential"  # the target that must find this fault (h11spec fuzz --bench --planted)

for _name in (*BASE.__all__, "__version__"):
    globals()[_name] = getattr(BASE, _name)

_SECTION_END = re.compile(rb"\r?\n\r?\n")
_CL_LINE = re.compile(rb"(?im)^content-length[ \t]*:[ \t]*([^\r\n]*?)[ \t]*\r?\n")


def _last_content_length_wins(section: bytes) -> bytes:
    """``section`` with every Content-Length line but the last removed, when their values differ."""
    lines = list(_CL_LINE.finditer(section))
    if len({m.group(1) for m in lines}) < 2:
        return section
    out, at = [], 0
    for match in lines[:-1]:
        out.append(section[at : match.start()])
        at = match.end()
    out.append(section[at:])
    return b"".join(out)


def _rewrite(stream: bytes) -> bytes:
    pieces, at = [], 0
    for end in _SECTION_END.finditer(stream):
        pieces.append(_last_content_length_wins(stream[at : end.end()]))
        at = end.end()
    pieces.append(stream[at:])
    return b"".join(pieces)


class Connection(BASE.Connection):  # type: ignore[misc,name-defined]
    """The reference Connection with one planted bug."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._held = b""

    def receive_data(self, data: bytes) -> None:
        if not data:  # EOF: pass on what was held, then the EOF itself
            held, self._held = self._held, b""
            if held:
                super().receive_data(_rewrite(held))
            super().receive_data(data)
            return
        stream = self._held + bytes(data)
        ends = list(_SECTION_END.finditer(stream))
        if not ends:
            self._held = stream
            return
        cut = ends[-1].end()
        self._held = stream[cut:]
        super().receive_data(_rewrite(stream[:cut]))
