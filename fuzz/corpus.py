"""Reading and writing the fuzz corpora, tolerating damaged files.

Theory of operation: the corpus (``corpus/README.md``) is plain files, so it gets edited by hand,
copied between machines, checked out half-way and downloaded from ClusterFuzzLite. Every reader of it
(corpus replay, the pytest replay, import, export, triage's duplicate check) goes through this module,
which never raises because of one bad file: it returns the entries it could read plus a ``Problem`` per
file it could not, each a one-line message naming the file and saying what to do. The caller prints the
problems and carries on.

Layout, relative to the corpus root:

- ``seeds/<target>/<name>``: one input per file (libFuzzer format); any non-hidden regular file counts.
  The seeds are package data of ``fuzz`` (``SEEDS_DIR``, ``fuzz/seeds/``), so an installed h11spec finds
  them wherever it runs; the other directories are under the corpus root the caller names.
- ``regressions/<target>/<sha256[:16]>`` plus ``<sha256[:16]>.json``: a finding's input and its metadata
  (``META_KEYS``). The input is written before its metadata, both atomically, so a crash in between leaves
  an input without metadata, which is reported (and ``corpus import`` can re-triage it), never a metadata
  file pointing at nothing.

Hidden files (``.name``, e.g. the temporaries of ``write_atomic``) and ``README*`` files are ignored.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from collections.abc import Collection, Iterator, Mapping
from pathlib import Path
from typing import Any

from conformance.atomic import write_atomic
from conformance.errors import CorpusError

SEEDS = "seeds"
SEEDS_DIR = Path(__file__).resolve().parent / SEEDS
"""The seeds shipped with the package: ``fuzz/seeds/<target>/``."""
REGRESSIONS = "regressions"
MODEL = "model"
WORK = "work"
META_SUFFIX = ".json"
# Keys every regression metadata file has (triage writes more: message, artifact, sha256, ...).
META_KEYS = (
    "target",
    "oracle",
    "signature",
    "impl",
    "impl_version",
    "reference_outcome",
    "date",
    "minimized",
)
# The longest input a corpus entry may hold; larger files are not fuzz inputs (libFuzzer's -max_len
# defaults far below this) and are refused rather than read into memory.
MAX_INPUT_BYTES = 1 << 20


def entry_name(data: bytes) -> str:
    """The file name of an input: the first 16 hex digits of its SHA-256."""
    return hashlib.sha256(data).hexdigest()[:16]


@dataclasses.dataclass(frozen=True)
class Entry:
    """One readable corpus input: a seed, or a regression with its metadata."""

    kind: str  # "seed" or "regression"
    target: str  # the fuzz target the input belongs to (its directory name)
    path: Path  # the input file
    data: bytes
    meta: Mapping[str, Any] = dataclasses.field(default_factory=dict, compare=False)

    @property
    def signature(self) -> tuple[str, ...]:
        """The regression's (oracle, exception type, frame) signature; empty for seeds."""
        return tuple(str(part) for part in self.meta.get("signature", ()))


@dataclasses.dataclass(frozen=True)
class Problem:
    """A corpus file that was skipped, and why (one line)."""

    path: Path
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"


@dataclasses.dataclass
class Loaded:
    """What a load found: the usable entries and the files it had to skip."""

    entries: list[Entry] = dataclasses.field(default_factory=list)
    problems: list[Problem] = dataclasses.field(default_factory=list)

    def extend(self, other: Loaded) -> None:
        """Append another load's entries and problems."""
        self.entries.extend(other.entries)
        self.problems.extend(other.problems)


def _ignored(path: Path) -> bool:
    return path.name.startswith(".") or path.name.upper().startswith("README")


def read_input(path: Path) -> bytes:
    """The bytes of one corpus input.

    Raises:
        CorpusError: the file is missing, not a regular file, unreadable or too large; the message names it.
    """
    try:
        if not path.is_file():
            kind = "a directory" if path.is_dir() else "missing or not a regular file"
            raise CorpusError(f"{path}: {kind}, not a corpus input; remove it")
        size = path.stat().st_size
        if size > MAX_INPUT_BYTES:
            raise CorpusError(f"{path}: {size} bytes is too large for a fuzz input; remove it")
        return path.read_bytes()
    except OSError as exc:
        raise CorpusError(
            f"{path}: cannot read ({exc.strerror or exc}); fix its permissions or remove it"
        ) from None


def read_meta(path: Path, *, target: str | None = None) -> dict[str, Any]:
    """The metadata of one regression entry, validated.

    Raises:
        CorpusError: unreadable, not JSON, not an object, missing keys or naming another target.
    """
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) else "not UTF-8"
        raise CorpusError(f"{path}: cannot read metadata ({reason or exc}); fix or remove it") from None
    try:
        meta = json.loads(text)
    except json.JSONDecodeError as exc:
        raise CorpusError(
            f"{path}: corrupt metadata (bad JSON at line {exc.lineno} column {exc.colno}); "
            f"restore it from git or delete it and its input"
        ) from None
    if not isinstance(meta, dict):
        raise CorpusError(f"{path}: metadata must be a JSON object; restore it from git or delete it")
    missing = [key for key in META_KEYS if key not in meta]
    if missing:
        raise CorpusError(
            f"{path}: metadata lacks {', '.join(missing)}; restore it from git or re-import the input"
        )
    if target is not None and meta["target"] != target:
        raise CorpusError(
            f"{path}: metadata says target {meta['target']!r} but the file is under {target!r}; move it"
        )
    return meta


