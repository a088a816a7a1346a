"""``h11spec probe``: what each implementation offers, and what isolating it costs.

Theory of operation: ``resolve_impls`` loads and probes every ``--impl`` (a bad name is a one-line usage
error, exit 2; a module without the h11 API "needs an adapter"). Every capability the names allow is then
exercised with one tiny call (``conformance.targets.probe.exercise``) through the target's executor, so a
hang or crash there is reported, not suffered: a call the API cannot make withdraws the claim, a call that
misbehaves is flagged. The report is a capability matrix with one column per implementation (a missing
capability shows the names it lacks, a claimed one how its exercise went), then, per implementation, every
name of the h11 API: present or missing, with the signature of event constructors and Connection methods,
event fields, sentinel shape and exception bases. ``--json`` prints the same as JSON; ``--bench`` measures
the isolated executor against the in-process one on each implementation instead.
"""

from __future__ import annotations

import argparse
import json
from typing import Any

from conformance.targets.load import add_impl_argument

HELP = "show what an implementation offers: h11 names, signatures, sentinels, capabilities"


def configure(parser: argparse.ArgumentParser) -> None:
    """Add the probe command's arguments."""
    add_impl_argument(parser)
    parser.add_argument("--json", action="store_true", help="print JSON instead of tables")
    parser.add_argument(
        "--bench",
        nargs="?",
        type=int,
        const=500,
        metavar="CASES",
        help="measure isolation overhead: cases/s in process vs isolated (default 500 cases)",
    )
    parser.add_argument("--jobs", type=int, help="worker processes for --bench (default: CPU count)")


EXERCISE_TIMEOUT = 10.0  # seconds for one capability's exercise


def exercise_target(target: Any, jobs: int | None = None) -> dict[str, tuple[str, str]]:
    """Exercise every capability ``target`` claims, through its executor (isolated unless trusted).

    Returns:
        capability -> (status, detail): "ok", "cannot" (the API cannot do it: not claimed after all),
        "odd" (the call misbehaved; the checks will grade it), "crash" or "hang".
    """
    from conformance.targets.executor import Crashed, Hung
    from conformance.targets.isolation import executor_for
    from conformance.targets.probe import exercise

    claimed = sorted(target.capabilities)
    executor = executor_for(target, jobs=1 if jobs is None else jobs)
    try:
        results = executor.map(exercise, claimed, timeout=EXERCISE_TIMEOUT)
    finally:
        executor.close()
    out: dict[str, tuple[str, str]] = {}
    for capability, result in zip(claimed, results):
        if isinstance(result, Hung):
            out[capability] = ("hang", f"no answer within {result.seconds:g} s")
        elif isinstance(result, Crashed):
            out[capability] = ("crash", result.reason)
        else:
            out[capability] = result.value
    return out


def _confirmed(target: Any, exercised: dict[str, tuple[str, str]]) -> list[str]:
    return sorted(c for c in target.capabilities if exercised.get(c, ("ok", ""))[0] != "cannot")


def _target_json(target: Any, exercised: dict[str, tuple[str, str]]) -> dict[str, Any]:
    row: dict[str, Any] = {
        "name": target.name,
        "module": target.module,
        "version": target.version,
        "capabilities": _confirmed(target, exercised),
        "exercised": {c: list(v) for c, v in sorted(exercised.items())},
        "isolated_by_default": not target.trusted,
    }
    if target.probe is not None:
        row["probe"] = target.probe.to_json()
    return row


def _print_tables(targets: list[Any], exercised: dict[str, dict[str, tuple[str, str]]]) -> None:
    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table

    from conformance.targets.capabilities import ALL_CAPABILITIES
    from conformance.targets.probe import CAPABILITY_NEEDS

    console = Console()
    matrix = Table(title="capabilities", show_lines=False)
    matrix.add_column("capability")
    for target in targets:
        matrix.add_column(f"{target.name}\n{target.version}")
    ordered = [c for c in CAPABILITY_NEEDS if c in ALL_CAPABILITIES]
    for capability in ordered:
        cells = []
        for target in targets:
            if capability in target.capabilities:
                status, detail = exercised[target.name].get(capability, ("ok", ""))
                cells.append(_EXERCISE_CELL[status] + (f": {escape(detail)}" if detail else ""))
                continue
            lacking = target.probe.missing.get(capability, ()) if target.probe else ()
            shown = ", ".join(lacking[:3]) + (f" +{len(lacking) - 3} more" if len(lacking) > 3 else "")
            cells.append("[red]no[/red]: " + (shown or "not declared by adapter"))
        matrix.add_row(capability, *cells)
    console.print(matrix)

    for target in targets:
        if target.probe is not None:
            console.print(_names_table(target))
            for problem in target.probe.problems:
                console.print(f"[yellow]warning[/yellow]: {target.name}: {problem}")


# How a claimed capability's exercise went, as the matrix shows it.
_EXERCISE_CELL = {
    "ok": "[green]yes[/green]",
    "cannot": "[red]no[/red], exercising it failed",
    "odd": "[yellow]yes[/yellow], but exercising it misbehaved",
    "crash": "[yellow]yes[/yellow], but exercising it crashed",
    "hang": "[yellow]yes[/yellow], but exercising it hung",
}


def _names_table(target: Any) -> Any:
    """Every h11 name: present or missing, with its signature, fields, sentinel shape or bases."""
    from rich.table import Table

    from conformance.targets.probe import CONNECTION_MEMBERS, EVENTS, EXCEPTIONS, SENTINELS

    report = target.probe
    rows: list[tuple[str, str]] = [("Connection", report.signatures.get("Connection", ""))]
    rows += [
        (f"Connection.{m}", report.signatures.get(f"Connection.{m}", "attribute")) for m in CONNECTION_MEMBERS
    ]
    for event in EVENTS:
        fields = ", ".join(report.fields.get(event, ()))
        rows.append((event, f"{report.signatures.get(event, '')}  fields: {fields or '-'}"))
    for name in SENTINELS:
        shape = report.sentinels[name]
        rows.append((name, "sentinel, type(X) is X" if shape == "ok" else f"[yellow]{shape}[/yellow]"))
    rows += [(name, report.exceptions[name]) for name in EXCEPTIONS]
    where = "in process (trusted)" if target.trusted else "in isolated workers"
    table = Table(title=f"{target.name}: module {target.module}, version {target.version}; runs {where}")
    for column in ("name", "present", "details"):
        table.add_column(column)
    for name, detail in rows:
        ok = report.names.get(name, False)
        table.add_row(name, "[green]yes[/green]" if ok else "[red]missing[/red]", detail if ok else "")
    return table


def main(args: argparse.Namespace) -> int:
    """Probe (or benchmark) every --impl; returns 0, or raises UsageError for a bad --impl."""
    from conformance.errors import UsageError
    from conformance.targets.load import resolve_impls

    targets = resolve_impls(args.impl)
    if args.bench is not None:
        from conformance.targets.bench import bench_isolation

        if args.bench < 1 or (args.jobs is not None and args.jobs < 1):
            raise UsageError("--bench CASES and --jobs must be at least 1")
        for target in targets:
            try:
                result = bench_isolation(target, cases=args.bench, jobs=args.jobs)
            except RuntimeError as exc:
                raise UsageError(f"cannot benchmark {target.name}: {exc}") from None
            print("\n".join(result.lines()))
        return 0
    exercised = {t.name: exercise_target(t, args.jobs) for t in targets}
    if args.json:
        print(json.dumps([_target_json(t, exercised[t.name]) for t in targets], indent=2))
        return 0
    _print_tables(targets, exercised)
    return 0
