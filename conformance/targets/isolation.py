"""Run calls into an untrusted implementation in worker processes that may hang, crash or eat memory.

Theory of operation: ``IsolatedExecutor`` has the interface of ``target.InProcessExecutor``
(``map(fn, args, *, timeout) -> list[CallResult]``, ``close()``, context manager) but every call runs
in one of ``jobs`` worker processes. A worker is a fresh ``python -c`` subprocess (no fork of the
harness, so no inherited locks or threads) talking over two private pipes; stdin and stdout are
/dev/null, so whatever the target prints cannot corrupt the protocol, and stderr goes to a temporary
file that supplies the Python location of a fatal signal (faulthandler).

Protocol: each message is a 4-byte big-endian length then a pickle. The parent sends a hello (its
``sys.path``, the target spec, the memory limit); the worker applies the limits, loads the target
with ``load_target`` and answers ``("ready", version)`` or ``("error", message)``. Then the parent
sends batches ``(fn, [arg, ...])``; the worker answers ``("start", None)`` once it has unpickled
the batch (importing ``fn``'s module is not the target's time), then one ``("ok", value)`` or
``("crash", reason)`` per arg, in order, as each call finishes. A batch goes only to an idle worker,
so neither side ever blocks writing while the other is writing; batches amortise the round trip,
and shrink towards the end of a run so the workers finish together.

Timeouts: the call in progress on a worker is the first unanswered one of its batch; it started
when the worker said "start" or when the previous answer arrived, so its deadline is that instant plus
``timeout``. On expiry the worker is killed (SIGKILL), the call is ``Hung(timeout)``, the rest of its
batch goes back to the front of the queue and a new worker takes over. A worker that dies (EOF on
its pipe) gives ``Crashed`` for the call in progress, with the signal name (``worker killed by
SIGSEGV``), the exit status (``os._exit``), or ``MemoryError: memory limit of N MiB exceeded``: the
worker runs under ``RLIMIT_AS`` and exits with ``EXIT_MEMORY`` on a MemoryError, because a target
that leaked once cannot be trusted with the next case. An exception escaping ``fn`` is
``Crashed("Type: message (file:line)")`` exactly as in process, and the worker goes on.

Cleanup: ``close()`` (or leaving the ``with`` block) closes the pipe of each idle worker, which then
exits normally within ``CLOSE_GRACE`` seconds (so atexit hooks such as coverage's run), and SIGKILLs
busy or late ones; an exception out of ``map`` (KeyboardInterrupt, a harness error) SIGKILLs them all
at once, and a ``weakref.finalize`` does the same at exit if the caller forgot. Every worker is
reaped. Workers run with this interpreter's flags (``-bb``, ``-X dev``...), ignore SIGINT (the
harness owns Ctrl-C) and die with the harness even if it is SIGKILLed: ``PR_SET_PDEATHSIG`` on Linux
when the executor lives in the main thread, plus a watchdog thread that exits when the parent
process is gone. POSIX only (``pass_fds``, ``poll``, ``RLIMIT_AS``).

Trust boundary: the pipes carry pickles, so a *malicious* target could attack the harness; this
isolates buggy implementations, not hostile ones. ``map`` is not thread-safe.
"""

from __future__ import annotations

import collections
import contextlib
import dataclasses
import faulthandler
import os
import pickle
import re
import select
import signal
import struct
import subprocess
import sys
import tempfile
import threading
import time
import weakref
from collections.abc import Callable, Sequence
from typing import IO, Any, TypeVar

from conformance.errors import HarnessError, UsageError
from conformance.targets.executor import (
    DEFAULT_MEMORY_LIMIT,
    DEFAULT_TIMEOUT,
    CallResult,
    Crashed,
    Executor,
    Hung,
    InProcessExecutor,
    Ok,
    call_result,
    describe_exception,
)
from conformance.targets.load import Target, load_target

A = TypeVar("A")
R = TypeVar("R")

STARTUP_TIMEOUT = 60.0  # seconds for a worker to import and probe the target
MAX_BATCH = 32  # calls per message, at most
CLOSE_GRACE = 1.0  # seconds idle workers get to exit normally on close()
MAX_REPLY = 1 << 28  # bytes in one reply; a bigger length prefix means the pipe was scribbled on
STDERR_LIMIT = 1 << 20  # a worker's stderr file is emptied between batches beyond this many bytes
EXIT_MEMORY = 86  # a worker's exit status after a MemoryError
RETIRE_FRACTION = 0.9  # a worker using more of its memory limit than this after a call retires
_PAGE_SIZE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096
_HEADER = struct.Struct("!I")
_WORKER_CODE = "from conformance.targets.isolation import worker_main; worker_main()"
_PACKAGE_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


