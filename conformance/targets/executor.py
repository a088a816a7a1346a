"""Executors: the one way the harness calls into an implementation under test.

Theory of operation: ``executor.map(fn, args)`` calls ``fn(target.api, arg)`` for each arg and returns
one ``CallResult`` per arg, in order. ``fn`` must be a module-level function (it is pickled by
reference) and its arguments and return value must be picklable. ``Ok`` carries the return value;
``Crashed`` and ``Hung`` are verdicts about the implementation, never exceptions in the harness.
``submit(fn, arg)`` then ``collect()`` is the same for one call, split so that the caller can work
while the call runs (the model checker runs the oracle meanwhile). The ``InProcessExecutor`` here is
the fast path for trusted targets; ``conformance.targets.isolation`` has the isolated one and
``executor_for``, which picks between them.

Harness errors: an exception escaping ``fn`` is the target's crash only if it came from the target.
``harness_origin`` decides by where it was raised: a ``HarnessError``, or an exception none of whose
traceback frames lies in the implementation's files (its package directory, or its module file),
whose class is not the implementation's own, raised by a pure-Python target, is the harness's own
fault (a missing name, a driver precondition): ``Crashed(reason, harness=True)``. A compiled target
raising a builtin exception from native code leaves no frame of its own, so for targets with native
code the rule errs towards "the target raised" (a crash, never a hidden one).

Bounded results: ``cap_value`` replaces every bytes value longer than ``MAX_BYTES`` in a result by a
``Digest`` (its length and SHA-256), so a target returning huge events cannot fill the harness's
memory; two equal payloads still compare equal, and a digest never equals real bytes.

The watchdog: in process there is no process to kill, so ``InProcessExecutor`` runs each call in the
calling thread while one daemon thread per process (``_Watchdog``) watches it: starting and ending a call
cost two assignments, no thread switch. A call past its deadline is ``Hung``; a call that grows this
process's resident memory by more than the memory limit (measured from the watchdog's first look at it,
``_POLL`` seconds in) is ``Crashed``. In both cases the watchdog raises an exception *inside* the call
(``PyThreadState_SetAsyncExc``), again at every poll, which stops any Python-level loop at its next
bytecode and unwinds to the executor; the run goes on with the next call. When the call ends, a stop
that has not landed yet is withdrawn by replacing it with an exception the executor raises and catches
itself (``_withdraw_stop``), never by cancelling it: on CPython 3.11 a cancel leaves the interpreter's
"asynchronous exception pending" signal up, and under a tracer (``sys.settrace``, coverage) the thread
then spins at the next traced function entry, which is how a stopped call used to hang CI under
coverage. Tracers are otherwise no obstacle; a stop that lands inside a trace function written in
Python (not coverage's CTracer) makes CPython uninstall that tracer, and the stop still unwinds the
call. Limits, said plainly: native code that never returns to Python (a C loop, a long ``time.sleep``)
cannot be interrupted this way, nor a target that catches ``BaseException`` and loops on; for those,
``faulthandler``'s C-level timer, armed for ``LAST_RESORT`` seconds past the deadline of any call still
running after ``_POLL`` seconds, ends the process with a traceback but no report. A segfault ends the
process too. Use ``--isolated`` for targets that may do any of that.
"""

from __future__ import annotations

import ctypes
import dataclasses
import faulthandler
import hashlib
import os
import sys
import threading
import time
import traceback
from collections.abc import Callable, Sequence
from types import ModuleType, TracebackType
from typing import TYPE_CHECKING, Any, Generic, Protocol, TypeVar

from conformance.errors import HarnessError

if TYPE_CHECKING:
    from conformance.targets.load import Target

A = TypeVar("A")
R = TypeVar("R")

