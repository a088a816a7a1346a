"""Targets that crash, exit or hang while being imported: exit 2 and one line in every command."""

from __future__ import annotations

import pytest

from conformance.commands.cli import main

FAULTS = {
    "tests.faults.targets.import_segfault": "killed by SIGSEGV",
    "tests.faults.targets.import_exit": "exited with status 7",
    "tests.faults.targets.import_hang": "did not finish within 2 s",
}
COMMANDS = {
    "probe": ["probe"],
    "run": ["run", "--model-depth", "off"],
    "model": ["model", "--depth", "quick", "--no-corpus"],
    "fuzz": ["fuzz", "--time", "1"],
    "corpus replay": ["corpus", "replay"],
}


# Every fault in every command, except that the hang (which costs the import timeout each time) is shown
# in two commands.
CASES = [
    (spec, command)
    for spec in FAULTS
    for command in COMMANDS
    if not spec.endswith("import_hang") or command in ("probe", "run")
]


@pytest.mark.parametrize(("spec", "command"), CASES)
def test_import_fault_is_one_line_and_exit_2(
    spec: str, command: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A target that segfaults, exits or hangs at import: exit 2 and one stderr line naming what happened."""
    monkeypatch.setenv("H11SPEC_IMPORT_TIMEOUT", "2")
    status = main([*COMMANDS[command], "--impl", spec])
    err = capsys.readouterr().err.strip().splitlines()
    assert status == 2
    assert len(err) == 1
    assert FAULTS[spec] in err[0]
