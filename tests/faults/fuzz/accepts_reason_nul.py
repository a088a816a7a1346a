"""Planted fault: a client that recovers a status-line whose reason phrase holds a NUL (replaced with "?").

No MUST forbids it: RFC 9112 §4 says a client SHOULD ignore the reason-phrase, and RFC 9110 §2.2 lets a
recipient recover a usable element from an invalid construct. The catalog must not fail it and the
differential must report nothing (the reference's rejection is grammar-only, MAY for a client).
"""

from __future__ import annotations

from tests.faults.fuzz._base import SectionRewriter, reexport

reexport(globals())


class Connection(SectionRewriter):
    """The reference Connection, lenient about a NUL in a status-line."""

    def rewrite(self, section: bytes) -> bytes:
        """``section`` with every NUL of its first line replaced by "?" when it is a status-line."""
        if not section.startswith(b"HTTP/"):
            return section
        line, sep, rest = section.partition(b"\n")
        return line.replace(b"\x00", b"?") + sep + rest
