"""Bad input is caught before any work starts: one line on stderr, exit 2, nothing written, no false pass."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from conformance.commands import session as run_module
from conformance.commands.checks import DIR, FILE, Output, baseline_warnings, check_writable
from conformance.commands.cli import main
from conformance.errors import UsageError
from conformance.reports import write_reports
from conformance.verdict import Verdict
from tests.commands import _fakes
from tests.commands.test_run import CASES


class WorkStarted(Exception):
    """Raised by the stand-ins for the engines: the command started work it should not have."""


def _no_work(*_: Any, **__: Any) -> Any:
    raise WorkStarted


@pytest.fixture
def no_work(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every engine a command could start raises WorkStarted."""
    import conformance.model
    import fuzz.campaign
    import fuzz.export

    monkeypatch.setattr(run_module, "_default_catalog_runner", lambda: _no_work)
    monkeypatch.setattr(run_module, "_default_model_runner", lambda: _no_work)
    monkeypatch.setattr(conformance.model, "run_model", _no_work)
    monkeypatch.setattr(fuzz.campaign, "run_campaign", _no_work)
    monkeypatch.setattr(fuzz.export, "export_findings", _no_work)


def _exit_2(argv: list[str], capsys: pytest.CaptureFixture[str]) -> str:
    status = main(argv)
    err = capsys.readouterr().err
    assert status == 2, err
    assert err.count("\n") == 1, err
    assert "Traceback" not in err
    return err


@pytest.mark.parametrize("value", ["", "   ", ",", " , "])
@pytest.mark.parametrize(
    "command",
    [["run", "--model-depth", "off"], ["model"], ["fuzz", "--time", "1"], ["probe"], ["corpus", "replay"]],
)
def test_blank_impl_is_exit_2_before_any_work(
    no_work: None, tmp_path: Path, capsys: pytest.CaptureFixture[str], command: list[str], value: str
) -> None:
    """An empty or all-blank --impl (an unset variable in CI) is exit 2 for every command, not a pass."""
    argv = [*command, "--impl", value]
    if command[0] == "run":
        argv += ["--report-dir", str(tmp_path / "r")]
    err = _exit_2(argv, capsys)
    assert "empty --impl" in err
    assert not (tmp_path / "r").exists()


def test_blank_impl_among_good_ones_is_still_an_error(
    no_work: None, capsys: pytest.CaptureFixture[str]
) -> None:
    """--impl reference --impl '' is an error too: the blank one was meant to name something."""
    assert "empty --impl" in _exit_2(["probe", "--impl", "reference", "--impl", ""], capsys)


@pytest.mark.parametrize("depth", ["off", "quick"])
def test_selection_matching_nothing_is_exit_2_even_with_the_model(
    no_work: None, tmp_path: Path, capsys: pytest.CaptureFixture[str], depth: str
) -> None:
    """--select matching no catalog case and no model invariant is exit 2 before grading, model on or off."""
    err = _exit_2(
        ["run", "--select", "nothing", "--model-depth", depth, "--report-dir", str(tmp_path / "r")], capsys
    )
    assert "no case matches --select nothing" in err
    assert not (tmp_path / "r").exists()


def test_selection_of_model_rows_only_is_accepted() -> None:
    """A pattern that names a model invariant selects the model checker (the check is exact, not a guess)."""
    assert run_module.may_select_model(["model/wire"])
    assert not run_module.may_select_model(["nothing"])
    assert not run_module.may_select_model(["model/wire"], [_fakes.Level.SHOULD])


def _blocker(tmp_path: Path) -> Path:
    """A regular file: any path under it cannot be created, even by root."""
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory")
    return blocker


FUZZ_OK = ["fuzz", "--time", "1", "--corpus", "{ok}/c", "--artifacts", "{ok}/a"]
UNWRITABLE = [
    (["run", "--model-depth", "off", "--report-dir", "{bad}"], "--report-dir"),
    (["run", "--model-depth", "quick", "--report-dir", "{bad}"], "--report-dir"),
    (
        ["run", "--model-depth", "off", "--report-dir", "{ok}", "--write-baseline", "{bad}/b.json"],
        "--write-baseline",
    ),
    (["model", "--corpus-dir", "{bad}"], "--corpus-dir"),
    (["model", "--no-corpus", "--json", "{bad}/m.json"], "--json"),
    (["fuzz", "--time", "1", "--corpus", "{bad}"], "--corpus"),
    (["fuzz", "--time", "1", "--corpus", "{ok}/c", "--artifacts", "{bad}"], "--artifacts"),
    (
        ["fuzz", "--time", "1", "--corpus", "{ok}/c", "--artifacts", "{ok}/a", "--regressions", "{bad}"],
        "--regressions",
    ),
    (
        [*FUZZ_OK, "--regressions", "{ok}/g", "--report-dir", "{bad}"],
        "--report-dir",
    ),
    (["corpus", "export", "--out", "{bad}"], "--out"),
    (["corpus", "import", "{ok}", "--target", "send", "--dir", "{bad}"], "--dir"),
    (["corpus", "minimize", "--dir", "{bad}"], "--dir"),
    (["bench", "--json", "{bad}/b.json"], "--json"),
]


