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

from tests.faults.fuzz._base import SectionRewriter, reexport

FUZZ_TARGET = "differential"  # the target that must find this fault (h11spec fuzz --bench --planted)

reexport(globals())

_CL_LINE = re.compile(rb"(?im)^content-length[ \t]*:[ \t]*([^\r\n]*?)[ \t]*\r?\n")


class Connection(SectionRewriter):
    """The reference Connection with one planted bug."""

    def rewrite(self, section: bytes) -> bytes:
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
