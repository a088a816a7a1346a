"""The isolated executor: one verdict per call, whatever the target does, and no worker left behind."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time

import pytest

from conformance.errors import HarnessError, UsageError
from conformance.targets.executor import Crashed, Hung, InProcessExecutor, Ok
from conformance.targets.isolation import IsolatedExecutor, executor_for
from conformance.targets.load import load_target
from tests.targets import calls

FAULTS = "tests.faults.targets"
SMALL_MEMORY = 256 << 20  # enough for Python and the reference, reached quickly by the leak
GET = calls.with_fault("")


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def _isolated(spec: str, jobs: int = 2) -> IsolatedExecutor:
    return IsolatedExecutor(load_target(spec), jobs=jobs, memory_limit=SMALL_MEMORY)


def test_results_come_back_in_order_from_several_workers() -> None:
    """map returns one Ok per arg, in the order of args, from two worker processes, never the parent."""
    with _isolated("h11") as executor:
        results = executor.map(calls.square, list(range(300)))
        pids = {r.value for r in executor.map(calls.pid, [None] * 64) if isinstance(r, Ok)}
        workers = {w.proc.pid for w in executor._workers}
    assert results == [Ok(n * n) for n in range(300)]
    # Which worker takes which batch depends on the machine's load; that both exist and only they
    # answer does not.
    assert len(workers) == 2
    assert pids
    assert pids <= workers
    assert os.getpid() not in pids


def test_events_from_a_worker_equal_events_in_process() -> None:
    """Parsing in a worker gives exactly the records the in-process executor gives."""
    target = load_target("reference")
    args = [GET, b"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 2\r\n\r\nhi", b"BAD\r\n\r\n"]
    with IsolatedExecutor(target, jobs=1) as isolated:
        assert isolated.map(calls.parse_request, args) == InProcessExecutor(target).map(
            calls.parse_request, args
        )


def test_hang_is_hung_and_the_worker_is_replaced() -> None:
    """A next_event that never returns gives Hung(timeout) per call, and the run completes."""
    with _isolated(f"{FAULTS}.hang", jobs=1) as executor:
        start = time.monotonic()
        results = executor.map(calls.parse_request, [GET] * 2, timeout=0.3)
        assert results == [Hung(0.3)] * 2
        assert executor.restarts == 2
        assert time.monotonic() - start < 10


@pytest.mark.parametrize(
    ("fault", "reason"),
    [
        ("segfault", "worker killed by SIGSEGV at "),
        ("abort", f"worker killed by SIGABRT at {FAULTS.replace('.', os.sep)}{os.sep}abort.py:17"),
        ("exits", "worker exited with status 3"),
    ],
)
def test_a_dying_worker_is_a_crash_with_its_cause(fault: str, reason: str) -> None:
    """A worker killed by a signal or os._exit gives Crashed naming the signal (and where) or status."""
    with _isolated(f"{FAULTS}.{fault}", jobs=1) as executor:
        (result,) = executor.map(calls.parse_request, [GET])
        assert executor.restarts == 1
    assert isinstance(result, Crashed)
    assert reason.split(" at ")[0] in result.reason
    if " at " in reason:  # faulthandler's trace in the worker's stderr says where the signal hit
        assert result.reason.endswith(reason.split(" at ")[1]), result.reason


def test_value_error_is_a_crash_with_type_message_and_location() -> None:
    """An exception escaping fn is Crashed("ValueError: msg (file:line)"), the same as in process."""
    target = load_target(f"{FAULTS}.value_error")
    with IsolatedExecutor(target, jobs=1) as executor:
        isolated = executor.map(calls.drain, [GET])
        assert executor.restarts == 0  # an exception is not a death: the worker stays
    assert isolated == InProcessExecutor(target).map(calls.drain, [GET])
    (result,) = isolated
    assert isinstance(result, Crashed)
    assert result.reason.startswith("ValueError: planted fault (")
    assert "value_error.py:" in result.reason


@pytest.mark.parametrize("fn", [calls.drain, calls.parse_request])
def test_a_leak_hits_the_memory_limit(fn: object) -> None:
    """A leak gives Crashed naming the memory limit, whether or not fn catches the MemoryError."""
    with _isolated(f"{FAULTS}.leak", jobs=1) as executor:
        results = executor.map(fn, [GET])  # type: ignore[arg-type]
        assert executor.restarts == 1
    assert results == [Crashed("MemoryError: memory limit of 256 MiB exceeded")]


def test_every_fault_together_gives_one_verdict_each_and_spares_the_rest() -> None:
    """One run mixing every planted fault with good input completes; each good call still succeeds."""
    faults = ["hang", "segfault", "abort", "exits", "value_error", "leak"]
    args = [calls.with_fault(f) for fault in faults for f in ("", fault)] + [GET]
    with _isolated(f"{FAULTS}.mixed") as executor:
        results = executor.map(calls.drain, args, timeout=3.0)  # the leak needs time under load
        after = executor.map(calls.drain, [GET, GET])
    good = results[0::2]
    assert good == [Ok(2)] * len(good)  # Request, EndOfMessage
    bad = dict(zip(faults, results[1::2]))
    assert bad["hang"] == Hung(3.0)
    assert isinstance(bad["segfault"], Crashed)
    assert "SIGSEGV" in bad["segfault"].reason
    assert isinstance(bad["abort"], Crashed)
    assert "SIGABRT" in bad["abort"].reason
    assert bad["exits"] == Crashed("worker exited with status 3")
    assert isinstance(bad["value_error"], Crashed)
    assert bad["value_error"].reason.startswith("ValueError")
    assert bad["leak"] == Crashed("MemoryError: memory limit of 256 MiB exceeded")
    assert after == [Ok(2), Ok(2)]


def test_a_slow_harness_call_is_hung_too() -> None:
    """The timeout is per call: a call that outlives it is Hung, the calls around it are not."""
    with _isolated("h11", jobs=1) as executor:
        results = executor.map(calls.sleep, [0.0, 30.0, 0.0], timeout=1.0)
    assert results == [Ok(0.0), Hung(1.0), Ok(0.0)]


def test_close_leaves_no_worker_behind() -> None:
    """After close (or the with block) every worker process is gone."""
    executor = _isolated("h11")
    pids = {r.value for r in executor.map(calls.pid, [None] * 16) if isinstance(r, Ok)}
    executor.close()
    assert pids
    assert not any(_alive(pid) for pid in pids)
    assert executor.map(calls.square, [3]) == [Ok(9)]  # a later map starts new workers
    executor.close()


def test_ctrl_c_during_map_kills_the_workers() -> None:
    """KeyboardInterrupt in the middle of map propagates and leaves no worker running."""
    executor = _isolated("h11")
    pids = {r.value for r in executor.map(calls.pid, [None] * 16) if isinstance(r, Ok)}
    main_thread = threading.main_thread().ident
    assert main_thread is not None

    def interrupt_once_busy() -> None:  # SIGINT only once map has sent the calls
        deadline = time.monotonic() + 30
        while not any(w.batch for w in list(executor._workers)) and time.monotonic() < deadline:
            time.sleep(0.01)
        time.sleep(0.2)
        signal.pthread_kill(main_thread, signal.SIGINT)

    interrupter = threading.Thread(target=interrupt_once_busy)
    interrupter.start()
    try:
        with pytest.raises(KeyboardInterrupt):
            executor.map(calls.sleep, [30.0, 30.0], timeout=60)
    finally:
        interrupter.join()
    assert not executor._workers
    assert not any(_alive(pid) for pid in pids)


_ORPHAN_SCRIPT = """
import sys, time
from conformance.targets.isolation import IsolatedExecutor
from conformance.targets.load import load_target
from tests.targets import calls
executor = IsolatedExecutor(load_target("tests.faults.targets.hang"), jobs=2)
print(*[r.value for r in executor.map(calls.pid, [None] * 8)], flush=True)
executor.map(calls.parse_request, [calls.GET] * 2, timeout=60)
"""


def test_workers_die_with_a_killed_harness() -> None:
    """A harness killed with SIGKILL mid-run (no cleanup at all) takes its busy workers with it."""
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    env = {**os.environ, "PYTHONPATH": root}
    argv = [sys.executable, "-c", _ORPHAN_SCRIPT]
    with subprocess.Popen(argv, stdout=subprocess.PIPE, env=env, text=True) as proc:
        try:
            assert proc.stdout is not None
            pids = {int(p) for p in proc.stdout.readline().split()}
            time.sleep(0.5)  # the workers are now looping in the hang fault
            assert pids
            assert all(_alive(pid) for pid in pids)
        finally:
            proc.kill()
            proc.wait()
    deadline = time.monotonic() + 5
    while any(_alive(pid) for pid in pids) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not any(_alive(pid) for pid in pids)


def test_an_unpicklable_result_is_a_harness_error() -> None:
    """A fn whose result cannot cross the process boundary is the harness's bug: HarnessError."""
    with _isolated("h11", jobs=1) as executor, pytest.raises(HarnessError, match="cannot be pickled"):
        executor.map(calls.unpicklable, [None])


