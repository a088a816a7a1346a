"""Loading, probing and isolating the implementation under test.

Theory of operation: ``--impl`` names an implementation in one of three ways:

- ``reference``: our own RFC-strict implementation, ``conformance.reference``;
- an importable module exposing the h11 API: ``h11``, a fork, a compiled build;
- ``package.module:Adapter`` for a library whose API differs: the attribute ``Adapter`` of
  ``package.module`` is used as the namespace instead of the module (see ``conformance.adapters``
  for the adapter interface; ``conformance.adapters.httptools:Adapter`` is the one we ship).

``load_target`` imports it, probes it (``conformance.probe``: which h11 names exist, with what shape)
and returns a ``Target``: the namespace object exposing the h11 API (``target.api``), its version and
its capabilities. Capabilities are *computed from the probe*, never hard-coded, and say what the
target offers, not whether it behaves: a target whose ``send`` exists but is wrong has "serialize"
and fails the serialization checks; a target without ``send`` lacks it and those checks are skipped,
with the reason ``target.skip_reason(needs)`` gives. An adapter may declare fewer capabilities than
its names suggest (``H11SPEC_CAPABILITIES``); it never gets more than the probe finds.

Everything that calls into an implementation goes through an executor: ``executor.map(fn, args)``
calls ``fn(target.api, arg)`` for each arg and returns one ``CallResult`` per arg, in order. ``fn``
must be a module-level function (it is pickled by reference) and its arguments and return value must
be picklable. ``Ok`` carries the return value; ``Crashed`` and ``Hung`` are verdicts about the
implementation, never exceptions in the harness. ``executor_for(target)`` picks the executor: the
``InProcessExecutor`` (fast, no protection) for the trusted ``reference`` and ``h11``, the
``conformance.isolation.IsolatedExecutor`` (worker processes, per-call timeout, memory limit,
restart on death) for anything else, unless asked otherwise.
"""

from __future__ import annotations

import argparse
import dataclasses
import importlib
import os
import traceback
from collections.abc import Callable, Iterable, Sequence
from types import TracebackType
from typing import TYPE_CHECKING, Any, Generic, Protocol, TypeVar

from conformance.errors import UsageError

if TYPE_CHECKING:
    from conformance.isolation import IsolatedExecutor
    from conformance.probe import ProbeReport

A = TypeVar("A")
R = TypeVar("R")

REFERENCE = "reference"
REFERENCE_MODULE = "conformance.reference"
ENV_VAR = "H11SPEC_IMPL"
MEMORY_ENV_VAR = "H11SPEC_MEMORY_LIMIT_MB"  # per-worker memory limit of isolated runs, in MiB
DEFAULT_TIMEOUT = 10.0
# Implementations we wrote or vetted: executor_for runs them in process unless told otherwise.
TRUSTED = frozenset({REFERENCE, "h11"})

