"""Planted fault: next_event writes junk into every file descriptor it finds open, the harness's pipe too."""

from __future__ import annotations

import contextlib
import os
from typing import Any

from tests.faults.targets._base import BASE, reexport

reexport(globals())


class Connection(BASE.Connection):
    """The base Connection that scribbles on fds 3-31 before answering."""

    def next_event(self) -> Any:
        for fd in range(3, 32):
            with contextlib.suppress(OSError):
                os.write(fd, b"\x00\x00\x00\x05junk!")
        return super().next_event()