DEFAULT_TIMEOUT = 10.0
DEFAULT_MEMORY_LIMIT = 1 << 30  # bytes: per worker (RLIMIT_AS), or growth of an in-process call (RSS)
MAX_BYTES = 1 << 20  # a bytes value longer than this comes back as a Digest
LAST_RESORT = 60.0  # seconds past a deadline after which faulthandler ends a frozen interpreter
_POLL = 0.05  # seconds between the watchdog's memory checks
_PAGE_SIZE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096
_HARNESS_ROOTS = tuple(
    os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))), part) + os.sep
    for part in ("conformance", "fuzz")
)
_REFERENCE_ROOT = os.path.join(_HARNESS_ROOTS[0], "reference") + os.sep


@dataclasses.dataclass(frozen=True)
class Ok(Generic[R]):
    """The call returned ``value``."""

    value: R


@dataclasses.dataclass(frozen=True)
class Crashed:
    """The call raised an exception the harness did not expect, or the worker died.

    ``harness`` is True when the exception came from the harness's own code (see the module
    docstring): a harness error, never the target's crash.
    """

    reason: str
    harness: bool = False


@dataclasses.dataclass(frozen=True)
class Hung:
    """The call did not return within ``seconds``."""

    seconds: float


CallResult = Ok[R] | Crashed | Hung


@dataclasses.dataclass(frozen=True)
class Digest:
    """A bytes payload too big to keep: its length and SHA-256 (see ``cap_value``)."""

    length: int
    sha256: str

    def __repr__(self) -> str:
        return f"<{self.length} bytes sha256:{self.sha256[:16]}>"


def cap_value(value: Any, limit: int = MAX_BYTES) -> Any:
    """``value`` with every bytes longer than ``limit`` (in tuples, lists, dicts and dataclasses)
    replaced by its ``Digest``; ``value`` itself when there is none (no copy)."""
    if isinstance(value, bytes | bytearray | memoryview):
        data = bytes(value)
        return Digest(len(data), hashlib.sha256(data).hexdigest()) if len(data) > limit else value
    if isinstance(value, tuple | list):
        items = [cap_value(v, limit) for v in value]
        if all(a is b for a, b in zip(items, value)):
            return value
        return type(value)(items) if isinstance(value, list) or type(value) is tuple else tuple(items)
    if isinstance(value, dict):
        pairs = {k: cap_value(v, limit) for k, v in value.items()}
        return value if all(pairs[k] is value[k] for k in value) else pairs
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        changes = {}
        for f in dataclasses.fields(value):
            old = getattr(value, f.name)
            new = cap_value(old, limit)
            if new is not old:
                changes[f.name] = new
        return dataclasses.replace(value, **changes) if changes else value
    return value


def describe_exception(exc: BaseException) -> str:
    """``"Type: message (file:line)"`` for the innermost frame, the reason of a ``Crashed``."""
    frames = traceback.extract_tb(exc.__traceback__)
    where = f" ({frames[-1].filename}:{frames[-1].lineno})" if frames else ""
    message = str(exc).splitlines()[0] if str(exc) else ""
    return f"{type(exc).__name__}: {message[:300]}{where}"


_ROOTS: dict[int, tuple[Any, tuple[tuple[str, ...], str, bool]]] = {}


def _module_root(module_name: str) -> tuple[str | None, bool]:
    """(the file prefix of ``module_name``'s package or file, whether its package has native code)."""
    module = sys.modules.get(module_name)
    path = getattr(module, "__file__", None)
    if not path:
        return None, False
    path = os.path.abspath(path)
    if path.endswith((".so", ".pyd")):
        return path, True
    folder = os.path.dirname(path)
    if not os.path.basename(path).startswith("__init__."):
        return path, False
    native = any(f.endswith((".so", ".pyd")) for f in os.listdir(folder))
    return folder + os.sep, native


