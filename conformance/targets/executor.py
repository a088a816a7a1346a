"""Executors: the one way the harness calls into an implementation under test.

Theory of operation: ``executor.map(fn, args)`` calls ``fn(target.api, arg)`` for each arg and returns
one ``CallResult`` per arg, in order. ``fn`` must be a module-level function (it is pickled by
reference) and its arguments and return value must be picklable. ``Ok`` carries the return value;
``Crashed`` and ``Hung`` are verdicts about the implementation, never exceptions in the harness. The
``InProcessExecutor`` here is the fast path for trusted targets; ``conformance.targets.isolation`` has
the isolated one and ``executor_for``, which picks between them.
"""

from __future__ import annotations

import dataclasses
import traceback
from collections.abc import Callable, Sequence
from types import TracebackType
from typing import TYPE_CHECKING, Any, Generic, Protocol, TypeVar

if TYPE_CHECKING:
    from conformance.targets.load import Target

A = TypeVar("A")
R = TypeVar("R")

DEFAULT_TIMEOUT = 10.0


@dataclasses.dataclass(frozen=True)
class Ok(Generic[R]):
    """The call returned ``value``."""

    value: R


@dataclasses.dataclass(frozen=True)
class Crashed:
    """The call raised an exception the harness did not expect, or the worker died."""

    reason: str


@dataclasses.dataclass(frozen=True)
class Hung:
    """The call did not return within ``seconds``."""

    seconds: float


CallResult = Ok[R] | Crashed | Hung


def describe_exception(exc: BaseException) -> str:
    """``"Type: message (file:line)"`` for the innermost frame, the reason of a ``Crashed``."""
    frames = traceback.extract_tb(exc.__traceback__)
    where = f" ({frames[-1].filename}:{frames[-1].lineno})" if frames else ""
    message = str(exc).splitlines()[0] if str(exc) else ""
    return f"{type(exc).__name__}: {message[:300]}{where}"


class Executor(Protocol):
    """What every executor offers; see the module docstring."""

    def map(
        self, fn: Callable[[Any, A], R], args: Sequence[A], *, timeout: float = DEFAULT_TIMEOUT
    ) -> list[CallResult[R]]:
        """Call ``fn(api, arg)`` for each arg; one result per arg, in order."""
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


class InProcessExecutor(Executor):
    """Calls the implementation in this process: fast, for trusted targets and benchmarks.

    It cannot survive a segfault or stop an endless loop; the isolated executor can.
    """

    def __init__(self, target: Target) -> None:
        self.target = target

    def map(
        self,
        fn: Callable[[Any, A], R],
        args: Sequence[A],
        *,
        timeout: float = DEFAULT_TIMEOUT,
    ) -> list[CallResult[R]]:
        """Call ``fn(target.api, arg)`` for each arg, in order (``timeout`` cannot be enforced here)."""
        results: list[CallResult[R]] = []
        for arg in args:
            try:
                results.append(Ok(fn(self.target.api, arg)))
            except Exception as exc:  # the verdict "crash" is the point of catching everything
                results.append(Crashed(describe_exception(exc)))
        return results

    def close(self) -> None:
        """Nothing to release in process."""
