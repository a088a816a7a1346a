"""Loading, probing and isolating the implementation under test.

Theory of operation: ``--impl`` names an implementation in one of three ways:

- ``reference``: our own RFC-strict implementation, ``conformance.reference``;
- an importable module exposing the h11 API: ``h11``, a fork, a compiled build;
- ``package.module:Adapter`` for a library whose API differs: the attribute ``Adapter`` of
  ``package.module`` is used as the namespace instead of the module (see ``conformance.targets.adapters``
  for the adapter interface; ``conformance.targets.adapters.httptools:Adapter`` is the one we ship).

``load_target`` imports it, probes it (``conformance.targets.probe``: which h11 names exist, with what shape)
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
``conformance.targets.isolation.IsolatedExecutor`` (worker processes, per-call timeout, memory limit,
restart on death) for anything else, unless asked otherwise.
"""

from __future__ import annotations

import argparse
import dataclasses
import importlib
import os
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from conformance.errors import UsageError
from conformance.targets.capabilities import ALL_CAPABILITIES, PARSE_REQUESTS, PARSE_RESPONSES, SERIALIZE

if TYPE_CHECKING:
    from conformance.targets.probe import ProbeReport

REFERENCE = "reference"
REFERENCE_MODULE = "conformance.reference"
ENV_VAR = "H11SPEC_IMPL"
# Implementations we wrote or vetted: executor_for runs them in process unless told otherwise.
TRUSTED = frozenset({REFERENCE, "h11"})
# A module must offer at least one of these through h11's own names to be graded without an adapter.
CORE_CAPABILITIES = frozenset({PARSE_REQUESTS, PARSE_RESPONSES, SERIALIZE})
ADAPTERS_SECTION = "Adapters"  # the README section that says how to write one


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


PREFLIGHT_TIMEOUT = 60.0  # seconds a fresh process may take to import and probe a target
PREFLIGHT_ENV_VAR = "H11SPEC_IMPORT_TIMEOUT"  # overrides PREFLIGHT_TIMEOUT (seconds)
_PREFLIGHT_CODE = "from conformance.targets.load import preflight_main; preflight_main()"
_PREFLIGHT_MEMORY = 1 << 30  # bytes of address space for the preflight process
_PREFLIGHTED: set[str] = set()


