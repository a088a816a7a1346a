"""``h11spec model``: run the model checker on one implementation and print what it found.

Theory of operation: thin CLI over ``conformance.model.run_model``: load the target, run the state
machine and the byte-stream property at the chosen depth, print one line per invariant (pass, fail or
crash, with the corpus entry of each finding), the time to find each finding, and the coverage table;
with ``--json`` also write the rows and the coverage atomically. Exit 1 when anything was found, 3 when
the harness itself failed. The implementation runs through its executor (``--isolated``/``--in-process``
override the default); ``--compare-isolation`` runs both in one go and prints their speed ratio.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from conformance.commands.checks import DIR, FILE, Output
from conformance.errors import UsageError

HELP = "model-check an implementation against the reference (Hypothesis stateful lock-step)"
DEPTH_CHOICES = ("quick", "ci", "dev", "deep")


def _seed(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected an integer seed, got {text!r}") from None


def configure(parser: argparse.ArgumentParser) -> None:
    """Add the model command's arguments."""
    from conformance.targets.load import add_impl_argument

    add_impl_argument(parser)
    parser.add_argument(
        "--depth",
        choices=DEPTH_CHOICES,
        help="quick (<= 15 s), ci (< 60 s), dev, deep; default $HYPOTHESIS_PROFILE or ci",
    )
    parser.add_argument("--profile", choices=("rfc9112", "h11"), default="rfc9112", help="grading contract")
    parser.add_argument("--seed", type=_seed, default=0, help="Hypothesis seed (default 0)")
    parser.add_argument(
        "--corpus-dir",
        type=Path,
        default=Path("corpus/model"),
        help="where findings go (default corpus/model)",
    )
    parser.add_argument("--no-corpus", action="store_true", help="do not write findings to the corpus")
    parser.add_argument("--json", metavar="PATH", help="also write the rows and coverage as JSON to PATH")
    parser.add_argument(
        "--timeout",
        type=float,
        default=None,
        metavar="SECONDS",
        help="how long one step may take in the implementation before it is a hang (default 10)",
    )
    group = parser.add_mutually_exclusive_group()
    group.add_argument(
        "--isolated",
        dest="isolated",
        action="store_const",
        const=True,
        default=None,
        help="run the implementation in a worker process (default for untrusted ones)",
    )
    group.add_argument(
        "--in-process",
        dest="isolated",
        action="store_const",
        const=False,
        help="run the implementation in this process, under the watchdog",
    )
    parser.add_argument(
        "--compare-isolation",
        action="store_true",
        help="run twice, in process and isolated, and print the ratio of their speeds (a benchmark)",
    )


def outputs(args: argparse.Namespace) -> list[Output]:
    """The corpus directory (unless --no-corpus) and the --json file."""
    found = [] if args.no_corpus else [Output("--corpus-dir", args.corpus_dir, DIR)]
    if args.json:
        found.append(Output("--json", Path(args.json), FILE))
    return found


def main(args: argparse.Namespace) -> int:
    """Run the model checker; returns 1 when an invariant broke, else 0."""
    from conformance.atomic import write_atomic
    from conformance.commands.progress import watcher
    from conformance.commands.session import model_plan, verdict_counts
    from conformance.model import render, run_model
    from conformance.model.check import resolve_depth
    from conformance.targets.load import resolve_impls

    targets = resolve_impls(args.impl)
    if len(targets) != 1:
        raise UsageError("the model checker takes exactly one --impl; run it once per implementation")
    target = targets[0]
    if args.compare_isolation:
        return _compare(target, args)
    depth = resolve_depth(args.depth)
    with watcher() as phases:
        phases.begin("model", target.name, model_plan(depth), None)
        report = run_model(
            target,
            profile=args.profile,
            depth=depth,
            seed=args.seed,
            corpus_dir=None if args.no_corpus else args.corpus_dir,
            progress=phases.note,
            isolated=args.isolated,
            **({} if args.timeout is None else {"timeout": args.timeout}),
        )
        phases.end(f"{len(report.results)} invariants checked: {verdict_counts(report.results)}")
    print(
        f"model checker: {target.name} against {report.oracle}, profile {args.profile}, "
        f"{report.seconds:.1f} s"
    )
    for row in report.results:
        print(
            f"  {row.verdict.value:<6} {row.case_id:<20} {'' if row.verdict.value == 'pass' else row.message}"
        )
    for finding in report.found:
        where = f" -> {finding.path}" if finding.path else ""
        when = f"after {finding.examples_to_find} examples" if finding.examples_to_find else "in a tour"
        print(f"  found model/{finding.invariant} {when}{where}")
    print(render(report.coverage))
    if args.json:
        payload = {"results": [r.to_json() for r in report.results], "coverage": report.coverage}
        write_atomic(args.json, json.dumps(payload, indent=1) + "\n")
    if any(row.verdict.value == "harness-error" for row in report.results):
        return 3
    return 1 if report.found else 0


def _compare(target: Any, args: argparse.Namespace) -> int:
    """Run the model on ``target`` in process, then isolated, in one run; print their speed ratio."""
    from conformance.model import run_model

    seconds = {}
    verdicts = {}
    for mode, isolated in (("in process", False), ("isolated", True)):
        report = run_model(
            target, profile=args.profile, depth=args.depth, seed=args.seed, corpus_dir=None, isolated=isolated
        )
        seconds[mode] = report.seconds
        verdicts[mode] = [row.verdict.value for row in report.results]
        print(f"  {mode:<10} {report.seconds:7.1f} s  {' '.join(verdicts[mode])}")
    ratio = seconds["in process"] / seconds["isolated"]
    same = "same verdicts" if verdicts["in process"] == verdicts["isolated"] else "DIFFERENT verdicts"
    print(
        f"model {target.name}, depth {args.depth or 'ci'}: "
        f"isolated/in-process speed ratio {ratio:.2f} ({same})"
    )
    return 0
