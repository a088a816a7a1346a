"""fuzz.corpus: damaged corpus files are named in one line and skipped, never fatal."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from conformance.errors import CorpusError
from fuzz.corpus import (
    META_KEYS,
    SEEDS_DIR,
    entry_name,
    load_corpus,
    load_regressions,
    load_seeds,
    read_input,
    readable_inputs,
    write_regression,
)

REQUEST = b"GET / HTTP/1.1\r\nHost: a\r\n\r\n"


def _meta(target: str = "server-parse") -> dict[str, object]:
    meta: dict[str, object] = dict.fromkeys(META_KEYS, "x")
    meta.update(target=target, signature=["oracle", "IndexError", "m:f"], minimized=False)
    return meta


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    """A corpus root with one good seed and one good regression entry."""
    seeds = tmp_path / "seeds" / "server-parse"
    seeds.mkdir(parents=True)
    (seeds / entry_name(REQUEST)).write_bytes(REQUEST)
    write_regression(tmp_path / "regressions" / "server-parse", b"GET / HTTP/1.1\r\n: x\r\n\r\n", _meta())
    return tmp_path


def test_good_corpus_loads_without_problems(corpus: Path) -> None:
    """A clean corpus loads every regression and seed, regressions first, with no problems."""
    loaded = load_corpus(corpus, seeds_dir=corpus / "seeds")
    assert [e.kind for e in loaded.entries] == ["regression", "seed"]
    assert loaded.problems == []
    assert loaded.entries[0].signature == ("oracle", "IndexError", "m:f")


def test_write_regression_names_input_by_hash_and_records_it(tmp_path: Path) -> None:
    """A regression entry is <sha256[:16]> plus .json metadata holding the full sha256."""
    data = b"POST / HTTP/1.1\r\n"
    path = write_regression(tmp_path, data, _meta())
    assert path.name == entry_name(data)
    meta = json.loads((tmp_path / f"{path.name}.json").read_text())
    assert meta["sha256"].startswith(path.name)
    assert sorted(os.listdir(tmp_path)) == [path.name, f"{path.name}.json"]


GOOD_META = json.dumps(_meta())
DIR = object()  # plant a directory
LINK = object()  # plant a dangling symlink

# (case id, files to plant {name: bytes, str, DIR or LINK}, the problem's message must contain)
DAMAGE = [
    ("bad-json", {"0000000000000001": b"x", "0000000000000001.json": "{"}, "corrupt metadata (bad JSON"),
    ("meta-without-input", {"0000000000000002.json": GOOD_META}, "metadata without its input"),
    ("input-without-meta", {"0000000000000003": b"x"}, "input without metadata"),
    ("not-object", {"0000000000000004": b"x", "0000000000000004.json": "[]"}, "must be a JSON object"),
    (
        "missing-keys",
        {"0000000000000005": b"x", "0000000000000005.json": json.dumps({"target": "server-parse"})},
        "metadata lacks",
    ),
    (
        "wrong-target",
        {"0000000000000006": b"x", "0000000000000006.json": json.dumps(_meta("send"))},
        "says target 'send'",
    ),
    ("directory", {"0000000000000007": DIR, "0000000000000007.json": GOOD_META}, "a directory"),
    (
        "hash-mismatch",
        {"0000000000000008": b"x", "0000000000000008.json": json.dumps({**_meta(), "sha256": "00"})},
        "does not match the sha256",
    ),
    ("dangling-symlink", {"0000000000000009": LINK, "0000000000000009.json": GOOD_META}, "missing or not"),
    ("binary-metadata", {"000000000000000a": b"x", "000000000000000a.json": b"\xff\xfe"}, "not UTF-8"),
]


def _plant(directory: Path, files: dict[str, object]) -> None:
    for name, content in files.items():
        path = directory / name
        if content is DIR:
            path.mkdir()
        elif content is LINK:
            path.symlink_to(directory / "nowhere")
        elif isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(str(content))


@pytest.mark.parametrize(("files", "needle"), [d[1:] for d in DAMAGE], ids=[d[0] for d in DAMAGE])
def test_damaged_regression_file_is_named_and_skipped(
    corpus: Path, files: dict[str, object], needle: str
) -> None:
    """Each kind of damage gives one one-line problem naming the file; the good entries still load."""
    _plant(corpus / "regressions" / "server-parse", files)
    loaded = load_corpus(corpus, seeds_dir=corpus / "seeds")
    assert [e.kind for e in loaded.entries] == ["regression", "seed"]
    assert len(loaded.problems) == 1
    problem = loaded.problems[0]
    assert needle in problem.message
    assert "\n" not in str(problem)
    assert str(problem).startswith(str(problem.path))
    assert problem.path.parent == corpus / "regressions" / "server-parse"


def test_unreadable_seed_is_named_and_skipped(corpus: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A seed that cannot be read (permission denied) is a problem naming it, not an exception."""
    bad = corpus / "seeds" / "server-parse" / "ffffffffffffffff"
    bad.write_bytes(b"secret")
    real = Path.read_bytes

    def read_bytes(self: Path) -> bytes:
        if self == bad:
            raise PermissionError(13, "Permission denied", str(self))
        return real(self)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    loaded = load_seeds(corpus / "seeds")
    assert len(loaded.entries) == 1
    assert [str(p) for p in loaded.problems] == [
        f"{bad}: cannot read (Permission denied); fix its permissions or remove it"
    ]


def test_hidden_and_readme_files_are_ignored(corpus: Path) -> None:
    """Temporaries of write_atomic (dot files) and README files are not corpus entries or problems."""
    (corpus / "seeds" / "server-parse" / ".x.tmp").write_bytes(b"half")
    (corpus / "regressions" / "server-parse" / "README.md").write_text("notes")
    loaded = load_corpus(corpus, seeds_dir=corpus / "seeds")
    assert len(loaded.entries) == 2
    assert loaded.problems == []


def test_target_filter_and_missing_root(tmp_path: Path, corpus: Path) -> None:
    """Only the asked targets load; a missing corpus root is simply empty."""
    assert load_regressions(corpus, ["send"]).entries == []
    assert load_corpus(tmp_path / "absent", seeds_dir=tmp_path / "absent").entries == []


def test_read_input_refuses_huge_files(tmp_path: Path) -> None:
    """A file far larger than any fuzz input is refused with a message naming it."""
    big = tmp_path / "big"
    with big.open("wb") as handle:
        handle.truncate((1 << 20) + 1)
    with pytest.raises(CorpusError, match="too large"):
        read_input(big)


def test_readable_inputs_sets_aside_bad_files(tmp_path: Path) -> None:
    """readable_inputs splits a libFuzzer directory into readable files and named problems."""
    (tmp_path / "a").write_bytes(b"ok")
    (tmp_path / "sub").mkdir()
    good, problems = readable_inputs(tmp_path)
    assert [p.name for p in good] == ["a"]
    assert [p.path.name for p in problems] == ["sub"]


def test_seeds_are_package_data_of_fuzz() -> None:
    """The seeds live in the fuzz package and every one is matched by its package-data globs in pyproject."""
    import tomllib

    import fuzz

    assert Path(fuzz.__file__).resolve().parent / "seeds" == SEEDS_DIR
    pyproject = tomllib.loads((Path(__file__).resolve().parents[2] / "pyproject.toml").read_text())
    globs = pyproject["tool"]["setuptools"]["package-data"]["fuzz"]
    seeds = [p.relative_to(SEEDS_DIR.parent) for p in SEEDS_DIR.glob("*/*") if p.is_file()]
    assert seeds
    assert all(any(p.match(g) for g in globs) for p in seeds)