def test_a_fn_defined_inside_a_test_is_a_harness_error() -> None:
    """fn must be module-level: a local function cannot be sent to a worker (HarnessError)."""

    def local(api: object, arg: int) -> int:
        return arg

    with _isolated("h11", jobs=1) as executor, pytest.raises(HarnessError, match="cannot send"):
        executor.map(local, [1])


def test_a_target_only_this_process_can_import_is_a_usage_error(monkeypatch: pytest.MonkeyPatch) -> None:
    """A target the workers cannot load (here: injected into sys.modules) is a UsageError, not a hang."""
    import h11

    monkeypatch.setitem(sys.modules, "h11spec_phantom_impl", h11)
    target = load_target("h11spec_phantom_impl", preflight=False)  # the preflight would catch it first
    with IsolatedExecutor(target, jobs=1) as executor, pytest.raises(UsageError, match="cannot load"):
        executor.map(calls.square, [1])


def test_executor_for_isolates_everything_but_trusted_targets() -> None:
    """reference and h11 run in process by default; anything else is isolated unless told otherwise."""
    assert isinstance(executor_for(load_target("h11")), InProcessExecutor)
    assert isinstance(executor_for(load_target("reference")), InProcessExecutor)
    with executor_for(load_target("conformance.targets.adapters.httptools:Adapter"), jobs=1) as isolated:
        assert isinstance(isolated, IsolatedExecutor)
        assert isolated.jobs == 1
    with executor_for(load_target("h11"), isolated=True) as forced:
        assert isinstance(forced, IsolatedExecutor)
    assert isinstance(executor_for(load_target(f"{FAULTS}.hang"), isolated=False), InProcessExecutor)


