"""The atheris (libFuzzer) entry point of every fuzz target.

Usage::

    python -m fuzz.entry --target server-parse --impl h11 [--profile h11] [libFuzzer flags and corpus dirs]
    python fuzz/entry.py --target differential --impl reference crash-1234   # reproduce one input

Theory of operation: the harness modules (``fuzz.targets``, ``conformance.drive``, the target loader) are
imported first, uninstrumented; then, inside ``atheris.instrument_imports``, the implementation under
test and the reference are imported, so libFuzzer's coverage feedback comes from their code only (and the
harness costs no instrumentation). ``TestOneInput`` is the target's ``check`` bound to the
implementation (so the first finding stops libFuzzer, as ClusterFuzzLite and reproduction expect; an
``OracleInfo``, information rather than a finding, is swallowed), or
with ``--record DIR`` (what ``h11spec fuzz`` passes) a ``fuzz.recorder.Recorder`` that saves findings in
DIR and lets libFuzzer go on;
the structure-aware mutator of ``fuzz.mutator`` is the custom mutator. Everything after our own flags goes
to libFuzzer unchanged; ``DEFAULT_FLAGS`` are added unless given (input size, per-input timeout, the
dictionary ``fuzz/http.dict``).

The same file is the fuzzer that ClusterFuzzLite/OSS-Fuzz builds wrap: it runs as a plain script (it puts
the repository on ``sys.path`` itself) and takes ``--target``/``--impl`` defaults from
``$H11SPEC_FUZZ_TARGET`` and ``$H11SPEC_IMPL``. When ``$H11SPEC_PARENT_PID`` is set (``h11spec fuzz`` sets
it), the process asks Linux to kill it when that parent dies, so a campaign killed with SIGKILL leaves no
orphaned workers.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

if __package__ in (None, ""):  # run as a plain script: make the repository importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

DICTIONARY = Path(__file__).resolve().parent / "http.dict"
DEFAULT_FLAGS: dict[str, str] = {
    # inputs up to 64 KiB: past the 16 KiB incomplete-event limit and int()'s 4300-digit limit
    "-max_len": "65536",
    "-len_control": "0",  # the mutator may use all of -max_len at once, not only after a slow ramp-up
    "-timeout": "5",  # seconds per input: a hang is reported as a timeout- artifact
    "-dict": str(DICTIONARY),
}
PARENT_ENV = "H11SPEC_PARENT_PID"


EXIT_HARNESS = 3  # a job whose harness code raised exits with this, writing no artifact


def die_with_parent() -> None:
    """Under ``$H11SPEC_PARENT_PID`` (a campaign's worker), die with the campaign process."""
    from conformance.targets.isolation import die_with_parent as die_with

    parent = os.environ.get(PARENT_ENV)
    if parent and parent.isdigit():
        die_with(int(parent))


def parse_args(argv: Sequence[str]) -> tuple[argparse.Namespace, list[str]]:
    """Our flags, and everything else (libFuzzer flags and corpus directories) in order."""
    parser = argparse.ArgumentParser(prog="fuzz.entry", allow_abbrev=False, add_help=True)
    parser.add_argument("--target", default=os.environ.get("H11SPEC_FUZZ_TARGET", "server-parse"))
    parser.add_argument("--impl", default=os.environ.get("H11SPEC_IMPL", "reference").split(",")[0])
    parser.add_argument(
        "--profile",
        default=None,
        help="rfc9112 (default) or h11: the contract the oracle holds the target to",
    )
    parser.add_argument(
        "--instrument",
        choices=("imports", "all", "none"),
        default="imports",
        help="what to instrument: the implementation and reference (default), everything, or nothing",
    )
    parser.add_argument("--no-mutator", action="store_true", help="libFuzzer's own mutations only")
    parser.add_argument(
        "--record",
        type=Path,
        default=None,
        metavar="DIR",
        help="record findings in DIR and go on fuzzing (fuzz.recorder) instead of stopping at the first",
    )
    return parser.parse_known_args(list(argv))


def libfuzzer_argv(program: str, extra: Sequence[str]) -> list[str]:
    """``program`` plus ``extra``, with each of ``DEFAULT_FLAGS`` appended unless ``extra`` sets it."""
    given = {arg.split("=", 1)[0] for arg in extra if arg.startswith("-")}
    defaults = [f"{flag}={value}" for flag, value in DEFAULT_FLAGS.items() if flag not in given]
    return [program, *defaults, *extra]


def main(argv: Sequence[str] | None = None) -> None:
    """Set up and run libFuzzer on one target and implementation (does not return while fuzzing)."""
    die_with_parent()
    args, rest = parse_args(sys.argv[1:] if argv is None else argv)
    if args.profile:
        os.environ["H11SPEC_PROFILE"] = args.profile

    import atheris

    import conformance.targets.probe  # noqa: F401 -- harness modules are imported uninstrumented
    from conformance.targets.executor import describe_exception, harness_origin
    from conformance.targets.load import load_target, reference_api
    from fuzz import mutator, targets
    from fuzz.oracle import OracleInfo, OracleViolation, SkippedInput, active_profile

    if args.target not in targets.TARGETS:
        sys.exit(f"fuzz.entry: unknown --target {args.target!r}; use one of {', '.join(targets.TARGETS)}")
    active_profile()  # a bad $H11SPEC_PROFILE fails here, not on every input
    from conformance.errors import UsageError

    impl_package = args.impl.split(":")[0].split(".")[0]
    try:
        if args.instrument == "imports":
            with atheris.instrument_imports(include=[impl_package, "conformance", "h11"]):
                target = load_target(args.impl, preflight=False)
                reference_api()
        else:
            target = load_target(args.impl, preflight=False)
            reference_api()
    except UsageError as exc:
        sys.exit(f"fuzz.entry: {exc}")
    if args.instrument == "all":
        atheris.instrument_all()

    check = targets.TARGETS[args.target].check
    api = target.api

    def test_one_input(data: bytes) -> None:
        try:
            check(api, data)
        except OracleInfo:
            return  # information, not a finding: libFuzzer goes on (a campaign's Recorder counts it)
        except SkippedInput:
            return  # an input this target cannot read (fuzz.targets): no finding
        except Exception as exc:
            if isinstance(exc, OracleViolation) or not harness_origin(exc, api):
                raise  # the oracle broke, or the target crashed: libFuzzer writes the artifact
            # Our own code raised: no artifact (it would be stored as the target's finding); one line, exit 3.
            print(f"fuzz.entry: harness error, not a finding: {describe_exception(exc)}", file=sys.stderr)
            sys.stderr.flush()
            os._exit(EXIT_HARNESS)

    one_input: Callable[[bytes], None] = test_one_input
    if args.record is not None:
        from fuzz.recorder import Recorder

        args.record.mkdir(parents=True, exist_ok=True)
        one_input = Recorder(api, args.target, args.record).test_one_input

    setup_kwargs = {} if args.no_mutator else {"custom_mutator": mutator.custom_mutator}
    atheris.Setup(libfuzzer_argv(sys.argv[0], rest), one_input, **setup_kwargs)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
