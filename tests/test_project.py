"""Self-tests of the project's own plumbing: README, CI script, atomic writes, CLI errors."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from conformance.atomic import write_atomic
from conformance.commands.cli import main

ROOT = Path(__file__).resolve().parent.parent


def _readme_commands() -> list[str]:
    text = (ROOT / "README.md").read_text()
    block = re.search(r"```sh\n(.*?)```", text, re.S)
    assert block, "README must open with a sh code block"
    return [line for line in block.group(1).splitlines() if line.strip()]


def test_readme_opens_with_two_commands() -> None:
    """The README's first code block holds exactly two commands: the main job and the tests."""
    commands = _readme_commands()
    assert len(commands) == 2
    assert "h11spec run" in commands[0]
    assert "tox" in commands[1]


def test_ci_runs_the_readme_test_command() -> None:
    """.ci/run executes the README's second command, to the letter."""
    ci = (ROOT / ".ci" / "run").read_text().splitlines()
    assert _readme_commands()[1] in ci


def test_write_atomic_leaves_no_partial_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An atomic write that fails midway leaves the old file intact and no temporary behind."""
    target = tmp_path / "r" / "results.json"
    write_atomic(target, "old")

    def boom(fd: int) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "fsync", boom)
    with pytest.raises(OSError, match="disk full"):
        write_atomic(target, "new")
    assert target.read_text() == "old"
    assert os.listdir(target.parent) == ["results.json"]


def test_unknown_impl_is_one_line_and_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    """An --impl that cannot be imported is one line on stderr and exit status 2, no traceback."""
    status = subprocess.run(
        [sys.executable, "-m", "conformance.commands.cli", "probe", "--impl", "no_such_module_h11spec"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert status.returncode == 2
    assert status.stderr.count("\n") == 1, status.stderr
    assert "Traceback" not in status.stderr
    assert main is not None


def test_write_atomic_gives_ordinary_file_mode(tmp_path: Path) -> None:
    """An atomically written file gets the mode the umask gives ordinary files, not mkstemp's 0600."""
    umask = os.umask(0o022)
    try:
        path = write_atomic(tmp_path / "report.json", "{}")
    finally:
        os.umask(umask)
    assert path.stat().st_mode & 0o777 == 0o644