def preflight_import(spec: str, timeout: float | None = None) -> None:
    """Import and probe ``spec`` in a fresh process first, so that a target that crashes, exits, eats
    its memory or hangs while being imported costs that process, not ours.

    Raises:
        UsageError: one line naming what happened (the child's own one-line reason for a target that
            raises on import or is not h11-compatible).
    """
    import signal
    import subprocess
    import sys

    if spec in _PREFLIGHTED:
        return
    if timeout is None:
        env_timeout = os.environ.get(PREFLIGHT_ENV_VAR, "").strip()
        try:
            timeout = float(env_timeout) if env_timeout else PREFLIGHT_TIMEOUT
        except ValueError:
            raise UsageError(
                f"${PREFLIGHT_ENV_VAR} must be a number of seconds, not {env_timeout!r}"
            ) from None
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in sys.path if p)
    flags: list[str] = subprocess._args_from_interpreter_flags()  # type: ignore[attr-defined]
    try:
        proc = subprocess.run(
            [sys.executable, *flags, "-c", _PREFLIGHT_CODE, spec],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            env=env,
            timeout=timeout,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise UsageError(
            f"importing {spec!r} did not finish within {timeout:g} s (does it hang at import?)"
        ) from None
    lines = proc.stderr.decode(errors="replace").strip().splitlines()
    if proc.returncode == 0:
        _PREFLIGHTED.add(spec)
        return
    if proc.returncode == 2 and lines:
        raise UsageError(lines[-1])
    if proc.returncode < 0:
        try:
            how = f"was killed by {signal.Signals(-proc.returncode).name}"
        except ValueError:
            how = f"was killed by signal {-proc.returncode}"
    else:
        how = f"exited with status {proc.returncode}"
    raise UsageError(f"the process importing {spec!r} {how} while importing it; fix or reinstall it")


def preflight_main() -> None:
    """Entry point of the preflight process: load ``sys.argv[1]``; exit 0, or 2 with the reason."""
    import resource
    import sys

    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    soft = _PREFLIGHT_MEMORY if hard == resource.RLIM_INFINITY else min(_PREFLIGHT_MEMORY, hard)
    resource.setrlimit(resource.RLIMIT_AS, (soft, hard))
    try:
        load_target(sys.argv[1], preflight=False)
    except UsageError as exc:
        print(exc, file=sys.stderr)
        sys.exit(2)
    except MemoryError:
        print(f"importing {sys.argv[1]!r} exceeded {_PREFLIGHT_MEMORY >> 20} MiB of memory", file=sys.stderr)
        sys.exit(2)


def load_target(spec: str, *, preflight: bool = True) -> Target:
    """Import and probe the implementation named ``spec``.

    Unless ``preflight`` is False (inside a worker), an untrusted target is first imported and probed
    in a fresh process (``preflight_import``), so its import cannot crash or hang this one.

    Returns:
        The ``Target``, with capabilities computed by ``conformance.targets.probe``.
    Raises:
        UsageError: the name is malformed, the module cannot be imported (missing, or it raises on
            import), the adapter attribute is missing, the adapter declares unknown capabilities, or
            the namespace is not h11-compatible: no Connection and no events, or a module (not an
            adapter) that can neither parse nor send through h11's names ("needs an adapter"); the
            message is one line saying what to do.
    """
    from conformance.targets.probe import probe_api

    spec = spec.strip()
    if not spec:
        raise UsageError("empty --impl: name an implementation, e.g. --impl reference or --impl h11")
    module_name, attr = _split_spec(spec)
    if preflight and spec not in TRUSTED:
        preflight_import(spec)
    module = _import(spec, module_name)
    api = module if attr is None else _resolve_attr(spec, module, attr)
    report = probe_api(api, module)
    core = report.capabilities & CORE_CAPABILITIES
    if not report.compatible or (attr is None and not core):
        lacking = sorted({n for c in CORE_CAPABILITIES for n in report.missing.get(c, ())})
        raise UsageError(
            f"{spec!r} does not offer the h11 API (no {', '.join(lacking[:4]) or 'Connection'}): it needs "
            f"an adapter, see README.md, section {ADAPTERS_SECTION!r}; then pass --impl module:Adapter"
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
        capabilities = offered(api, capabilities)
    return Target(spec, api, module_name, report.version, capabilities, report)


def offered(api: Any, found: frozenset[str]) -> frozenset[str]:
    """What ``api`` offers: the capabilities the probe ``found``, narrowed to the ones it declares in
    ``H11SPEC_CAPABILITIES`` when it declares any (an adapter declining a capability its names suggest)."""
    declared = getattr(api, "H11SPEC_CAPABILITIES", None)
    return found if declared is None else found & frozenset(declared)


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


def reference_api() -> Any:
    """The reference implementation, the oracle every engine compares with: the one place it is imported.

    It comes from ``sys.modules`` (``importlib.import_module``), not from an attribute of the
    ``conformance`` package, which a private re-import (a planted fault's copy) may have rebound. There
    is no fallback: an oracle that quietly became h11 would compare h11 with itself and find nothing.

    Raises:
        HarnessError: the reference does not import or lacks ``Connection`` (our own bug, said loudly).
    """
    from conformance.errors import HarnessError

    try:
        module = importlib.import_module(REFERENCE_MODULE)
    except Exception as exc:
        raise HarnessError(
            f"the reference implementation does not import: {type(exc).__name__}: {exc}"
        ) from exc
    if not hasattr(module, "Connection"):
        raise HarnessError(f"{REFERENCE_MODULE} has no Connection: the reference is broken")
    return module