@pytest.mark.parametrize("fault", ["stall", "flood"])
def test_endless_need_data_or_events_is_a_stall_not_a_hang_of_the_harness(fault: str) -> None:
    """Complete input answered by endless NEED_DATA (or endless events) comes back as a "stall" outcome."""
    assert InProcessExecutor(load_target("reference")).map(calls.outcome, [GET]) == [Ok("accept")]
    with _isolated(f"{FAULTS}.{fault}", jobs=1) as executor:
        assert executor.map(calls.outcome, [GET], timeout=5.0) == [Ok("stall")]


def test_a_target_scribbling_on_the_pipe_is_a_crash_not_a_harness_failure() -> None:
    """Junk written into the reply pipe by the target is Crashed for that call; the run goes on."""
    with _isolated(f"{FAULTS}.scribble", jobs=1) as executor:
        (result,) = executor.map(calls.parse_request, [GET])
    assert isinstance(result, Crashed)
    assert result.reason.startswith("worker sent a malformed reply")


def test_a_worker_killed_between_runs_is_replaced_without_blaming_a_call() -> None:
    """A worker that died while idle is replaced on the next map, and no call is marked crashed."""
    with _isolated("h11", jobs=1) as executor:
        (first,) = executor.map(calls.pid, [None])
        assert isinstance(first, Ok)
        os.kill(first.value, signal.SIGKILL)
        executor._workers[0].proc.wait()  # dead for sure before the next batch is sent
        results = executor.map(calls.square, [1, 2, 3])
        assert results == [Ok(1), Ok(4), Ok(9)]
        assert executor.restarts == 1


def test_memory_limit_comes_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """$H11SPEC_MEMORY_LIMIT_MB sets the isolated workers' limit; a bad value is a UsageError."""
    target = load_target(f"{FAULTS}.hang")
    monkeypatch.setenv("H11SPEC_MEMORY_LIMIT_MB", "300")
    with executor_for(target) as executor:
        assert isinstance(executor, IsolatedExecutor)
        assert executor.memory_limit == 300 << 20
    monkeypatch.setenv("H11SPEC_MEMORY_LIMIT_MB", "lots")
    with pytest.raises(UsageError, match="whole number of MiB"):
        executor_for(target)


@pytest.mark.parametrize("isolated", [True, False])
def test_huge_events_come_back_as_digests(isolated: bool) -> None:
    """A 64 MiB Data event reaches the harness as its length and hash, in a worker or in process, so
    the harness keeps what grading needs and not the payload."""
    from conformance.targets.executor import MAX_BYTES, Digest

    target = load_target(f"{FAULTS}.huge_data")
    with executor_for(target, isolated=isolated, jobs=1) as executor:
        [result] = executor.map(calls.parse_request, [GET])
    assert isinstance(result, Ok)
    data = [record[1] for record in result.value if record[0] == "Data"]
    assert len(data) == 1
    assert isinstance(data[0], Digest)
    assert data[0].length == 64 << 20 > MAX_BYTES
    assert data[0] == Digest(64 << 20, data[0].sha256)


def test_small_payloads_are_returned_unchanged() -> None:
    """Results with no bytes beyond the cap come back as the very same objects, uncopied."""
    from conformance.targets.executor import cap_value

    value = (("Data", b"x" * 100), {"k": [b"y"]})
    assert cap_value(value) is value
