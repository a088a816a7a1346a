"""Reports are published as one set: a killed writer leaves the old set or the new one, never a mix."""

from __future__ import annotations

import os
import random
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conformance.atomic import StagedDirectory, write_atomic
from conformance.reports import REPORT_FILES, write_reports
from conformance.verdict import Verdict
from tests.commands import _fakes

ROOT = Path(__file__).resolve().parents[2]

# Writes report sets into argv[1] forever; set number N grades an implementation named "impl-N", so every
# file of a set names the same N. Prints "ready" once the first set is published.
WRITER = """
import sys
from conformance.reports import write_reports
from tests.commands import _fakes
from conformance.verdict import Verdict

n = int(sys.argv[2])
while True:
    rows = [_fakes.result(f"9112/6.{i}/case-{i}", Verdict.FAIL, impl=f"impl-{n}") for i in range(40)]
    write_reports(_fakes.run_of(rows), sys.argv[1])
    if n == int(sys.argv[2]):
        print("ready", flush=True)
    n += 1
"""


def _set_number(directory: Path) -> int:
    """The one run number every report file of ``directory`` names; fails on a mixed or partial set."""
    names = sorted(p.name for p in directory.iterdir())
    assert names == sorted(REPORT_FILES), names
    numbers: set[int] = set()
    for name in REPORT_FILES:
        found = {int(n) for n in re.findall(r"impl-(\d+)", (directory / name).read_text(encoding="utf-8"))}
        assert len(found) == 1, (name, found)
        numbers |= found
    assert len(numbers) == 1, numbers
    return numbers.pop()


def _leftovers(parent: Path, directory: Path) -> list[str]:
    hidden = [p.name for p in parent.iterdir() if p.name.startswith(".")]
    hidden += [p.name for p in directory.iterdir() if p.name.startswith(".")]
    return hidden


def test_sigkill_at_random_points_leaves_one_whole_set(tmp_path: Path) -> None:
    """SIGKILL of a writer at 30 random points: the directory always holds one whole set, old or new."""
    report_dir = tmp_path / "reports" / "latest"
    extra = report_dir / "notes.txt"
    rng = random.Random(12)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    last = -1
    start = 0
    for _ in range(30):
        proc = subprocess.Popen(
            [sys.executable, "-c", WRITER, str(report_dir), str(start)],
            stdout=subprocess.PIPE,
            env=env,
            cwd=ROOT,
        )
        assert proc.stdout is not None
        assert proc.stdout.readline() == b"ready\n"
        if last < 0:
            extra.write_text("a file of the user's, not part of the set")
        time.sleep(rng.uniform(0, 0.15))
        proc.send_signal(signal.SIGKILL)
        proc.wait(10)
        proc.stdout.close()
        number = _set_number_ignoring(report_dir, extra)
        assert number >= start, (number, start)  # a set of this writer, never an older mix
        assert number > last
        last = number
        start = number + 1000
        # The user's file is in place, or (killed between the swap and moving it back) in the dead staging
        # directory, from where the next run's staging restores it.
        where = [p for p in report_dir.parent.rglob("notes.txt") if p.read_text().startswith("a file of")]
        assert len(where) == 1, where
    # The next publication removes whatever the killed writers left behind.
    write_reports(
        _fakes.run_of([_fakes.result("9112/6.1/x", Verdict.PASS, impl=f"impl-{start}")]), report_dir
    )
    assert _set_number_ignoring(report_dir, extra) == start
    assert _leftovers(report_dir.parent, report_dir) == []
    assert extra.exists()


def _set_number_ignoring(directory: Path, extra: Path) -> int:
    """``_set_number`` of ``directory`` with the user's extra file (which must survive) set aside."""
    keep = [p for p in directory.iterdir() if p != extra and not p.name.startswith(".")]
    view = directory.parent / "view"
    view.mkdir(exist_ok=True)
    for old in view.iterdir():
        old.unlink()
    for path in keep:
        os.link(path, view / path.name)
    try:
        return _set_number(view)
    finally:
        for old in view.iterdir():
            old.unlink()
        view.rmdir()


def test_stale_temporaries_of_killed_runs_are_removed(tmp_path: Path) -> None:
    """Temporaries of killed runs (`.results.json.*.tmp`, dead staging dirs) are removed by the next run."""
    report_dir = tmp_path / "latest"
    write_reports(_fakes.run_of([_fakes.result("9112/6.1/x", Verdict.PASS, impl="impl-1")]), report_dir)
    stale = [report_dir / ".results.json.k2j3h4g5.tmp", report_dir / ".junit.xml.999999999-abc.tmp"]
    for path in stale:
        path.write_text("half")
    dead = tmp_path / f".latest.999999999-0badf00d{'.h11spec.tmp'}"
    dead.mkdir()
    (dead / "results.json").write_text("half")
    (dead / "kept-by-user").write_text("moved back")
    live = report_dir / f".summary.md.{os.getpid()}-live.tmp"  # a concurrent writer of ours: left alone
    live.write_text("being written")
    write_reports(_fakes.run_of([_fakes.result("9112/6.1/x", Verdict.PASS, impl="impl-2")]), report_dir)
    assert not any(p.exists() for p in stale)
    assert not dead.exists()
    assert (report_dir / "kept-by-user").read_text() == "moved back"
    assert live.exists()
    assert _set_number_ignoring(report_dir, report_dir / "kept-by-user") == 2


def test_nested_entries_survive_publication(tmp_path: Path) -> None:
    """Entries of the old directory that are not part of the set (a nested report dir) stay in place."""
    parent = tmp_path / "h11"
    write_reports(_fakes.run_of([_fakes.result("9112/6.1/x", Verdict.PASS, impl="impl-1")]), parent)
    write_reports(
        _fakes.run_of([_fakes.result("9112/6.1/x", Verdict.PASS, impl="impl-9")]), parent / "profile-h11"
    )
    write_reports(_fakes.run_of([_fakes.result("9112/6.1/x", Verdict.FAIL, impl="impl-2")]), parent)
    assert sorted(p.name for p in (parent / "profile-h11").iterdir()) == sorted(REPORT_FILES)
    assert "impl-2" in (parent / "results.json").read_text()


def test_fallback_without_exchange_repairs_a_kill_between_renames(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without an atomic exchange, a run killed between its two renames is repaired by the next staging."""
    import conformance.atomic as atomic

    target = tmp_path / "latest"
    write_atomic(target / "results.json", "old")
    monkeypatch.setattr(atomic, "_exchange", lambda a, b: False)
    stage = StagedDirectory(target, {"results.json"})
    write_atomic(stage.path / "results.json", "new")
    os.rename(target, stage._aside())  # the first rename of the fallback; then the process "dies"
    assert not target.exists()
    StagedDirectory(target, {"results.json"}).discard()  # the next run's staging repairs it
    assert (target / "results.json").read_text() == "old"
    again = StagedDirectory(target, {"results.json"})
    write_atomic(again.path / "results.json", "newer")
    again.publish()
    assert (target / "results.json").read_text() == "newer"
