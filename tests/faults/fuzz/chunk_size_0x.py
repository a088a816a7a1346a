"""Planted fault: accepts a chunk size written with a ``0x`` prefix (``0x5``), reading it as hex.

The reference rejects ``0x5`` (chunk-size = 1*HEXDIG, RFC 9112 §7.1); this one drops the prefix before
parsing, so the differential target sees it accept what the reference rejects.
"""

from __future__ import annotations

from typing import Any

from tests.faults.fuzz._base import BASE, reexport

FUZZ_TARGET = "differential"  # the target that must find this fault (h11spec fuzz --bench --planted)

reexport(globals())


class Connection(BASE.Connection):
    """The reference Connection with one planted bug: ``\\n0x`` becomes ``\\n`` in received bytes."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._held = b""  # a tail that may be the start of "\n0x", kept until the next bytes decide

    def receive_data(self, data: bytes) -> None:
        if not data:  # EOF: what was held back is plain data after all
            held, self._held = self._held, b""
            if held:
                super().receive_data(held)
            super().receive_data(data)
            return
        stream = (self._held + bytes(data)).replace(b"\n0x", b"\n").replace(b"\n0X", b"\n")
        keep = 2 if stream.endswith(b"\n0") else 1 if stream.endswith(b"\n") else 0
        self._held = stream[len(stream) - keep :] if keep else b""
        if len(stream) > keep:  # never pass b"" on: that would be EOF
            super().receive_data(stream[: len(stream) - keep])
