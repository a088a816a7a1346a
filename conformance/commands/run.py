"""``h11spec run``: grade implementations against the catalog (and the model), write the reports.

Exit status: 0 when no MUST-level case fails, crashes or hangs on any implementation (after the
baseline), 1 otherwise, 2 for usage errors. The logic lives in ``conformance.commands.session`` and
``conformance.reports``; this module only parses arguments, shows progress and prints.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from conformance.commands.checks import DIR, FILE, Output
from conformance.errors import UsageError
from conformance.targets.load import add_impl_argument
from conformance.verdict import PROFILES, Level

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
        "--write-baseline",
        type=Path,
        default=None,
        metavar="FILE",
        help="adopt: write this run's results.json to FILE as the baseline, count none of its problems "
        "(exit 0), and accept a --baseline FILE that does not exist yet",
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


def outputs(args: argparse.Namespace) -> list[Output]:
    """What the command will write: the report directory (unless --list) and the baseline to write."""
    if args.list:
        return []
    found = [Output("--report-dir", args.report_dir, DIR, staged=True)]
    if args.write_baseline:
        found.append(Output("--write-baseline", args.write_baseline, FILE))
    return found


def main(args: argparse.Namespace) -> int:
    """Run the command; see the module docstring for the exit status."""
    from conformance.atomic import write_atomic
    from conformance.commands.checks import baseline_warnings, check_selection
    from conformance.commands.progress import watcher
    from conformance.commands.session import (
        RunPlan,
        catalog_fingerprint,
        check_profile,
        default_argv,
        execute,
        load_baseline,
        may_select_model,
        select_cases,
    )
    from conformance.reports import MODEL_FINDINGS, stage_reports, write_reports
    from conformance.reports import json as json_report
    from conformance.results import exit_status, summary_lines
    from conformance.targets.load import resolve_impls

    check_profile(args.profile)
    if args.jobs is not None and args.jobs < 1:
        raise UsageError(f"--jobs {args.jobs}: give a positive number of worker processes")
    if args.list:
        return _print_list(args)
    baselines = [Path(b) for b in args.baseline if b.strip()]
    if args.write_baseline:
        # Adopting: a baseline that does not exist yet is the one this run writes.
        baselines = [b for b in baselines if b.exists() or b.resolve() != args.write_baseline.resolve()]
    load_baseline(baselines)  # fail fast on a bad baseline, before any grading
    targets = resolve_impls(args.impl)
    cases = select_cases(args.select, args.level)
    want_model = args.model_depth != "off" and may_select_model(args.select, args.level)
    check_selection(len(cases) + want_model, args.select, args.level)
    for line in baseline_warnings(
        baselines,
        impls=[t.name for t in targets],
        profile=args.profile,
        catalog=catalog_fingerprint(),
    ):
        print(line, file=sys.stderr)
    report_dir: Path = args.report_dir
    try:
        staged = stage_reports(report_dir)
    except OSError as exc:
        raise UsageError(f"--report-dir {report_dir} cannot be written: {exc.strerror or exc}") from None
    try:
        with watcher() as phases:
            plan = RunPlan(
                targets,
                profile=args.profile,
                patterns=args.select,
                levels=args.level,
                model_depth=args.model_depth,
                seed=args.seed,
                isolated=args.isolated,
                jobs=args.jobs,
                baseline=baselines,
                argv=default_argv(),
                model_corpus=staged.path / MODEL_FINDINGS,
            )
            run = execute(plan, phases=phases, cases=cases)
        run.model_findings = {
            impl: [str(report_dir / MODEL_FINDINGS / Path(p).name) for p in paths]
            for impl, paths in run.model_findings.items()
        }
        if args.write_baseline:
            run.known = frozenset((r.impl, r.case_id) for r in run.results if r.verdict.is_problem)
        for line in summary_lines(run):
            print(line)
        try:
            paths = write_reports(run, report_dir, staged)
            if args.write_baseline:
                write_atomic(args.write_baseline, json_report.render(run))
        except OSError as exc:
            raise UsageError(f"cannot write reports to {report_dir}: {exc.strerror or exc}") from None
    finally:
        staged.discard()
    print(f"reports: {', '.join(str(p) for p in paths)}")
    if args.write_baseline:
        print(
            f"baseline: wrote {args.write_baseline} with {len(run.known)} known problems; commit it and "
            f"pass --baseline {args.write_baseline} from now on"
        )
    return exit_status(run)
