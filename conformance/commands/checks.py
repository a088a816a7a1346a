"""Checks of user input that every command makes before any work starts.

Theory of operation: a mistake found after a minute of fuzzing or grading is a minute lost, and a
mistake that is not found at all is worse: an empty ``--impl`` (an unset variable in CI) once graded
nothing and said "OK". So ``cli.main`` calls ``check_command`` before a command's ``main``: it rejects
blank ``--impl`` values and every output the command would write that cannot be written (each command
module names its outputs in ``outputs(args)``). A failed check is a ``UsageError``: one line on stderr,
exit 2, nothing written. Selection and baseline checks need the catalog and are called by the commands
that have them (``check_selection``, ``baseline_warnings``). A baseline that does not fit the run is not
an error: it is a warning line naming why, because it still works, it just excuses nothing.
"""

from __future__ import annotations

import argparse
import dataclasses
import hashlib
import json
import tempfile
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

from conformance.errors import UsageError

DIR = "directory"
FILE = "file"


@dataclasses.dataclass(frozen=True)
class Output:
    """Something a command will write: the option that names it, the path and whether it is a directory."""

    option: str
    path: Path
    kind: str = DIR
    staged: bool = False  # published by swapping in a sibling directory: the parent must take new entries


def check_impl_values(values: Sequence[str] | None, option: str = "--impl") -> None:
    """Reject an ``--impl`` value that names nothing (empty, blanks, or only commas).

    Raises:
        UsageError: one line saying that the value is empty, probably an unset variable.
    """
    for value in values or ():
        if not any(part.strip() for part in value.split(",")):
            raise UsageError(
                f"empty {option} {value!r} (an unset variable?): name an implementation, "
                f"e.g. {option} reference or {option} h11"
            )


def _nearest_existing(path: Path) -> Path:
    for candidate in (path, *path.parents):
        if candidate.exists() or candidate.is_symlink():
            return candidate
    return Path(".")


def check_writable(output: Output) -> None:
    """Make sure ``output`` can be created or replaced, without creating anything.

    Raises:
        UsageError: a part of the path is a file, the path has the wrong kind, or the nearest existing
            directory does not accept new files (tried with a temporary file, so it holds for root too).
    """
    path = output.path
    where = f"{output.option} {path}"
    if path.exists():
        if output.kind == DIR and not path.is_dir():
            raise UsageError(f"{where} is a file: name a directory")
        if output.kind == FILE and path.is_dir():
            raise UsageError(f"{where} is a directory: name a file")
    existing = _nearest_existing(path if output.kind == DIR else path.parent)
    if not existing.is_dir():
        raise UsageError(f"{where} cannot be written: {existing} is not a directory")
    probes = [existing]
    if output.staged and existing == path:
        probes.append(path.parent)
    for directory in probes:
        try:
            with tempfile.TemporaryFile(prefix=".h11spec-probe-", dir=directory):
                pass
        except OSError as exc:
            raise UsageError(f"{where} cannot be written: {directory}: {exc.strerror or exc}") from None


def check_command(
    args: argparse.Namespace, outputs: Callable[[argparse.Namespace], Iterable[Output]] | None
) -> None:
    """The checks every command shares: blank ``--impl`` values, then every output it would write."""
    impl = getattr(args, "impl", None)
    check_impl_values([impl] if isinstance(impl, str) else impl)
    for output in outputs(args) if outputs is not None else ():
        check_writable(output)


def check_selection(count: int, patterns: Sequence[str], levels: Iterable[Any] = ()) -> None:
    """Reject a selection that matches nothing to grade.

    Raises:
        UsageError: ``count`` is 0; the message repeats the patterns and levels.
    """
    if count:
        return
    level_text = " ".join(getattr(level, "value", str(level)) for level in levels)
    raise UsageError(
        f"no case matches --select {' '.join(patterns) or '*'}"
        + (f" at --level {level_text}" if level_text else " at the levels given")
        + "; see h11spec run --list"
    )


def catalog_digest(case_ids: Iterable[str]) -> str:
    """A short fingerprint of a catalog: the SHA-256 of its sorted case ids, 12 hex digits."""
    return hashlib.sha256("\n".join(sorted(case_ids)).encode()).hexdigest()[:12]


def baseline_warnings(
    paths: Iterable[Path], *, impls: Sequence[str], profile: str, catalog: str | None
) -> list[str]:
    """One line per baseline that cannot excuse anything in this run, naming why.

    A baseline fits when it graded at least one of ``impls``, with the same ``profile``, on the same
    catalog (``catalog``: this run's digest; a baseline without one is not judged on it).
    """
    lines: list[str] = []
    for path in paths:
        try:
            doc = json.loads(Path(path).read_text(encoding="utf-8"))
            meta = doc.get("meta", {})
            graded = [str(i.get("name", "")) for i in doc.get("implementations", [])]
        except (OSError, ValueError, AttributeError):
            continue  # load_baseline reports unreadable files as errors
        reasons = []
        if graded and not set(graded) & set(impls):
            reasons.append(f"it graded another implementation ({', '.join(graded)}, not {', '.join(impls)})")
        if meta.get("profile") and meta.get("profile") != profile:
            reasons.append(f"another profile ({meta['profile']}, not {profile})")
        theirs = meta.get("catalog")
        if catalog and theirs and theirs != catalog:
            reasons.append(f"another catalog version ({theirs}, not {catalog})")
        if reasons:
            lines.append(f"warning: baseline {path} does not fit this run: {'; '.join(reasons)}")
    return lines
