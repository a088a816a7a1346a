"""Planted fault: a field line longer than 16 KiB is dropped instead of rejected.

The reference refuses a head longer than max_incomplete_event_size (16 KiB by default) with
RemoteProtocolError ("Receive buffer too long", 431). This one reads field lines into a 16 KiB line
buffer and silently discards a line that overflows it, so a head with one long field is accepted without
that field: the differential target sees it accept where the reference rejects. Only an input with a
field of more than 16 KiB shows it (``fuzz.mutator.op_grow_field``).
"""

from __future__ import annotations

import re

from tests.faults.fuzz._base import SectionRewriter, reexport

FUZZ_TARGET = "differential"  # the target that must find this fault (h11spec fuzz --bench --planted)

reexport(globals())

LINE_BUFFER = 16 * 1024
_LINE = re.compile(rb"[^\n]*\n")


class Connection(SectionRewriter):
    """The reference Connection with one planted bug."""

    def rewrite(self, section: bytes) -> bytes:
        """``section`` without its lines longer than the line buffer."""
        return b"".join(line for line in _LINE.findall(section) if len(line) <= LINE_BUFFER)