# ------------------------------------------------------------------------------------------------
# Framing, shared by both sides


def _frame(obj: Any) -> bytes:
    data = pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL)
    return _HEADER.pack(len(data)) + data


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


def _read_exact(fd: int, size: int) -> bytes | None:
    parts: list[bytes] = []
    while size:
        chunk = os.read(fd, size)
        if not chunk:
            return None
        parts.append(chunk)
        size -= len(chunk)
    return b"".join(parts)


def _recv_blocking(fd: int) -> Any:
    """The next message, or None when the other side closed the pipe."""
    header = _read_exact(fd, _HEADER.size)
    if header is None:
        return None
    body = _read_exact(fd, _HEADER.unpack(header)[0])
    return None if body is None else pickle.loads(body)


# ------------------------------------------------------------------------------------------------
# The worker side


def die_with_parent(parent_pid: int, *, use_pdeathsig: bool = True) -> None:
    """Make sure this process (a worker, a libFuzzer job) never outlives its parent, even a SIGKILLed one.

    On Linux ``PR_SET_PDEATHSIG`` has the kernel send SIGKILL when the parent dies; a daemon thread
    also polls the parent's pid (other systems, or a parent that died before prctl took effect).
    """
    if use_pdeathsig and sys.platform.startswith("linux"):
        try:
            import ctypes

            pr_set_pdeathsig = 1
            ctypes.CDLL(None).prctl(pr_set_pdeathsig, int(signal.SIGKILL), 0, 0, 0)
        except (OSError, AttributeError):  # no libc prctl: the watchdog below still works
            pass
    if os.getppid() != parent_pid:  # the parent is already gone
        os._exit(1)

    def watchdog() -> None:
        while True:
            if os.getppid() != parent_pid:
                os._exit(0)
            time.sleep(0.5)

    threading.Thread(target=watchdog, name="h11spec-watchdog", daemon=True).start()


def _set_limits(memory_limit: int) -> None:
    import resource

    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))  # no core files from planted segfaults
    if memory_limit > 0:
        _, hard = resource.getrlimit(resource.RLIMIT_AS)
        soft = memory_limit if hard == resource.RLIM_INFINITY else min(memory_limit, hard)
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))


def _address_space() -> int:
    """This process's virtual memory size in bytes (0 where /proc is unavailable)."""
    try:
        with open("/proc/self/statm", "rb") as statm:
            return int(statm.read().split()[0]) * _PAGE_SIZE
    except (OSError, ValueError, IndexError):
        return 0


def _answer(fn: Callable[[Any, Any], Any], api: Any, arg: Any, memory_limit: int) -> tuple[bytes, bool]:
    """The framed reply for one call, and whether the worker must retire after sending it.

    A MemoryError escaping ``fn`` exits the worker at once, with ``EXIT_MEMORY``.
    """
    try:
        result = call_result(fn, api, arg)
    except MemoryError:
        os._exit(EXIT_MEMORY)
    if isinstance(result, Ok):
        reply: tuple[str, Any] = ("ok", result.value)
    else:
        assert isinstance(result, Crashed)
        reply = ("fault" if result.harness else "crash", result.reason)
    # fn may have caught the MemoryError itself (drive.feed records every exception); a worker left
    # near its limit has leaked and retires, and the call that took it there is the crash.
    retire = memory_limit > 0 and _address_space() > memory_limit * RETIRE_FRACTION
    if retire:
        reply = ("retire", _death_reason(EXIT_MEMORY, memory_limit))
    try:
        return _frame(reply), retire
    except MemoryError:
        os._exit(EXIT_MEMORY)
    except Exception as exc:
        name = getattr(fn, "__qualname__", repr(fn))
        message = f"the result of {name} cannot be pickled: {describe_exception(exc)}"
        return _frame(("harness", message)), retire


