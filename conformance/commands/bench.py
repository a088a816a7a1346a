"""``h11spec bench``: throughput of the reference against the installed h11, and their ratio.

Theory of operation: thin CLI over ``conformance.reference.bench``: parse options, import both
implementations, run the workloads interleaved, print a table (best and median messages/s per
implementation, and the median ratio reference/h11), and with ``--json`` write the same figures
atomically. Timings are never asserted anywhere: the ratio measured in one run is the result.
"""

from __future__ import annotations

import argparse
import importlib
import json
from pathlib import Path
from typing import Any

from conformance.commands.checks import FILE, Output
from conformance.errors import UsageError

HELP = "benchmark the reference against the installed h11 (throughput and ratio per workload)"

_IMPLS = {"reference": "conformance.reference", "h11": "h11"}


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a positive integer, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a positive integer, got {text!r}")
    return value


def configure(parser: argparse.ArgumentParser) -> None:
    """Add the bench command's arguments."""
    parser.add_argument(
        "--messages", type=_positive, default=10_000, help="messages per workload (default 10000)"
    )
    parser.add_argument("--repeat", type=_positive, default=5, help="repeats per implementation (default 5)")
    parser.add_argument(
        "--workload",
        action="append",
        metavar="NAME",
        help="run only this workload (repeatable): server-pipelined, server-64b, client-chunked",
    )
    parser.add_argument("--json", metavar="PATH", help="also write the figures as JSON to PATH")


def outputs(args: argparse.Namespace) -> list[Output]:
    """The --json file, if asked for."""
    return [Output("--json", Path(args.json), FILE)] if args.json else []


def main(args: argparse.Namespace) -> int:
    """Run the benchmark; returns 0."""
    from conformance.atomic import write_atomic
    from conformance.reference.bench import WORKLOADS, run_benchmarks
    from conformance.reference.bench import ratios as compute_ratios

    for name in args.workload or ():
        if name not in WORKLOADS:
            raise UsageError(f"unknown workload {name!r}; pick one of: {', '.join(WORKLOADS)}")
    impls: dict[str, Any] = {}
    for label, module in _IMPLS.items():
        try:
            impls[label] = importlib.import_module(module)
        except ImportError as exc:
            raise UsageError(
                f"cannot import {module} ({exc}); install it with: pip install 'h11spec[targets]'"
            ) from None
    results = run_benchmarks(impls, args.messages, args.repeat, args.workload)
    ratio = compute_ratios(results, "reference", "h11")
    best_ratio = compute_ratios(results, "reference", "h11", "best")
    _print_table(results, ratio, best_ratio)
    if args.json:
        doc = {
            "messages": args.messages,
            "repeat": args.repeat,
            "results": [r.to_json() for r in results],
            "ratio_reference_over_h11": ratio,
            "ratio_reference_over_h11_best": best_ratio,
        }
        write_atomic(args.json, json.dumps(doc, indent=2) + "\n")
    return 0


def _print_table(results: list[Any], ratio: dict[str, float], best_ratio: dict[str, float]) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(title="h11spec bench: messages/s; ratios reference/h11 (of medians, of bests)")
    table.add_column("workload", no_wrap=True)
    table.add_column("impl", no_wrap=True)
    table.add_column("best/s", justify="right")
    table.add_column("median/s", justify="right")
    table.add_column("ratio med", justify="right")
    table.add_column("ratio best", justify="right")
    for result in results:
        ours = result.impl == "reference"
        table.add_row(
            result.workload,
            result.impl,
            f"{result.best:,.0f}",
            f"{result.median:,.0f}",
            f"{ratio[result.workload]:.2f}x" if ours else "",
            f"{best_ratio[result.workload]:.2f}x" if ours else "",
        )
    Console().print(table)
