"""The in-process watchdog under a tracer: a stuck call is Hung, and the process goes on afterwards.

Each run is a subprocess with a hard timeout (and faulthandler's timer inside it), so a regression fails
the test instead of hanging CI. The tracers: none, ``sys.settrace`` with a global hook only, with a local
hook on every frame, and coverage's C tracer (``coverage run``, the one CI measures with).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
HARD_TIMEOUT = 60.0  # seconds for a run that should take about two
HANG_GRACE = 3  # seconds faulthandler gives the planted fault's run before it ends it

SCRIPT = """
import faulthandler, json, sys, types

from conformance.targets.executor import InProcessExecutor
from conformance.targets.load import Target

tracer, fault = sys.argv[1], sys.argv[2]


def spin(api, arg):
    while True:
        pass


def echo(api, arg):
    return arg


def local(frame, event, arg):
    return local


if fault == "cancel":
    from tests.faults.executor import cancel_stop

    cancel_stop.install()
if tracer == "settrace":
    sys.settrace(lambda *a: None)
elif tracer == "settrace-local":
    sys.settrace(local)
executor = InProcessExecutor(Target("spin", types.SimpleNamespace(), "spin", "0", frozenset()))
results = executor.map(spin, [0], timeout=0.3)
# A spin after the stop happens at the next traced function entry: here, the next call into the executor.
faulthandler.dump_traceback_later(GRACE, exit=True)
results += executor.map(echo, [1])
results += executor.map(spin, [0], timeout=0.3)
results += executor.map(echo, [2])
faulthandler.cancel_dump_traceback_later()
print(json.dumps({"results": [repr(r) for r in results], "tracer": type(sys.gettrace()).__name__}))
""".replace("GRACE", str(HANG_GRACE))

EXPECTED = ["Hung(seconds=0.3)", "Ok(value=1)", "Hung(seconds=0.3)", "Ok(value=2)"]


def _run(tmp_path: Path, tracer: str, fault: str = "none") -> subprocess.CompletedProcess[str]:
    """The script under ``tracer``, in a fresh interpreter that must end within the hard timeout."""
    script = tmp_path / "watchdog_under_tracer.py"
    script.write_text(SCRIPT)
    # No coverage the test run would start in subprocesses (pytest-cov does): the tracer is ours to pick.
    env = {k: v for k, v in os.environ.items() if not k.startswith(("COV_CORE_", "COVERAGE_"))}
    env.update(PYTHONPATH=str(ROOT), COVERAGE_CORE="ctrace")
    if tracer == "coverage":
        rcfile = tmp_path / "empty.coveragerc"
        rcfile.write_text("")
        data = tmp_path / ".coverage"
        argv = [sys.executable, "-m", "coverage", "run", f"--rcfile={rcfile}", f"--data-file={data}"]
        argv += [str(script), tracer, fault]
    else:
        argv = [sys.executable, str(script), tracer, fault]
    return subprocess.run(argv, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=HARD_TIMEOUT)


@pytest.mark.parametrize(
    ("tracer", "installed"),
    [("none", "NoneType"), ("settrace", "function"), ("settrace-local", None), ("coverage", "CTracer")],
)
def test_watchdog_stops_a_spinning_call_under_a_tracer(
    tmp_path: Path, tracer: str, installed: str | None
) -> None:
    """Under every tracer a spinning in-process call is Hung, the calls after it run, and the tracer is
    still installed (a Python hook the stop lands in may be uninstalled by CPython, so not checked)."""
    proc = _run(tmp_path, tracer)
    assert proc.returncode == 0, proc.stderr[-2000:]
    out = json.loads(proc.stdout.strip().splitlines()[-1])
    assert out["results"] == EXPECTED
    if installed is not None:
        assert out["tracer"] == installed


@pytest.mark.skipif(
    sys.version_info[:2] != (3, 11),
    reason="the cancel leaves the pending signal up only on CPython 3.11 (3.10, 3.12 and 3.13 lower it)",
)
@pytest.mark.parametrize("tracer", ["settrace", "coverage"])
def test_cancelling_the_stop_spins_under_a_tracer(tmp_path: Path, tracer: str) -> None:
    """The planted fault (cancel the undelivered stop instead of withdrawing it) spins at the next traced
    call after a stop, until faulthandler ends the process: what the watchdog test catches."""
    proc = _run(tmp_path, tracer, "cancel")
    assert proc.returncode != 0
    assert "Timeout" in proc.stderr
    assert proc.stdout == ""
