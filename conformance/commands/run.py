"""``h11spec run``: grade implementations against the catalog (and the model), write the reports.

Exit status: 0 when no MUST-level case fails, crashes or hangs on any implementation (after the
baseline), 1 otherwise, 2 for usage errors. The logic lives in ``conformance.commands.session`` and
``conformance.reports``; this module only parses arguments, shows progress and prints.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from conformance.errors import UsageError
from conformance.targets.load import add_impl_argument
from conformance.verdict import PROFILES, Level

if TYPE_CHECKING:
    from conformance.commands.session import Progress
    from conformance.results import RunResult

HELP = "grade implementations against the conformance catalog and write reports (JSON, JUnit, Markdown, HTML)"


def _level(value: str) -> Level:
    try:
        return Level(value.upper())
    except ValueError:
        raise argparse.ArgumentTypeError(f"unknown level {value!r}: use MUST, SHOULD or MAY") from None


def configure(parser: argparse.ArgumentParser) -> None:
    """Add the arguments of ``h11spec run``."""
    from conformance.commands.session import DEFAULT_MODEL_DEPTH, DEFAULT_REPORT_DIR, MODEL_DEPTHS

    add_impl_argument(parser)
    parser.add_argument(
        "--profile",
        default="rfc9112",
        help=f"grading contract: {' or '.join(PROFILES)} (default rfc9112: against the RFCs; "
        "h11: parity with h11's documented behaviour)",
    )
    parser.add_argument(
        "--report-dir",
        type=Path,
        default=DEFAULT_REPORT_DIR,
        metavar="DIR",
        help=f"where results.json, junit.xml, summary.md and report.html go (default {DEFAULT_REPORT_DIR})",
    )
    parser.add_argument(
        "--list", action="store_true", help="print the selected case ids and levels, then exit"
    )
    parser.add_argument(
        "--select",
        action="append",
        default=[],
        metavar="PATTERN",
        help="run only case ids matching this fnmatch pattern (e.g. '9112/6.*'); repeatable",
    )
    parser.add_argument(
        "--level",
        action="append",
        default=[],
        type=_level,
        metavar="LEVEL",
        help="run only cases of this requirement level (MUST, SHOULD, MAY); repeatable",
    )
    parser.add_argument(
        "--baseline",
        action="append",
        default=[],
        metavar="FILE",
        help="a previous results.json: its failures (same implementation and case id) are reported as "
        "known and do not fail the run; repeatable; an empty value is ignored (for $H11SPEC_BASELINE in tox)",
    )
    parser.add_argument(
        "--jobs", type=int, default=None, metavar="N", help="worker processes (default: all cores)"
    )
    group = parser.add_mutually_exclusive_group()
    group.add_argument(
        "--isolated",
        dest="isolated",
        action="store_const",
        const=True,
        default=None,
        help="run every implementation in worker processes with timeouts (default for untrusted ones)",
    )
    group.add_argument(
        "--in-process",
        dest="isolated",
        action="store_const",
        const=False,
        help="run every implementation in this process (fastest; no protection against hangs)",
    )
    parser.add_argument(
        "--model-depth",
        default=DEFAULT_MODEL_DEPTH,
        choices=MODEL_DEPTHS,
        help=f"model checker budget, or off (default {DEFAULT_MODEL_DEPTH})",
    )
    parser.add_argument("--seed", type=int, default=0, help="seed of the model checker (default 0)")


def _print_list(args: argparse.Namespace) -> int:
    from conformance.commands.session import select_cases

    cases = select_cases(args.select, args.level)
    if not cases:
        raise UsageError(f"no case matches --select {' '.join(args.select) or '*'} at the levels given")
    for case in cases:
        level = getattr(case.level, "value", case.level)
        print(f"{case.id}  {level}")
    return 0


def main(args: argparse.Namespace) -> int:
    """Run the command; see the module docstring for the exit status."""
    from conformance.commands.session import check_profile, default_argv, execute, load_baseline
    from conformance.reports import write_reports
    from conformance.results import exit_status, summary_lines
    from conformance.targets.load import resolve_impls

    check_profile(args.profile)
    if args.jobs is not None and args.jobs < 1:
        raise UsageError(f"--jobs {args.jobs}: give a positive number of worker processes")
    if args.list:
        return _print_list(args)
    args.baseline = [Path(b) for b in args.baseline if b.strip()]
    load_baseline(args.baseline)  # fail fast on a bad baseline, before any grading
    targets = resolve_impls(args.impl)
    report_dir: Path = args.report_dir
    if report_dir.exists() and not report_dir.is_dir():
        raise UsageError(f"--report-dir {report_dir} is a file: name a directory")

    def go(progress: Progress | None = None) -> RunResult:
        return execute(
            targets,
            profile=args.profile,
            patterns=args.select,
            levels=args.level,
            model_depth=args.model_depth,
            seed=args.seed,
            isolated=args.isolated,
            jobs=args.jobs,
            baseline=args.baseline,
            argv=default_argv(),
            model_corpus=report_dir / "model-findings",
            progress=progress,
        )

    if sys.stdout.isatty():
        import rich.progress

        with rich.progress.Progress(transient=True) as bar:
            task = bar.add_task("grading", total=None)

            def show(done: int, total: int) -> None:
                bar.update(task, completed=done, total=total)

            run = go(show)
    else:
        run = go()
    for line in summary_lines(run):
        print(line)
    try:
        paths = write_reports(run, report_dir)
    except OSError as exc:
        raise UsageError(f"cannot write reports to {report_dir}: {exc.strerror or exc}") from None
    print(f"reports: {', '.join(str(p) for p in paths)}")
    return exit_status(run)
