"""``h11spec fuzz``: run libFuzzer campaigns on the fuzz targets, or benchmark them.

Theory of operation: argument checking happens here (one-line ``UsageError``s), the work in
``fuzz.campaign.run_campaign`` (one campaign per target, in order, for ``--time`` seconds each) and
``fuzz.bench``. Every directory a campaign writes (``outputs``) is checked before the first worker
starts. Each campaign is announced on stderr when it starts and its summary says why it stopped (the
time budget, ``-runs``, Ctrl-C, or workers that ended early). ``--profile`` reaches the workers through
``$H11SPEC_PROFILE`` (read by ``fuzz.targets``). ``--smoke`` is the CI mode: one job per target and exit
1 if any finding is new (not already a regression entry for this implementation). Extra libFuzzer
flags go after ``--``.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from pathlib import Path

from conformance.commands.checks import DIR, Output
from conformance.errors import UsageError
from conformance.targets.load import add_impl_argument

HELP = "fuzz an implementation with libFuzzer (atheris): live progress, triage, regression corpus"
TARGET_NAMES = ("server-parse", "client-parse", "send", "differential")


def configure(parser: argparse.ArgumentParser) -> None:
    """Add the fuzz command's arguments."""
    add_impl_argument(parser)
    parser.add_argument("--target", default="all", help=f"one of {', '.join(TARGET_NAMES)}, or all (default)")
    parser.add_argument("--time", type=float, default=60.0, help="seconds per target (default 60)")
    parser.add_argument("--jobs", type=int, default=None, help="worker processes (default: all cores)")
    parser.add_argument(
        "--corpus", type=Path, default=None, help="work corpus (default corpus/work/<target>)"
    )
    parser.add_argument(
        "--artifacts",
        type=Path,
        default=None,
        help="where libFuzzer writes findings (default corpus/work/artifacts/<target>)",
    )
    parser.add_argument(
        "--regressions",
        type=Path,
        default=Path("corpus/regressions"),
        help="where triage stores new findings",
    )
    parser.add_argument(
        "--report-dir", type=Path, default=Path("reports/fuzz"), help="triage and campaign summaries"
    )
    parser.add_argument(
        "--profile", choices=("rfc9112", "h11"), default=None, help="grading profile (default rfc9112)"
    )
    parser.add_argument(
        "--no-seeds", action="store_true", help="do not read the package's seeds (fuzz/seeds/<target>)"
    )
    parser.add_argument("--no-minimize", action="store_true", help="triage without minimizing findings")
    parser.add_argument("--smoke", action="store_true", help="CI mode: one job, exit 1 on any new finding")
    parser.add_argument("--quiet", action="store_true", help="no live progress")
    parser.add_argument("--bench", action="store_true", help="benchmark exec/s and time-to-find instead")
    parser.add_argument(
        "--planted",
        action="append",
        default=[],
        metavar="MODULE",
        help="--bench: time to find this planted fault (a module with FUZZ_TARGET); repeatable",
    )
    parser.add_argument("--ttf-runs", type=int, default=5, help="--bench: time-to-find runs (default 5)")
    parser.add_argument(
        "--ttf-limit", type=float, default=120.0, help="--bench: seconds per time-to-find run"
    )
    parser.add_argument(
        "--bench-seconds", type=float, default=15.0, help="--bench: seconds per campaign exec/s run (0 skips)"
    )
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    parser.add_argument("libfuzzer_args", nargs="*", metavar="-- LIBFUZZER_FLAG", help="passed to libFuzzer")


def _targets(value: str) -> list[str]:
    if value == "all":
        return list(TARGET_NAMES)
    names = [v.strip() for v in value.split(",") if v.strip()]
    unknown = [n for n in names if n not in TARGET_NAMES]
    if unknown or not names:
        raise UsageError(f"unknown --target {value!r}: use one of {', '.join(TARGET_NAMES)} or all")
    return names


def _dirs(args: argparse.Namespace, target: str, many: bool) -> tuple[Path, Path]:
    """The work corpus and artifact directories of ``target`` (one of ``many`` targets or the only one)."""
    if args.corpus is None:
        corpus = Path("corpus/work") / target
    else:
        corpus = args.corpus / target if many else args.corpus
    if args.artifacts is None:
        artifacts = Path("corpus/work/artifacts") / target
    else:  # one directory per target: triage reads every artifact in it as this target's
        artifacts = args.artifacts / target if many else args.artifacts
    return corpus, artifacts


def outputs(args: argparse.Namespace) -> list[Output]:
    """Every directory the campaigns will write: corpus and artifacts per target, regressions, reports."""
    if args.bench:
        return []
    targets = _targets(args.target)
    found = []
    for target in targets:
        corpus, artifacts = _dirs(args, target, len(targets) > 1)
        found += [Output("--corpus", corpus, DIR), Output("--artifacts", artifacts, DIR)]
    return [
        *found,
        Output("--regressions", args.regressions, DIR),
        Output("--report-dir", args.report_dir, DIR),
    ]


