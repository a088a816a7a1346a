"""Loading, probing and isolating the implementation under test.

Theory of operation: ``--impl`` names an implementation as ``reference`` (our own), an importable
module exposing the h11 API (``h11``, a fork, a compiled build), or ``package.module:Adapter`` for a
library whose API differs. ``load_target`` turns that name into a ``Target``: the namespace object
exposing the h11 API (``target.api``), its version and its capabilities.

Everything that calls into an implementation goes through an ``Executor``: ``executor.map(fn, args)``
calls ``fn(target.api, arg)`` for each arg and returns one ``CallResult`` per arg, in order. ``fn``
must be a module-level function (it is pickled by reference) and its arguments and return value must
be picklable. ``Ok`` carries the return value; ``Crashed`` and ``Hung`` are verdicts about the
implementation, never exceptions in the harness.

NOTE (skeleton): only the in-process executor exists so far; the isolated one (worker processes,
per-call timeout, memory limit, restart on death) is issue #3.
"""

from __future__ import annotations

import argparse
import dataclasses
import importlib
import os
import traceback
from collections.abc import Callable, Sequence
from types import TracebackType
from typing import Any, Generic, TypeVar

from conformance.errors import UsageError

A = TypeVar("A")
R = TypeVar("R")

REFERENCE = "reference"
ENV_VAR = "H11SPEC_IMPL"
DEFAULT_TIMEOUT = 10.0

# Capability names. Every check declares the capabilities it needs and is skipped, with the
# reason, on a target that lacks one.
PARSE_REQUESTS = "parse-requests"  # a SERVER Connection turns bytes into Request/Data/EOM
PARSE_RESPONSES = "parse-responses"  # a CLIENT Connection turns bytes into responses
SERIALIZE = "serialize"  # Connection.send turns events into bytes
STATE_MACHINE = "state-machine"  # our_state/their_state/states, start_next_cycle
PROTOCOL_SWITCH = "protocol-switch"  # Upgrade/CONNECT, MIGHT_SWITCH_PROTOCOL, SWITCHED_PROTOCOL
EXPECT_100 = "100-continue"  # the 100-continue flags
EVENT_VALIDATION = "event-validation"  # event constructors validate and normalise
ALL_CAPABILITIES = frozenset(
    {
        PARSE_REQUESTS,
        PARSE_RESPONSES,
        SERIALIZE,
        STATE_MACHINE,
        PROTOCOL_SWITCH,
        EXPECT_100,
        EVENT_VALIDATION,
    }
)


@dataclasses.dataclass(frozen=True)
class Target:
    """One implementation under test, as named on the command line."""

    spec: str  # the --impl value as given
    api: Any  # the namespace exposing the h11 API: Connection, Request, ..., NEED_DATA, ...
    module: str  # the module actually imported
    version: str
    capabilities: frozenset[str]

    @property
    def name(self) -> str:
        """Display name: the --impl value."""
        return self.spec


def load_target(spec: str) -> Target:
    """Import the implementation named ``spec``.

    Raises:
        UsageError: the module cannot be imported; the message is one line saying what to do.
    """
    module_name = "conformance.reference" if spec == REFERENCE else spec
    try:
        module = importlib.import_module(module_name)
    except ImportError as exc:
        raise UsageError(
            f"cannot import implementation {spec!r} ({exc}); install it, or pass "
            f"--impl {REFERENCE}, --impl h11 or --impl package.module:Adapter"
        ) from None
    version = str(getattr(module, "__version__", "unknown"))
    return Target(spec, module, module_name, version, ALL_CAPABILITIES)


def default_impls() -> list[str]:
    """The implementations to use when no --impl is given: $H11SPEC_IMPL, else the reference."""
    env = os.environ.get(ENV_VAR, "").strip()
    return [s for s in env.split(",") if s.strip()] if env else [REFERENCE]


def add_impl_argument(parser: argparse.ArgumentParser) -> None:
    """Add the repeatable ``--impl NAME`` option every command shares."""
    parser.add_argument(
        "--impl",
        action="append",
        metavar="NAME",
        help=f"implementation under test: {REFERENCE!r} (default), an importable module such as "
        f"'h11', or 'package.module:Adapter'; repeat to compare; default from ${ENV_VAR}",
    )


def resolve_impls(specs: Sequence[str] | None) -> list[Target]:
    """Load every implementation named on the command line (or the defaults), in order."""
    return [load_target(spec) for spec in (specs or default_impls())]


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


class InProcessExecutor:
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
        """Call ``fn(target.api, arg)`` for each arg, in order."""
        results: list[CallResult[R]] = []
        for arg in args:
            try:
                results.append(Ok(fn(self.target.api, arg)))
            except Exception as exc:  # the verdict "crash" is the point of catching everything
                frame = traceback.extract_tb(exc.__traceback__)[-1]
                results.append(Crashed(f"{type(exc).__name__}: {exc} ({frame.filename}:{frame.lineno})"))
        return results

    def close(self) -> None:
        """Nothing to release in process."""

    def __enter__(self) -> InProcessExecutor:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()