# Capability names. Every check declares the capabilities it needs and is skipped, with the
# reason, on a target that lacks one. conformance.probe.CAPABILITY_NEEDS says which h11 names
# each one requires.
PARSE_REQUESTS = "parse-requests"  # a SERVER Connection turns bytes into Request/Data/EOM
PARSE_RESPONSES = "parse-responses"  # a CLIENT Connection turns bytes into responses
SERIALIZE = "serialize"  # Connection.send turns events into bytes
STATE_MACHINE = "state-machine"  # our_state/their_state/states, start_next_cycle
PROTOCOL_SWITCH = "protocol-switch"  # Upgrade/CONNECT, MIGHT_SWITCH_PROTOCOL, SWITCHED_PROTOCOL
EXPECT_100 = "100-continue"  # the 100-continue flags
EVENT_VALIDATION = "event-validation"  # event constructors validate and normalise
DATA_PASSTHROUGH = "data-passthrough"  # Connection.send_with_data_passthrough (sendfile)
SEND_FAILED = "send-failed"  # Connection.send_failed moves our side to ERROR
ALL_CAPABILITIES = frozenset(
    {
        PARSE_REQUESTS,
        PARSE_RESPONSES,
        SERIALIZE,
        STATE_MACHINE,
        PROTOCOL_SWITCH,
        EXPECT_100,
        EVENT_VALIDATION,
        DATA_PASSTHROUGH,
        SEND_FAILED,
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
    # What the probe found (names, signatures, sentinels...); None only for hand-built Targets.
    probe: ProbeReport | None = dataclasses.field(default=None, compare=False, repr=False)

    @property
    def name(self) -> str:
        """Display name: the --impl value."""
        return self.spec

    @property
    def trusted(self) -> bool:
        """True for the implementations ``executor_for`` runs in process by default."""
        return self.spec in TRUSTED

    def lacks(self, needs: Iterable[str]) -> frozenset[str]:
        """The capabilities among ``needs`` that this target does not offer (empty: run the check).

        Raises:
            HarnessError: ``needs`` names a capability that does not exist (a typo in a check).
        """
        wanted = frozenset(needs)
        unknown = wanted - ALL_CAPABILITIES
        if unknown:
            from conformance.errors import HarnessError

            raise HarnessError(f"unknown capabilities {sorted(unknown)}; known: {sorted(ALL_CAPABILITIES)}")
        return wanted - self.capabilities

    def skip_reason(self, needs: Iterable[str]) -> str | None:
        """One line saying why a check needing ``needs`` is skipped, or None if it can run."""
        missing = self.lacks(needs)
        if not missing:
            return None
        return f"{self.name} lacks {', '.join(sorted(missing))}"


def _split_spec(spec: str) -> tuple[str, str | None]:
    """``"pkg.mod:Attr"`` -> ("pkg.mod", "Attr"); ``"reference"`` -> the reference module."""
    module_name, sep, attr = spec.partition(":")
    if sep and not (module_name and attr):
        raise UsageError(f"bad --impl {spec!r}: write package.module:Adapter, with both parts")
    if module_name == REFERENCE:
        module_name = REFERENCE_MODULE
    return module_name, (attr or None)


def _import(spec: str, module_name: str) -> Any:
    try:
        return importlib.import_module(module_name)
    except ModuleNotFoundError as exc:
        missing = exc.name or ""
        if missing and (module_name == missing or module_name.startswith(missing + ".")):
            raise UsageError(
                f"no module named {module_name!r} for --impl {spec!r}: install it, or pass "
                f"--impl {REFERENCE}, --impl h11 or --impl package.module:Adapter"
            ) from None
        detail = f"ModuleNotFoundError: {exc}"
    except (Exception, SystemExit) as exc:  # whatever the module raises on import is the user's to fix
        detail = f"{type(exc).__name__}: {exc}".splitlines()[0]
    raise UsageError(f"cannot import implementation {spec!r}: {detail}; fix or reinstall it")


def _resolve_attr(spec: str, module: Any, attr: str) -> Any:
    obj = module
    for part in attr.split("."):
        try:
            obj = getattr(obj, part)
        except Exception:
            raise UsageError(
                f"module {module.__name__!r} has no adapter {attr!r} (from --impl {spec!r}); "
                f"name an attribute that exists"
            ) from None
    return obj


def load_target(spec: str) -> Target:
    """Import and probe the implementation named ``spec``.

    Returns:
        The ``Target``, with capabilities computed by ``conformance.probe``.
    Raises:
        UsageError: the name is malformed, the module cannot be imported (missing, or it raises on
            import), the adapter attribute is missing, the adapter declares unknown capabilities, or
            the namespace is not h11-compatible at all (no Connection and no events); the message is
            one line saying what to do.
    """
    from conformance.probe import probe_api

    spec = spec.strip()
    if not spec:
        raise UsageError("empty --impl: name an implementation, e.g. --impl reference or --impl h11")
    module_name, attr = _split_spec(spec)
    module = _import(spec, module_name)
    api = module if attr is None else _resolve_attr(spec, module, attr)
    report = probe_api(api, module)
    if not report.compatible:
        raise UsageError(
            f"{spec!r} is not an h11-compatible implementation (it has no Connection and no event "
            f"classes); name a module exposing the h11 API, or wrap it as package.module:Adapter"
        )
    declared = getattr(api, "H11SPEC_CAPABILITIES", None) if attr is not None else None
    capabilities = report.capabilities
    if declared is not None:
        declared_set = frozenset(declared)
        unknown = declared_set - ALL_CAPABILITIES
        if unknown:
            raise UsageError(
                f"adapter {spec!r} declares unknown capabilities {sorted(unknown)}; "
                f"use only {sorted(ALL_CAPABILITIES)}"
            )
        capabilities = capabilities & declared_set
    return Target(spec, api, module_name, report.version, capabilities, report)


def default_impls() -> list[str]:
    """The implementations to use when no --impl is given: $H11SPEC_IMPL, else the reference."""
    env = os.environ.get(ENV_VAR, "").strip()
    specs = [s.strip() for s in env.split(",") if s.strip()]
    return specs or [REFERENCE]


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
    """Load every implementation named on the command line (or the defaults), in order.

    A value may itself be comma-separated (``--impl h11,reference``), like $H11SPEC_IMPL; a name
    given twice is loaded once (reports key their columns by name).
    Raises:
        UsageError: see ``load_target``.
    """
    names = [part.strip() for spec in (specs or default_impls()) for part in spec.split(",")]
    return [load_target(name) for name in dict.fromkeys(n for n in names if n)]


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
    if not isolated:
        return InProcessExecutor(target)
    from conformance.isolation import DEFAULT_MEMORY_LIMIT, IsolatedExecutor

    if memory_limit is None:
        env = os.environ.get(MEMORY_ENV_VAR, "").strip()
        if not env:
            memory_limit = DEFAULT_MEMORY_LIMIT
        elif env.isdigit():
            memory_limit = int(env) << 20
        else:
            raise UsageError(f"${MEMORY_ENV_VAR} must be a whole number of MiB (0: no limit), not {env!r}")
    return IsolatedExecutor(target, jobs=jobs, memory_limit=memory_limit)
