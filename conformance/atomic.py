"""Atomic file writes: every report and corpus entry appears whole or not at all.

A reader (or a campaign killed with SIGKILL) can only ever see the old file or the complete new
one, because the bytes go to a temporary file in the same directory, are flushed and fsynced, and
are then moved into place with ``os.replace``, which is atomic on POSIX.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path


def write_atomic(path: str | os.PathLike[str], data: bytes | str) -> Path:
    """Write ``data`` to ``path`` atomically, creating parent directories.

    Returns:
        The path written, as a ``Path``.
    Raises:
        OSError: the directory cannot be created or written; ``path`` is then left untouched.
    """
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        # mkstemp creates 0600; a report or corpus file gets the mode an ordinary file would.
        umask = os.umask(0)
        os.umask(umask)
        os.fchmod(fd, 0o666 & ~umask)
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
    return target
