"""Planted fault: a server that accepts a request-target holding control characters (percent-encodes them).

Only the grammar is broken: RFC 9112 §3 says recipients of an invalid request-line SHOULD answer 400 (or
redirect), and RFC 9112 §2.2 that a server SHOULD answer 400 to bytes off the grammar. No MUST backs the
rejection, so the catalog must warn and the differential must report information, never a violation.
"""

from __future__ import annotations

import re

from tests.faults.fuzz._base import SectionRewriter, reexport

reexport(globals())

_CTL = re.compile(rb"[\x01-\x08\x0e-\x1f\x7f]")


class Connection(SectionRewriter):
    """The reference Connection, lenient about control characters in a request-target."""

    def rewrite(self, section: bytes) -> bytes:
        """``section`` with the CTLs of its first line percent-encoded, when it is a request-line."""
        if section.startswith(b"HTTP/"):
            return section
        line, sep, rest = section.partition(b"\n")
        return _CTL.sub(lambda m: b"%%%02X" % m.group()[0], line) + sep + rest