def _target_dirs(root: Path, targets: Collection[str] | None) -> Iterator[Path]:
    if not root.is_dir():
        return
    for sub in sorted(root.iterdir()):
        if sub.is_dir() and not _ignored(sub) and (targets is None or sub.name in targets):
            yield sub


def _files(directory: Path, problems: list[Problem]) -> list[Path]:
    try:
        return sorted(p for p in directory.iterdir() if not _ignored(p))
    except OSError as exc:
        problems.append(Problem(directory, f"cannot list ({exc.strerror or exc}); fix its permissions"))
        return []


def load_seeds(seeds_dir: Path = SEEDS_DIR, targets: Collection[str] | None = None) -> Loaded:
    """Every readable seed under ``seeds_dir/<target>/`` (optionally only for ``targets``).

    Returns:
        The seeds in a stable order, and a problem for each file that could not be read.
    """
    loaded = Loaded()
    for tdir in _target_dirs(seeds_dir, targets):
        for path in _files(tdir, loaded.problems):
            try:
                loaded.entries.append(Entry("seed", tdir.name, path, read_input(path)))
            except CorpusError as exc:
                loaded.problems.append(Problem(path, _strip(exc, path)))
    return loaded


def _strip(exc: CorpusError, path: Path) -> str:
    """The message of ``exc`` without the leading ``path: `` (``Problem`` prints the path itself)."""
    text = str(exc)
    prefix = f"{path}: "
    return text[len(prefix) :] if text.startswith(prefix) else text


def load_regression_dir(directory: Path, target: str) -> Loaded:
    """Every readable regression entry in one ``regressions/<target>`` directory."""
    loaded = Loaded()
    files = _files(directory, loaded.problems)
    metas = {p.name[: -len(META_SUFFIX)]: p for p in files if p.name.endswith(META_SUFFIX)}
    inputs = {p.name: p for p in files if not p.name.endswith(META_SUFFIX)}
    for stem, meta_path in sorted(metas.items()):
        if stem not in inputs:
            loaded.problems.append(
                Problem(
                    meta_path, f"metadata without its input {stem!r}; restore the input or delete this file"
                )
            )
    for name, path in sorted(inputs.items()):
        found = metas.get(name)
        if found is None:
            loaded.problems.append(
                Problem(
                    path,
                    f"input without metadata {name}{META_SUFFIX}; re-triage it with `h11spec corpus import`",
                )
            )
            continue
        meta_path = found
        try:
            data = read_input(path)
            meta = read_meta(meta_path, target=target)
        except CorpusError as exc:
            bad = meta_path if str(exc).startswith(f"{meta_path}:") else path
            loaded.problems.append(Problem(bad, _strip(exc, bad)))
            continue
        digest = meta.get("sha256")
        if isinstance(digest, str) and digest != hashlib.sha256(data).hexdigest():
            loaded.problems.append(
                Problem(
                    path, "input does not match the sha256 in its metadata (truncated?); restore it from git"
                )
            )
            continue
        loaded.entries.append(Entry("regression", target, path, data, meta))
    return loaded


def load_regressions(corpus_dir: Path, targets: Collection[str] | None = None) -> Loaded:
    """Every readable regression entry under ``corpus_dir/regressions``."""
    loaded = Loaded()
    for tdir in _target_dirs(corpus_dir / REGRESSIONS, targets):
        loaded.extend(load_regression_dir(tdir, tdir.name))
    return loaded


def load_corpus(
    corpus_dir: Path, targets: Collection[str] | None = None, *, seeds_dir: Path = SEEDS_DIR
) -> Loaded:
    """Regressions of ``corpus_dir`` first, then the seeds of ``seeds_dir``: everything replay runs."""
    loaded = load_regressions(corpus_dir, targets)
    loaded.extend(load_seeds(seeds_dir, targets))
    return loaded


def write_regression(directory: Path, data: bytes, meta: Mapping[str, Any]) -> Path:
    """Write one regression entry (input, then metadata, each atomically) into ``directory``.

    Returns:
        The input's path (``directory/<sha256[:16]>``).
    Raises:
        OSError: the directory cannot be written (nothing half-written is left behind).
    """
    name = entry_name(data)
    path = directory / name
    record = dict(meta)
    record["sha256"] = hashlib.sha256(data).hexdigest()
    write_atomic(path, data)
    write_atomic(directory / f"{name}{META_SUFFIX}", json.dumps(record, indent=2, sort_keys=True) + "\n")
    return path


def readable_inputs(directory: Path) -> tuple[list[Path], list[Problem]]:
    """The files of a libFuzzer corpus directory that can be read as inputs, and the ones that cannot.

    A campaign or ``corpus minimize`` calls this before handing the directory to libFuzzer, so that a
    damaged file is named and set aside instead of stopping the run.
    """
    problems: list[Problem] = []
    good: list[Path] = []
    if not directory.is_dir():
        return good, problems
    for path in _files(directory, problems):
        try:
            read_input(path)
        except CorpusError as exc:
            problems.append(Problem(path, _strip(exc, path)))
        else:
            good.append(path)
    return good, problems