def _impl_roots(api: Any) -> tuple[tuple[str, ...], str, bool]:
    """(file prefixes of the implementation, its module name, whether it has native code).

    The implementation's files are its module's (or package's) and those of every class its
    ``Connection`` inherits from (a fork subclassing h11 runs h11's code as its own).
    """
    key = id(api)
    cached = _ROOTS.get(key)
    if cached is not None and cached[0] is api:
        return cached[1]
    name = api.__name__ if isinstance(api, ModuleType) else str(getattr(api, "__module__", "") or "")
    modules = {name}
    connection = getattr(api, "Connection", None)
    if isinstance(connection, type):
        modules.update(cls.__module__ for cls in connection.__mro__ if cls.__module__ != "builtins")
    roots: list[str] = []
    native = False
    for module_name in sorted(modules):
        root, has_native = _module_root(module_name)
        native = native or has_native
        if module_name.startswith("conformance.reference"):  # the reference, or a class of it
            root = _REFERENCE_ROOT
        if root is not None and not (
            root.startswith(_HARNESS_ROOTS) and not root.startswith(_REFERENCE_ROOT)
        ):
            roots.append(root)
    result = (tuple(roots), name, native)
    _ROOTS[key] = (api, result)  # the api is kept, so its id is never reused for another
    return result


class TargetFault(Exception):
    """Raised by the harness on the target's behalf: something the target returned breaks the API (an
    event whose data is not bytes...). Raised in our frames, it is still the target's crash."""


def harness_origin(exc: BaseException, api: Any) -> bool:
    """True when ``exc`` was raised by the harness's own code, not by the implementation ``api``.

    A ``HarnessError`` always is, a ``TargetFault`` never; otherwise an exception is the harness's when
    no frame of its traceback lies in the implementation's files and its class is not the
    implementation's, for a pure-Python implementation (one with native code gets the benefit of the
    doubt: a crash).
    """
    if isinstance(exc, HarnessError):
        return True
    if isinstance(exc, TargetFault):
        return False
    roots, name, native = _impl_roots(api)
    if native or not roots:
        return False
    top = name.split(".")[0]
    if top and top != "conformance" and (type(exc).__module__ or "").split(".")[0] == top:
        return False
    frames = [os.path.abspath(frame.f_code.co_filename) for frame, _ in traceback.walk_tb(exc.__traceback__)]
    return bool(frames) and not any(f.startswith(roots) for f in frames)


def call_result(fn: Callable[[Any, A], R], api: Any, arg: A) -> CallResult[R]:
    """``fn(api, arg)`` as a ``CallResult`` (``Ok`` with the capped value, or ``Crashed``); the one
    place an exception escaping a call is classified. MemoryError (and the watchdog's stop) is
    re-raised: the caller decides."""
    try:
        return Ok(cap_value(fn(api, arg)))
    except (MemoryError, _Stop):
        raise
    except BaseException as exc:  # the verdict "crash" is the point of catching everything
        return Crashed(describe_exception(exc), harness=harness_origin(exc, api))


class Executor(Protocol):
    """What every executor offers; see the module docstring."""

    def map(
        self, fn: Callable[[Any, A], R], args: Sequence[A], *, timeout: float = DEFAULT_TIMEOUT
    ) -> list[CallResult[R]]:
        """Call ``fn(api, arg)`` for each arg; one result per arg, in order."""
        ...

    def submit(self, fn: Callable[[Any, A], R], arg: A, *, timeout: float = DEFAULT_TIMEOUT) -> None:
        """Start ``fn(api, arg)``; ``collect`` returns its result. One call in flight at a time."""
        ...

    def collect(self) -> CallResult[Any]:
        """The result of the call ``submit`` started (waits for it, within its timeout)."""
        ...

    def close(self) -> None:
        """Release workers, if any."""
        ...

    # Shared by the executors that subclass this protocol: ``with executor:`` closes it on the way out.
    def __enter__(self: _E) -> _E:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


_E = TypeVar("_E", bound=Executor)


class _Stop(BaseException):
    """Raised inside a stuck in-process call by the watchdog; never escapes the executor."""


