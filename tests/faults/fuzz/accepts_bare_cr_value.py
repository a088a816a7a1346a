"""Planted fault: accepts a bare CR inside a field value by dropping it.

RFC 9112 §2.2: "A recipient of such a bare CR MUST consider that element to be invalid or replace each bare
CR with SP before processing the element or forwarding the message." Dropping it is neither, so the
catalog must fail it at MUST and the differential must report a violation.
"""

from __future__ import annotations

import re

from tests.faults.fuzz._base import SectionRewriter, reexport

reexport(globals())

_BARE_CR = re.compile(rb"\r(?!\n)")


class Connection(SectionRewriter):
    """The reference Connection dropping every bare CR after the start-line."""

    def rewrite(self, section: bytes) -> bytes:
        """``section`` with each bare CR of its field lines removed."""
        line, sep, rest = section.partition(b"\n")
        return line + sep + _BARE_CR.sub(b"", rest)