def worker_main() -> None:
    """Entry point of a worker process: ``python -c ... READ_FD WRITE_FD PARENT_PID PDEATHSIG``."""
    read_fd, write_fd, parent_pid, pdeathsig = (int(a) for a in sys.argv[1:5])
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    faulthandler.enable()  # a fatal signal prints the Python stack to stderr, our temporary file
    die_with_parent(parent_pid, use_pdeathsig=bool(pdeathsig))
    hello = _recv_blocking(read_fd)
    if hello is None:
        return
    sys.path[:] = hello["sys_path"]
    _set_limits(hello["memory_limit"])
    try:
        api = load_target(hello["spec"], preflight=False).api
    except BaseException as exc:
        _write_all(write_fd, _frame(("error", str(exc) or describe_exception(exc))))
        return
    _write_all(write_fd, _frame(("ready", None)))
    while True:
        try:
            message = _recv_blocking(read_fd)
        except Exception as exc:  # fn's module cannot be imported here, say
            _write_all(write_fd, _frame(("harness", f"worker cannot unpickle a batch: {exc}")))
            return
        if message is None:
            return  # the parent closed the pipe: we are done
        fn, args = message
        _write_all(write_fd, _frame(("start", None)))  # unpickled: the first call's clock starts now
        for arg in args:
            reply, retire = _answer(fn, api, arg, hello["memory_limit"])
            _write_all(write_fd, reply)
            if retire:
                os._exit(0)


# ------------------------------------------------------------------------------------------------
# The parent side


@dataclasses.dataclass(eq=False)
class _Worker:
    proc: subprocess.Popen[bytes]
    to_fd: int
    from_fd: int
    stderr: IO[bytes]
    deadline: float | None  # startup deadline until ready, then the running call's
    ready: bool = False
    batch: list[int] = dataclasses.field(default_factory=list)  # indices sent, not yet answered
    buf: bytearray = dataclasses.field(default_factory=bytearray)


def _interpreter_flags() -> list[str]:
    """This interpreter's flags (``-bb``, ``-X dev``...), so workers run under the same rules."""
    flags: list[str] = subprocess._args_from_interpreter_flags()  # type: ignore[attr-defined]
    return flags


def _reap(worker: _Worker) -> int:
    """Kill (if still running) and reap a worker, closing its pipes; returns its exit status."""
    if worker.proc.poll() is None:
        try:
            worker.proc.wait(timeout=0.2)  # it closed its pipe: it is exiting on its own
        except subprocess.TimeoutExpired:
            worker.proc.kill()
    status = worker.proc.wait()
    for fd in (worker.to_fd, worker.from_fd):
        if fd >= 0:
            with contextlib.suppress(OSError):
                os.close(fd)
    worker.to_fd = worker.from_fd = -1
    worker.stderr.close()
    return status


def _kill_all(workers: list[_Worker]) -> None:
    """Finaliser and broken runs: SIGKILL every worker, then reap it."""
    for worker in workers:
        if worker.proc.poll() is None:
            worker.proc.kill()
    for worker in workers:
        _reap(worker)
    workers.clear()