def _resident() -> int:
    """This process's resident memory in bytes (0 where /proc is unavailable)."""
    try:
        with open("/proc/self/statm", "rb") as statm:
            return int(statm.read().split()[1]) * _PAGE_SIZE
    except (OSError, ValueError, IndexError):
        return 0


def _arm_last_resort(seconds: float) -> bool:
    """Have faulthandler's C timer end this process with a traceback after ``seconds``; False when
    stderr is not a real file (under a capturing test runner), and then there is no last resort."""
    stream = sys.__stderr__
    try:
        if stream is None:
            return False
        stream.fileno()
        faulthandler.dump_traceback_later(seconds, exit=True, file=stream)
    except (OSError, ValueError, AttributeError):
        return False
    return True


class _Withdrawn(BaseException):
    """Replaces a stop not yet delivered when its call has ended; raised and caught by ``_withdraw_stop``."""


_WITHDRAW_SPINS = 10_000_000  # loop turns ``_withdraw_stop`` waits; delivery takes one backward jump


def _spin(turns: int) -> None:
    # A frame of its own: an exception delivered in it always unwinds to the caller's handler (a bare loop
    # in a try block can escape it on CPython 3.11/3.12).
    for _ in range(turns):
        pass


def _async_raise(ident: int, exc: type[BaseException]) -> int:
    """Raise ``exc`` in thread ``ident`` at its next bytecode.

    Returns:
        The number of threads it was set for (0: no such thread).
    """
    return int(ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(ident), ctypes.py_object(exc)))


def _withdraw_stop() -> None:
    """Take back, in the calling thread, a stop the watchdog raised in it and that may not have landed.

    Never by cancelling (``PyThreadState_SetAsyncExc`` with NULL): CPython 3.11 then raises the
    interpreter's "asynchronous exception pending" signal anyway, and only delivering a real exception
    lowers it. Unlowered, it costs nothing without a tracer, but under one (``sys.settrace``, coverage's
    CTracer) 3.11 checks it again at every traced function entry before running it, and the thread spins
    there for ever: the in-process hang under coverage. So the pending stop is replaced by ``_Withdrawn``,
    which is delivered here, in a loop that ends only that way, and caught; the signal is then down.

    Raises:
        HarnessError: the exception was never delivered (the interpreter ignores asynchronous exceptions).
    """
    try:
        if _async_raise(threading.get_ident(), _Withdrawn) != 1:
            raise HarnessError("could not withdraw the watchdog's stop: no such thread")
        _spin(_WITHDRAW_SPINS)
    except _Withdrawn:
        return
    raise HarnessError("the watchdog's stop was never withdrawn: asynchronous exceptions are not delivered")


@dataclasses.dataclass
class _Call:
    """The in-process call being watched."""

    ident: int  # the thread running it
    deadline: float
    timeout: float
    memory_limit: int
    started: float
    baseline: int | None = None  # resident memory when the watchdog first saw the call running
    stop: CallResult[Any] | None = None  # the verdict once the watchdog decided to stop it
    armed: bool = False  # the last-resort timer is set for this call


class _Watchdog:
    """One daemon thread per process that watches the in-process calls in progress (one per thread).

    Starting and ending a call costs two assignments under a lock, no thread switch: the watchdog
    wakes every ``_POLL`` seconds on its own and only looks at calls that have run that long.
    """

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.calls: dict[int, _Call] = {}  # by the thread running it
        self.thread = threading.Thread(target=self._loop, name="h11spec-watchdog", daemon=True)
        self.thread.start()

    def _loop(self) -> None:
        while True:
            time.sleep(_POLL)
            with self.lock:
                now = time.monotonic()
                for call in self.calls.values():
                    self._watch(call, now)

    def _watch(self, call: _Call, now: float) -> None:
        if now - call.started < _POLL:
            return
        if not call.armed:
            call.armed = _arm_last_resort(max(1.0, call.deadline - now) + LAST_RESORT)
        if call.baseline is None:
            call.baseline = _resident()
        if call.stop is None and now >= call.deadline:
            call.stop = Hung(call.timeout)
        elif call.stop is None and call.memory_limit and _resident() - call.baseline > call.memory_limit:
            limit = call.memory_limit >> 20
            call.stop = Crashed(f"MemoryError: memory limit of {limit} MiB exceeded in process")
        if call.stop is not None:  # again at every poll, in case the target swallowed the last one
            _async_raise(call.ident, _Stop)


