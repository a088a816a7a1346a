"""The model checker through the executor: planted hangs, leaks, segfaults and exits become rows."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from conformance.commands.cli import main
from conformance.model import run_model
from conformance.model.lockstep import step_worlds
from conformance.targets.executor import Crashed, InProcessExecutor, Ok
from conformance.targets.load import load_target
from conformance.verdict import Verdict

# fault module -> (the verdict of model/errors, a phrase of its message)
FAULTS = {
    "hang": (Verdict.HANG, "no result within 2 s"),
    "leak": (Verdict.CRASH, "memory limit of 256 MiB exceeded"),
    "segfault": (Verdict.CRASH, "SIGSEGV"),
    "exits": (Verdict.CRASH, "exited with status 3"),
}


@pytest.mark.parametrize("fault", list(FAULTS))
def test_planted_fault_in_the_model_is_graded_and_reported(
    fault: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A target that hangs, leaks, segfaults or exits in the model gets a hang or crash row, and the JSON
    report is written with every other part skipped with the reason."""
    monkeypatch.setenv("H11SPEC_MEMORY_LIMIT_MB", "256")
    out = tmp_path / "model.json"
    argv = ["model", "--impl", f"tests.faults.targets.{fault}", "--depth", "quick", "--no-corpus"]
    status = main([*argv, "--timeout", "2", "--isolated", "--json", str(out)])
    rows = {r["case_id"]: r for r in json.loads(out.read_text())["results"]}
    verdict, phrase = FAULTS[fault]
    assert status == 1
    assert rows["model/errors"]["verdict"] == verdict.value
    assert phrase in rows["model/errors"]["message"]
    assert {r["verdict"] for k, r in rows.items() if k != "model/errors"} == {"skip"}


# Run in a fresh interpreter under a tracer (as CI's coverage does), with a hard timeout: a watchdog that
# failed there would hang the run, and must fail this test instead.
WATCHDOG_SCRIPT = """
import sys

from conformance.model import run_model
from conformance.targets.load import load_target

sys.settrace(lambda *a: None)
report = run_model(load_target(sys.argv[1]), depth="quick", corpus_dir=None, isolated=False, timeout=2)
print({r.case_id: r.verdict.value for r in report.results}["model/errors"])
"""


@pytest.mark.parametrize("fault", ["hang", "leak"])
def test_in_process_watchdog_turns_a_hang_or_leak_into_a_row(fault: str) -> None:
    """In process, under a tracer too, the watchdog stops a hanging or leaking step: a hang or crash row,
    never a hung run."""
    root = Path(__file__).resolve().parents[2]
    env = {**os.environ, "H11SPEC_MEMORY_LIMIT_MB": "256", "PYTHONPATH": str(root)}
    argv = [sys.executable, "-c", WATCHDOG_SCRIPT, f"tests.faults.targets.{fault}"]
    proc = subprocess.run(argv, cwd=root, env=env, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert proc.stdout.split() == [FAULTS[fault][0].value]


def test_model_coverage_is_the_targets_own() -> None:
    """The coverage table counts the transitions the target's connections made: none for a target that
    hangs on every next_event, however many the reference would have made."""
    report = run_model(load_target("tests.faults.targets.hang"), depth="quick", corpus_dir=None, timeout=2)
    assert report.coverage["transitions"]["reached"] == 0


def test_a_step_that_fails_in_harness_code_is_a_harness_error() -> None:
    """An exception raised by the harness's own code in a model step is recorded as a harness error,
    never as the target's crash."""
    executor = InProcessExecutor(load_target("reference"))
    bad_action: Any = ("send", "client", None)  # not an EventSpec: build_event fails in our code
    [result] = executor.map(step_worlds, [(1, True, bad_action, {"client": True, "server": True})])
    assert isinstance(result, Crashed)
    assert result.harness
    assert "TypeError" in result.reason


def test_a_target_exception_is_the_targets_crash() -> None:
    """An exception the target raises in its own code is its crash, not a harness error."""
    executor = InProcessExecutor(load_target("tests.faults.targets.value_error"))
    [result] = executor.map(
        step_worlds,
        [(1, True, ("inject", "server", b"GET / HTTP/1.1\r\n\r\n", ()), {"client": True, "server": True})],
    )
    assert isinstance(result, Ok)
    assert result.value.io.errors["server"][0].startswith("crash:")


def test_a_harness_error_row_exits_3(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """A model run whose harness code fails gives a harness-error row and exit status 3."""
    import conformance.model.lockstep as lockstep

    def broken(api: Any, arg: Any) -> Any:
        raise KeyError("harness bug")

    monkeypatch.setattr(lockstep, "step_worlds", broken)
    status = main(["model", "--impl", "reference", "--depth", "quick", "--no-corpus", "--in-process"])
    assert status == 3


def test_model_parts_a_target_lacks_capabilities_for_are_skipped_with_the_reason() -> None:
    """A target without serialize is not model-checked: every machine row is a skip naming what it lacks,
    and the byte-stream property (which needs only parsing) still runs."""
    import dataclasses

    from conformance.targets.capabilities import SERIALIZE

    target = load_target("reference")
    lacking = dataclasses.replace(target, capabilities=target.capabilities - {SERIALIZE})
    report = run_model(lacking, depth="quick", corpus_dir=None, tours=True)
    rows = {r.case_id: r for r in report.results}
    assert rows["model/errors"].verdict is Verdict.SKIP
    assert SERIALIZE in rows["model/errors"].message
    assert rows["model/byte-stream"].verdict is Verdict.PASS


def test_rules_and_tours_needing_a_missing_capability_are_left_out_with_the_reason() -> None:
    """Without protocol-switch, the switch rule and the Upgrade/CONNECT tours are left out, and the
    report names each with the capability it lacks; the rest of the model still runs and passes."""
    import dataclasses

    from conformance.targets.capabilities import PROTOCOL_SWITCH

    target = load_target("reference")
    lacking = dataclasses.replace(target, capabilities=target.capabilities - {PROTOCOL_SWITCH})
    report = run_model(lacking, depth="quick", corpus_dir=None)
    skipped = report.coverage["skipped"]
    assert "rule switch" in skipped
    assert "tour upgrade-accepted" in skipped
    assert all(PROTOCOL_SWITCH in reason for reason in skipped.values())
    rows = {r.case_id: r for r in report.results}
    assert rows["model/states"].verdict is Verdict.PASS
    assert "rule switch" in rows["model/states"].message
    assert report.coverage["switches"].get("upgrade-accepted", 0) == 0


@pytest.mark.slow
def test_run_with_a_target_that_hangs_in_the_model_writes_its_report(tmp_path: Path) -> None:
    """h11spec run on a target hanging in the model finishes, writes results.json with the hang, exits 1."""
    status = main(
        [
            "run",
            "--impl",
            "tests.faults.targets.hang",
            "--select",
            "model/*",
            "--model-depth",
            "quick",
            "--report-dir",
            str(tmp_path),
        ]
    )
    rows = {r["case_id"]: r for r in json.loads((tmp_path / "results.json").read_text())["results"]}
    assert status == 1
    assert rows["model/errors"]["verdict"] == "hang"
    assert (tmp_path / "report.html").is_file()