def _stop_all(workers: list[_Worker], grace: float) -> None:
    """close(): idle workers get EOF and ``grace`` seconds to exit normally (so atexit hooks such as
    coverage's run); busy or late ones are SIGKILLed."""
    for worker in workers:
        if worker.ready and not worker.batch:
            with contextlib.suppress(OSError):
                os.close(worker.to_fd)
            worker.to_fd = -1
        elif worker.proc.poll() is None:
            worker.proc.kill()
    deadline = time.monotonic() + grace
    for worker in workers:
        try:
            worker.proc.wait(timeout=max(0.0, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            worker.proc.kill()
    _kill_all(workers)


_FRAME_LINE = re.compile(rb'File "([^"]+)", line (\d+)')


def _fatal_location(stderr: IO[bytes]) -> str:
    """``" at file:line"`` of the innermost Python frame faulthandler printed, if any."""
    try:
        stderr.seek(0, os.SEEK_END)
        size = stderr.tell()
        stderr.seek(max(0, size - 16384))
        tail = stderr.read()
    except (OSError, ValueError):
        return ""
    marker = tail.rfind(b"most recent call first")
    match = _FRAME_LINE.search(tail, marker) if marker >= 0 else None
    if match is None:
        return ""
    return f" at {match.group(1).decode(errors='replace')}:{int(match.group(2))}"


def _stderr_tail(stderr: IO[bytes]) -> str:
    try:
        stderr.seek(0)
        lines = stderr.read().decode(errors="replace").strip().splitlines()
    except (OSError, ValueError):
        return ""
    return lines[-1] if lines else ""


class IsolatedExecutor(Executor):
    """Calls the implementation in worker processes, surviving hangs, crashes and memory hogs.

    ``jobs`` workers (default ``os.cpu_count()``) start on the first ``map`` and are reused by later
    ones; ``restarts`` counts the workers replaced after a hang or a death. See the module
    docstring for the guarantees.
    """

    def __init__(
        self,
        target: Target,
        *,
        jobs: int | None = None,
        memory_limit: int = DEFAULT_MEMORY_LIMIT,
        startup_timeout: float = STARTUP_TIMEOUT,
    ) -> None:
        self.target = target
        self.jobs = max(1, jobs or os.cpu_count() or 1)
        self.memory_limit = memory_limit
        self.startup_timeout = startup_timeout
        self.restarts = 0
        self._submitted: _Run | None = None
        self._workers: list[_Worker] = []
        self._finalizer = weakref.finalize(self, _kill_all, self._workers)

    # -- lifecycle --------------------------------------------------------------------------------

    def _spawn(self) -> _Worker:
        to_read, to_write = os.pipe()  # parent -> worker
        from_read, from_write = os.pipe()  # worker -> parent
        stderr = tempfile.TemporaryFile(mode="a+b", prefix="h11spec-worker-")  # noqa: SIM115 (closed by _reap)
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [_PACKAGE_ROOT, env.get("PYTHONPATH")]))
        main_thread = threading.current_thread() is threading.main_thread()
        argv = [str(to_read), str(from_write), str(os.getpid()), str(int(main_thread))]
        try:
            proc = subprocess.Popen(
                [sys.executable, *_interpreter_flags(), "-c", _WORKER_CODE, *argv],
                pass_fds=(to_read, from_write),
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=stderr,
                env=env,
            )
        finally:
            os.close(to_read)
            os.close(from_write)
        os.set_blocking(from_read, False)
        worker = _Worker(proc, to_write, from_read, stderr, time.monotonic() + self.startup_timeout)
        self._workers.append(worker)
        hello = {"sys_path": list(sys.path), "spec": self.target.spec, "memory_limit": self.memory_limit}
        with contextlib.suppress(BrokenPipeError):  # it died at once: the read side sees EOF
            _write_all(to_write, _frame(hello))
        return worker

    def _retire(self, worker: _Worker) -> int:
        self._workers.remove(worker)
        return _reap(worker)

    def close(self) -> None:
        """Stop and reap every worker (idle ones exit normally, busy ones are killed); a later
        ``map`` starts new ones."""
        _stop_all(self._workers, CLOSE_GRACE)

    # -- the run ----------------------------------------------------------------------------------

    def map(
        self,
        fn: Callable[[Any, A], R],
        args: Sequence[A],
        *,
        timeout: float = DEFAULT_TIMEOUT,
    ) -> list[CallResult[R]]:
        """Call ``fn(api, arg)`` for each arg in the workers; one result per arg, in order.

        Returns:
            ``Ok(value)``, ``Crashed(reason)`` or ``Hung(timeout)`` per arg; one bad call never
            stops the run.
        Raises:
            UsageError: a worker cannot load the target (it imports in this process but not there).
            HarnessError: ``fn`` or an arg cannot be pickled, a result cannot be, or ``timeout`` is
                not positive.
        """
        if not timeout > 0:
            raise HarnessError(f"timeout must be a positive number of seconds, not {timeout!r}")
        run = _Run(self, fn, args, timeout)
        try:
            return run.go()
        except BaseException:
            _kill_all(self._workers)  # Ctrl-C or a harness error: no worker survives a broken run
            raise

    def submit(self, fn: Callable[[Any, A], R], arg: A, *, timeout: float = DEFAULT_TIMEOUT) -> None:
        """Send ``fn(api, arg)`` to a worker and return at once; ``collect`` waits for the result.

        With ``jobs=1`` successive calls run in the same worker process for as long as it lives, so
        a module-level state the calls keep there survives between them (the model checker's
        sessions); a call that hangs or kills its worker loses that state with it.
        """
        if not timeout > 0:
            raise HarnessError(f"timeout must be a positive number of seconds, not {timeout!r}")
        if self._submitted is not None:
            raise HarnessError("submit() twice without collect()")
        run = _Run(self, fn, [arg], timeout)
        try:
            run.start()
        except BaseException:
            _kill_all(self._workers)
            raise
        self._submitted = run

    def collect(self) -> CallResult[Any]:
        """The result of the call ``submit`` sent."""
        run, self._submitted = self._submitted, None
        if run is None:
            raise HarnessError("collect() without submit()")
        try:
            return run.finish()[0]
        except BaseException:
            _kill_all(self._workers)
            raise