def stop_reason(result: object, budget: float, extra_args: list[str]) -> str:
    """Why a campaign stopped, in a few words: Ctrl-C, its time budget, ``-runs``, or its workers ended."""
    from fuzz.campaign import CampaignResult

    assert isinstance(result, CampaignResult)
    if result.interrupted:
        return "interrupted (Ctrl-C or SIGTERM)"
    if result.seconds >= budget * 0.95:
        return f"time budget of {budget:g} s spent"
    runs = [a for a in extra_args if a.startswith("-runs=")]
    if runs:
        return f"run limit {runs[-1]} reached"
    return f"workers ended after {result.seconds:.1f} of {budget:g} s (finding limit or libFuzzer exit)"


def _safe(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", name)


def main(args: argparse.Namespace) -> int:
    """Run the campaigns (or the benchmark); returns the exit status."""
    try:
        import atheris  # noqa: F401 -- only checking that libFuzzer is there
    except ImportError:
        raise UsageError(
            "atheris is not installed: pip install 'h11spec[fuzz]' (CPython 3.8-3.12, Linux)"
        ) from None
    from conformance.targets.load import resolve_impls

    targets = _targets(args.target)
    impls = resolve_impls(args.impl)  # UsageError for a bad --impl, before any worker starts
    if args.profile:
        os.environ["H11SPEC_PROFILE"] = args.profile
    if args.time <= 0:
        raise UsageError("--time must be a positive number of seconds")
    if args.jobs is not None and args.jobs < 1:
        raise UsageError("--jobs must be at least 1")
    bad = [a for a in args.libfuzzer_args if not a.startswith("-")]
    if bad:
        raise UsageError(f"unexpected argument {bad[0]!r}: libFuzzer flags after -- start with '-'")
    if args.bench:
        from fuzz.bench import run_bench

        return run_bench(
            [t.name for t in impls],
            targets,
            ttf_runs=args.ttf_runs,
            ttf_limit=args.ttf_limit,
            libfuzzer_seconds=args.bench_seconds,
            as_json=args.json,
            planted=args.planted,
        )
    jobs = 1 if args.smoke else args.jobs or os.cpu_count() or 1
    from fuzz.targets import skip_reason

    for impl in impls:  # a fuzz target needing what the implementation lacks is skipped, with the reason
        for name in targets:
            reason = skip_reason(impl, name)
            if reason:
                print(f"h11spec fuzz: skipped {name} on {impl.name}: {reason}", file=sys.stderr)
    runnable = [t for t in targets if all(not skip_reason(impl, t) for impl in impls)]
    return _campaigns(args, [t.name for t in impls], runnable, jobs)


def _campaigns(args: argparse.Namespace, impls: list[str], targets: list[str], jobs: int) -> int:
    from conformance.atomic import write_atomic
    from fuzz.campaign import run_campaign

    results = []
    status = 0
    for impl in impls:
        for target in targets:
            corpus, artifacts = _dirs(args, target, len(targets) > 1)
            print(f"h11spec: fuzz {target} on {impl}: up to {args.time:g} s, {jobs} job(s)", file=sys.stderr)
            sys.stderr.flush()
            result = run_campaign(
                target,
                impl,
                seconds=args.time,
                jobs=jobs,
                corpus_dir=corpus,
                artifacts_dir=artifacts,
                use_seeds=not args.no_seeds,
                progress=not args.quiet and sys.stderr.isatty(),
                extra_args=args.libfuzzer_args,
                minimize=not args.no_minimize,
                regressions_dir=args.regressions,
                report_dir=args.report_dir,
            )
            results.append(result)
            write_atomic(
                args.report_dir / f"campaign-{_safe(impl)}-{target}.json",
                json.dumps(result.to_json(), indent=2) + "\n",
            )
            if not args.json:
                _print_summary(result, stop_reason(result, args.time, args.libfuzzer_args))
            if args.smoke and result.new_findings:
                status = 1
            if result.interrupted:
                status = 130
                break
        if status == 130:
            break
    if args.json:
        print(json.dumps([r.to_json() for r in results], indent=2))
    if args.smoke and status == 1:
        print(f"h11spec fuzz --smoke: new findings (see {args.report_dir}/summary.md)", file=sys.stderr)
    return status


def _print_summary(result: object, why: str) -> None:
    from fuzz.campaign import CampaignResult

    assert isinstance(result, CampaignResult)
    line = (
        f"{result.target} on {result.impl}: stopped: {why}; "
        f"{result.executions:,} runs in {result.seconds:.1f} s of a {result.budget:g} s budget "
        f"({result.exec_per_s:,.0f}/s wall, start-up included; "
        f"triage {result.triage_seconds:.1f} s), corpus {result.corpus_size}, cov {result.coverage}, "
        f"{len(result.artifacts)} artifact(s), {result.new_findings} new finding(s)"
        + (f", {result.skipped:,} input(s) skipped (role not read)" if result.skipped else "")
        + (" [interrupted]" if result.interrupted else "")
    )
    print(line)
    for finding in result.findings:
        mark = "new" if getattr(finding, "new", False) else "known"
        signature = getattr(finding, "signature", ("?", "?", "?"))
        print(f"  [{mark}] {signature[1]} at {signature[2]}: {str(signature[0])[:100]}")
    for signature, count in sorted(result.recorded.items()):
        print(f"  [seen {count}x] {signature[1]} at {signature[2]}: {signature[0][:100]}")
    for line in result.info_lines():  # information (a mix of one choice point's alternatives): no finding
        print(f"  {line}")
    for note in result.notes:
        print(f"  capped: {note}")