_WATCHDOG: list[_Watchdog] = []
_WATCHDOG_LOCK = threading.Lock()


def _watchdog() -> _Watchdog:
    with _WATCHDOG_LOCK:
        if not _WATCHDOG:
            _WATCHDOG.append(_Watchdog())
        return _WATCHDOG[0]


def _end_call(watchdog: _Watchdog, call: _Call) -> None:
    """Stop watching ``call`` (in its own thread); a stop not delivered yet never lands later.

    Raises:
        _Stop: a stop raised before the lock was taken landed on the way (call again: it is spent).
    """
    with watchdog.lock:  # the watchdog raises stops only while holding it
        watchdog.calls.pop(call.ident, None)
        if call.stop is not None:
            _withdraw_stop()
    if call.armed:
        faulthandler.cancel_dump_traceback_later()


class InProcessExecutor(Executor):
    """Calls the implementation in this process, in the calling thread, under the watchdog.

    A call past its timeout is ``Hung``; one that grows the process by more than ``memory_limit``
    bytes (0: no limit) is ``Crashed``; see the module docstring for how it is stopped and where that
    cannot work.
    """

    def __init__(self, target: Target, *, memory_limit: int = DEFAULT_MEMORY_LIMIT) -> None:
        self.target = target
        self.memory_limit = memory_limit
        self._submitted: tuple[Callable[[Any, Any], Any], Any, float] | None = None

    def _call(self, fn: Callable[[Any, A], R], arg: A, timeout: float) -> CallResult[R]:
        if not timeout > 0:
            raise HarnessError(f"timeout must be a positive number of seconds, not {timeout!r}")
        watchdog = _watchdog()
        now = time.monotonic()
        call = _Call(threading.get_ident(), now + timeout, timeout, self.memory_limit, now)
        result: CallResult[R] | None = None
        try:
            with watchdog.lock:
                watchdog.calls[call.ident] = call
            try:
                result = call_result(fn, self.target.api, arg)
            except MemoryError:
                result = Crashed("MemoryError in process")
        except _Stop:  # delivered between the call's end and here: the stop's verdict stands
            pass
        finally:
            while True:
                try:
                    _end_call(watchdog, call)
                    break
                except _Stop:  # landed on the way out: spent, so ending the call again is safe
                    continue
        if call.stop is not None:
            return call.stop
        assert result is not None
        return result

    def map(
        self,
        fn: Callable[[Any, A], R],
        args: Sequence[A],
        *,
        timeout: float = DEFAULT_TIMEOUT,
    ) -> list[CallResult[R]]:
        """Call ``fn(target.api, arg)`` for each arg, in order, each within ``timeout``."""
        return [self._call(fn, arg, timeout) for arg in args]

    def submit(self, fn: Callable[[Any, A], R], arg: A, *, timeout: float = DEFAULT_TIMEOUT) -> None:
        """Remember the call; ``collect`` runs it (in process there is nothing to overlap with)."""
        if self._submitted is not None:
            raise HarnessError("submit() twice without collect()")
        self._submitted = (fn, arg, timeout)

    def collect(self) -> CallResult[Any]:
        """Run the submitted call and return its result."""
        if self._submitted is None:
            raise HarnessError("collect() without submit()")
        (fn, arg, timeout), self._submitted = self._submitted, None
        return self._call(fn, arg, timeout)

    def close(self) -> None:
        """Nothing to release in process."""