class _Run:
    """One ``map`` call: the queue of pending indices and the results so far."""

    def __init__(
        self, owner: IsolatedExecutor, fn: Callable[[Any, Any], Any], args: Sequence[Any], timeout: float
    ):
        self.owner = owner
        self.fn = fn
        self.args = args
        self.timeout = timeout
        self.pending: collections.deque[int] = collections.deque(range(len(args)))
        self.results: list[CallResult[Any] | None] = [None] * len(args)

    def go(self) -> list[CallResult[Any]]:
        self.start()
        return self.finish()

    def start(self) -> None:
        """Spawn the workers wanted and send the first batches to those that are ready."""
        owner = self.owner
        wanted = min(owner.jobs, len(self.args))
        while len(owner._workers) < wanted:
            owner._spawn()
        for worker in list(owner._workers):
            if worker.ready and not worker.batch and self.pending:
                self._dispatch(worker)

    def finish(self) -> list[CallResult[Any]]:
        """Wait for every call, dispatching the rest as workers become idle."""
        owner = self.owner
        while self.pending or any(w.batch for w in owner._workers):
            for worker in list(owner._workers):
                if worker.ready and not worker.batch and self.pending:
                    self._dispatch(worker)
            self._wait()
        done = [r for r in self.results if r is not None]
        assert len(done) == len(self.args), "every call has a result"
        return done

    def _dispatch(self, worker: _Worker) -> None:
        busy = max(1, len(self.owner._workers))
        size = max(1, min(MAX_BATCH, len(self.pending) // (2 * busy)))
        batch = [self.pending.popleft() for _ in range(min(size, len(self.pending)))]
        try:
            payload = _frame((self.fn, [self.args[i] for i in batch]))
        except Exception as exc:
            raise HarnessError(f"cannot send a call to a worker: {describe_exception(exc)}") from None
        worker.batch = batch
        if os.fstat(worker.stderr.fileno()).st_size > STDERR_LIMIT:  # a chatty target: keep the tail
            worker.stderr.truncate(0)
        # Until the worker says "start", it may be importing fn's module: harness time, not the call's.
        worker.deadline = time.monotonic() + self.owner.startup_timeout
        try:
            _write_all(worker.to_fd, payload)
        except BrokenPipeError:  # it died between batches, before running any of these
            self.pending.extendleft(reversed(batch))
            worker.batch = []
            self.owner._retire(worker)
            self.owner.restarts += 1
            self.owner._spawn()

    def _wait(self) -> None:
        watched = {w.from_fd: w for w in self.owner._workers if w.batch or not w.ready}
        if not watched:
            return
        now = time.monotonic()
        deadlines = [w.deadline for w in watched.values() if w.deadline is not None]
        wait = max(0.0, min(deadlines) - now) if deadlines else None
        poller = select.poll()  # not select(): harness fds may be numbered above FD_SETSIZE
        for fd in watched:
            poller.register(fd, select.POLLIN)
        readable = [fd for fd, _ in poller.poll(None if wait is None else wait * 1000)]
        for fd in readable:
            self._read(watched[fd])
        now = time.monotonic()
        for worker in list(self.owner._workers):
            if worker.deadline is not None and now >= worker.deadline:
                self._expire(worker)

    def _read(self, worker: _Worker) -> None:
        try:
            chunk = os.read(worker.from_fd, 1 << 16)
        except BlockingIOError:
            return
        if not chunk:
            self._died(worker)
            return
        worker.buf += chunk
        while len(worker.buf) >= _HEADER.size:
            (size,) = _HEADER.unpack_from(worker.buf)
            if size <= MAX_REPLY and len(worker.buf) < _HEADER.size + size:
                break
            try:
                if size > MAX_REPLY:
                    raise ValueError(size)
                message = pickle.loads(worker.buf[_HEADER.size : _HEADER.size + size])
                _kind, _value = message
            except Exception:  # the target wrote into our pipe: the worker cannot be trusted
                worker.proc.kill()
                self._died(worker, "worker sent a malformed reply (did the target write to its fds?)")
                return
            del worker.buf[: _HEADER.size + size]
            self._handle(worker, message)

    def _handle(self, worker: _Worker, message: tuple[str, Any]) -> None:
        kind, value = message
        if kind == "ready":
            worker.ready, worker.deadline = True, None
        elif kind == "start":
            worker.deadline = time.monotonic() + self.timeout
        elif kind in ("ok", "crash", "fault"):
            index = worker.batch.pop(0)
            self.results[index] = Ok(value) if kind == "ok" else Crashed(str(value), harness=kind == "fault")
            worker.deadline = time.monotonic() + self.timeout if worker.batch else None
        elif kind == "retire":  # it hit its memory limit and exits: that call crashed
            index = worker.batch.pop(0)
            self.results[index] = Crashed(str(value))
            self.owner._retire(worker)
            self._requeue_after(worker, None)
        elif kind == "error":
            self.owner._retire(worker)
            raise UsageError(f"a worker cannot load {self.owner.target.spec!r}: {value}")
        else:
            raise HarnessError(str(value))

    def _requeue_after(self, worker: _Worker, result: CallResult[Any] | None) -> None:
        """After a retired worker: ``result`` for the call in progress, the rest of its batch requeued."""
        if result is not None and worker.batch:
            self.results[worker.batch.pop(0)] = result
        self.pending.extendleft(reversed(worker.batch))
        worker.batch = []
        self.owner.restarts += 1
        if self.pending:
            self.owner._spawn()

    def _died(self, worker: _Worker, reason: str | None = None) -> None:
        location = _fatal_location(worker.stderr)
        tail = _stderr_tail(worker.stderr)
        status = self.owner._retire(worker)
        reason = reason or _death_reason(status, self.owner.memory_limit) + location
        if not worker.ready:
            raise UsageError(
                f"a worker for {self.owner.target.spec!r} died while loading it ({reason}): {tail}"
            )
        self._requeue_after(worker, Crashed(reason))

    def _expire(self, worker: _Worker) -> None:
        worker.proc.kill()
        self.owner._retire(worker)
        if not worker.ready:
            raise UsageError(
                f"a worker could not load {self.owner.target.spec!r} within "
                f"{self.owner.startup_timeout:g} s; does importing it hang?"
            )
        self._requeue_after(worker, Hung(self.timeout))


def _death_reason(status: int, memory_limit: int) -> str:
    """What a worker's exit status says about how it died."""
    if status < 0:
        try:
            return f"worker killed by {signal.Signals(-status).name}"
        except ValueError:
            return f"worker killed by signal {-status}"
    if status == EXIT_MEMORY:
        return f"MemoryError: memory limit of {memory_limit >> 20} MiB exceeded"
    return f"worker exited with status {status}"


MEMORY_ENV_VAR = "H11SPEC_MEMORY_LIMIT_MB"  # per-worker memory limit of isolated runs, in MiB


def executor_for(
    target: Target,
    *,
    isolated: bool | None = None,
    jobs: int | None = None,
    memory_limit: int | None = None,
) -> InProcessExecutor | IsolatedExecutor:
    """The executor to run ``target`` with: isolated unless the target is trusted (or told).

    ``isolated=None`` means in process for ``reference`` and ``h11``, isolated for anything else.
    ``jobs`` is the number of worker processes (default ``os.cpu_count()``); ``memory_limit`` is the
    per-worker address-space limit in bytes (default: ``$H11SPEC_MEMORY_LIMIT_MB`` MiB if set, 0
    for none, else ``isolation.DEFAULT_MEMORY_LIMIT``, 1 GiB). Use it as a context manager, so
    workers are gone when the block ends.
    Raises:
        UsageError: ``$H11SPEC_MEMORY_LIMIT_MB`` is not a whole number.
    """
    if isolated is None:
        isolated = not target.trusted
    if memory_limit is None:
        env = os.environ.get(MEMORY_ENV_VAR, "").strip()
        if not env:
            memory_limit = DEFAULT_MEMORY_LIMIT
        elif env.isdigit():
            memory_limit = int(env) << 20
        else:
            raise UsageError(f"${MEMORY_ENV_VAR} must be a whole number of MiB (0: no limit), not {env!r}")
    if not isolated:
        return InProcessExecutor(target, memory_limit=memory_limit)
    return IsolatedExecutor(target, jobs=jobs, memory_limit=memory_limit)
