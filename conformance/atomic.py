"""Atomic writes: every report and corpus entry appears whole or not at all, and a set of files together.

A reader (or a campaign killed with SIGKILL) can only ever see the old file or the complete new
one, because the bytes go to a temporary file in the same directory, are flushed and fsynced, and
are then moved into place with ``os.replace``, which is atomic on POSIX.

Several files that belong together (the four reports of one run) are published as a *set*: they are
written into a sibling staging directory (``.<name>.<pid>.h11spec.tmp``), which then trades places with
the target directory in one ``renameat2(RENAME_EXCHANGE)`` call, so the directory holds the old set
until the instant it holds the new one. Entries of the old directory that are not part of the set (a
nested report directory, a user's notes) are moved back afterwards. The next staging of the same
directory removes what killed runs left behind: staging directories of dead processes (after moving
their extra entries back) and ``.<file>.*.tmp`` temporaries of ``write_atomic``. Where the exchange call
does not exist (not Linux), the old directory is renamed aside and the new one renamed in; a run killed
between the two renames is repaired by the next staging, which puts the old set back.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import re
import shutil
import tempfile
from collections.abc import Collection
from pathlib import Path

STAGING_SUFFIX = ".h11spec.tmp"
_AT_FDCWD = -100
_RENAME_EXCHANGE = 2


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
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.{os.getpid()}-", suffix=".tmp", dir=target.parent)
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


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _owner(name: str, pattern: re.Pattern[str]) -> int | None:
    match = pattern.fullmatch(name)
    return int(match.group(1)) if match and match.group(1) else None


def clean_temporaries(directory: Path, names: Collection[str]) -> list[Path]:
    """Remove the ``write_atomic`` temporaries of ``names`` in ``directory`` left by dead processes.

    Returns:
        The paths removed. A temporary of a live process (its pid is in the name) is kept.
    """
    removed: list[Path] = []
    if not directory.is_dir():
        return removed
    for name in names:
        pattern = re.compile(re.escape(f".{name}.") + r"(?:(\d+)-)?.*\.tmp")
        for path in directory.glob(f".{glob_escape(name)}.*.tmp"):
            pid = _owner(path.name, pattern)
            if pid is not None and _alive(pid):
                continue
            with contextlib.suppress(FileNotFoundError, IsADirectoryError):
                path.unlink()
                removed.append(path)
    return removed


def glob_escape(name: str) -> str:
    """``name`` with the glob metacharacters made literal."""
    return re.sub(r"([*?\[])", r"[\1]", name)


def _exchange(a: Path, b: Path) -> bool:
    """Swap two directories in one atomic step; False when the system has no such call."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        call = libc.renameat2
    except (OSError, AttributeError):
        return False
    if call(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    errno = ctypes.get_errno()
    if errno in (22, 38, 95):  # EINVAL, ENOSYS, EOPNOTSUPP: the file system cannot exchange
        return False
    raise OSError(errno, os.strerror(errno), str(b))


class StagedDirectory:
    """A sibling staging directory whose contents replace ``target``'s set of entries in one step.

    ``set_names`` are the entries that make up the set (files or directories): the staging directory
    holds the new ones; every other entry of the old ``target`` survives the publication.
    """

    def __init__(self, target: str | os.PathLike[str], set_names: Collection[str]) -> None:
        self.target = Path(target)
        self.set_names = frozenset(set_names)
        parent = self.target.parent
        parent.mkdir(parents=True, exist_ok=True)
        self.recover()
        self.path = parent / f".{self.target.name}.{os.getpid()}-{os.urandom(4).hex()}{STAGING_SUFFIX}"
        self.path.mkdir()
        self.published = False

    def _pattern(self) -> re.Pattern[str]:
        return re.compile(re.escape(f".{self.target.name}.") + r"(\d+)-[0-9a-f]+" + re.escape(STAGING_SUFFIX))

    def _aside(self) -> Path:
        return self.target.parent / f".{self.target.name}.aside{STAGING_SUFFIX}"

    def recover(self) -> None:
        """Undo what killed runs left: restore an old set renamed aside, drop dead staging directories."""
        parent = self.target.parent
        aside = self._aside()
        if aside.is_dir():
            if not self.target.exists():
                os.rename(aside, self.target)
            else:
                self._restore_extras(aside)
                shutil.rmtree(aside, ignore_errors=True)
        pattern = self._pattern()
        for path in parent.glob(f".{glob_escape(self.target.name)}.*{STAGING_SUFFIX}"):
            pid = _owner(path.name, pattern)
            if pid is None or _alive(pid) or not path.is_dir():
                continue
            self._restore_extras(path)
            shutil.rmtree(path, ignore_errors=True)
        clean_temporaries(self.target, self.set_names)

    def _restore_extras(self, old: Path) -> None:
        """Move the entries of ``old`` that are not part of the set back into the target, if missing there."""
        if not self.target.is_dir():
            return
        for entry in old.iterdir():
            if entry.name in self.set_names or (self.target / entry.name).exists():
                continue
            os.rename(entry, self.target / entry.name)

    def publish(self) -> None:
        """Make the staged set the target's set, atomically; the old set is removed afterwards."""
        if not self.target.exists():
            os.rename(self.path, self.target)
        elif _exchange(self.path, self.target):
            self._restore_extras(self.path)
            shutil.rmtree(self.path, ignore_errors=True)
        else:
            aside = self._aside()
            os.rename(self.target, aside)
            os.rename(self.path, self.target)
            self._restore_extras(aside)
            shutil.rmtree(aside, ignore_errors=True)
        self.published = True

    def discard(self) -> None:
        """Remove the staging directory without publishing (the run failed)."""
        if not self.published:
            shutil.rmtree(self.path, ignore_errors=True)