@pytest.mark.parametrize(("argv", "option"), UNWRITABLE)
def test_unwritable_output_is_exit_2_before_any_work(
    no_work: None, tmp_path: Path, capsys: pytest.CaptureFixture[str], argv: list[str], option: str
) -> None:
    """Every output of every command that cannot be written is exit 2, one line, before any work starts."""
    bad = _blocker(tmp_path) / "sub"
    ok = tmp_path / "ok"
    ok.mkdir()
    before = sorted(p.name for p in tmp_path.rglob("*"))
    args = [a.replace("{bad}", str(bad)).replace("{ok}", str(ok)) for a in argv]
    err = _exit_2(args, capsys)
    assert option in err
    assert "cannot be written" in err
    assert sorted(p.name for p in tmp_path.rglob("*")) == before  # nothing created, not even directories


def test_report_dir_that_is_a_file_is_named(tmp_path: Path) -> None:
    """A --report-dir that is a file is rejected as such; a file output that is a directory too."""
    blocker = _blocker(tmp_path)
    with pytest.raises(UsageError, match="is a file"):
        check_writable(Output("--report-dir", blocker, DIR))
    with pytest.raises(UsageError, match="is a directory"):
        check_writable(Output("--json", tmp_path, FILE))
    check_writable(Output("--report-dir", tmp_path / "new" / "deeper", DIR, staged=True))
    assert not (tmp_path / "new").exists()


def _baseline(tmp_path: Path, impl: str, profile: str = "rfc9112", catalog: str = "") -> Path:
    run = _fakes.run_of([_fakes.result("9112/6.3/cl-dup-differs", Verdict.FAIL, impl=impl)])
    run.meta["profile"] = profile
    if catalog:
        run.meta["catalog"] = catalog
    write_reports(run, tmp_path / f"base-{impl}-{profile}-{catalog}")
    return tmp_path / f"base-{impl}-{profile}-{catalog}" / "results.json"


def test_baseline_that_does_not_fit_is_a_warning_naming_why(tmp_path: Path) -> None:
    """A baseline of another implementation, profile or catalog version gets one warning line saying which."""
    fits = _baseline(tmp_path, "h11", catalog="abc")
    assert baseline_warnings([fits], impls=["reference", "h11"], profile="rfc9112", catalog="abc") == []
    cases = {
        "another implementation": _baseline(tmp_path, "fork", catalog="abc"),
        "another profile": _baseline(tmp_path, "h11", profile="h11", catalog="abc"),
        "another catalog version": _baseline(tmp_path, "h11", catalog="old"),
    }
    for why, path in cases.items():
        [line] = baseline_warnings([path], impls=["h11"], profile="rfc9112", catalog="abc")
        assert line.startswith(f"warning: baseline {path}")
        assert why in line


def test_run_prints_the_baseline_warning_and_still_runs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """`h11spec run` with a baseline of another implementation warns on stderr, then grades as usual."""
    monkeypatch.setattr(run_module, "select_cases", lambda patterns=(), levels=(): list(CASES))
    monkeypatch.setattr(run_module, "_default_catalog_runner", lambda: _fakes.catalog_runner({}))
    base = _baseline(tmp_path, "somebody-else")
    status = main(
        [
            "run",
            "--impl",
            "h11",
            "--model-depth",
            "off",
            "--baseline",
            str(base),
            "--report-dir",
            str(tmp_path / "r"),
        ]
    )
    err = capsys.readouterr().err
    assert status == 0
    assert "warning: baseline" in err
    assert "another implementation (somebody-else, not h11)" in err
    assert (tmp_path / "r" / "results.json").exists()


def test_missing_baseline_is_written_on_first_adoption(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """--write-baseline FILE with --baseline FILE not there yet writes it and exits 0; then it ratchets."""
    planted = {("h11", "9112/6.3/cl-dup-differs"): Verdict.FAIL}
    monkeypatch.setattr(run_module, "select_cases", lambda patterns=(), levels=(): list(CASES))
    monkeypatch.setattr(run_module, "_default_catalog_runner", lambda: _fakes.catalog_runner(planted))
    base = tmp_path / "h11spec-baseline.json"
    argv = ["run", "--impl", "h11", "--model-depth", "off", "--report-dir", str(tmp_path / "r")]
    assert main([*argv, f"--baseline={base}"]) == 2  # a typo'd or missing baseline is still an error
    assert main([*argv, f"--baseline={base}", "--write-baseline", str(base)]) == 0
    assert json.loads(base.read_text())["results"][0]["known"] is True
    assert main([*argv, f"--baseline={base}"]) == 0
    planted[("h11", "9112/6.1/cl-te-both-must-close")] = Verdict.FAIL
    assert main([*argv, f"--baseline={base}"]) == 1
    assert "commit it" in capsys.readouterr().out


def test_console_script_finds_a_module_in_the_current_directory(tmp_path: Path) -> None:
    """`h11spec run --impl mymod` (the console script, as tox runs it) sees mymod.py in its directory."""
    script = Path(sys.executable).parent / "h11spec"
    if not script.exists():
        pytest.skip("the h11spec console script is not installed beside this Python")
    (tmp_path / "mymod_h11spec_cwd.py").write_text("from conformance.reference import *  # noqa: F403\n")
    argv = ["run", "--impl", "mymod_h11spec_cwd", "--model-depth", "off", "--select", "9112/6.3/cl-plus*"]
    done = subprocess.run(
        [str(script), *argv, "--report-dir", "r"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "== mymod_h11spec_cwd" in done.stdout
