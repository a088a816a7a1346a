"""``h11spec corpus``: replay, minimize, export and import the fuzz and model corpora.

Theory of operation: four sub-subcommands over the corpus layout of ``corpus/README.md``.

- ``replay`` runs every regression entry and seed through its fuzz target (``fuzz.targets.run_one``) on
  each ``--impl``, in the target's executor (isolated for untrusted implementations, so a hang is a
  verdict), and requires the implementation to agree with the reference's outcome: the oracle holds.
  Model-checker findings are replayed through ``conformance.model.replay.replay_model_corpus`` when that
  module exists. It prints a table and exits 1 on any disagreement.
- ``minimize`` shrinks a campaign's working corpus (``corpus/work/<target>``) with libFuzzer's
  ``-merge=1`` into a fresh directory, then swaps it in (rename the old one aside, rename the new one in,
  delete the old; a run killed in between is repaired by the next one).
- ``export`` writes, per finding, a Markdown bug report, a standalone reproducer and the input in
  libFuzzer's format (``fuzz.export``).
- ``import`` takes a directory of inputs from elsewhere (a ClusterFuzzLite or OSS-Fuzz corpus or crash
  download): the inputs that break the oracle are triaged into ``corpus/regressions``, the rest join the
  working corpus so the next local campaign starts from them.

Damaged corpus files are named in one line each and skipped; they never stop a command.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from conformance.commands.checks import DIR, Output
from conformance.errors import UsageError
from conformance.targets.load import add_impl_argument

HELP = "replay, minimize, export or import the fuzz regression corpus"
DEFAULT_DIR = Path("corpus")
MERGE_SECONDS = 120


def configure(parser: argparse.ArgumentParser) -> None:
    """Add the corpus command's sub-subcommands and their arguments."""
    sub = parser.add_subparsers(dest="action", metavar="ACTION", required=True)

    replay = sub.add_parser("replay", help="replay regressions and seeds; exit 1 on a disagreement")
    add_impl_argument(replay)
    replay.add_argument("--dir", type=Path, default=DEFAULT_DIR, help="corpus root (default: corpus)")
    replay.add_argument("--target", action="append", help="only this fuzz target (repeatable)")
    replay.add_argument("--timeout", type=float, default=3.0, help="seconds per input before it is a hang")
    replay.add_argument("--quiet", action="store_true", help="list only disagreements, not every entry")

    minimize = sub.add_parser("minimize", help="shrink the working corpus with libFuzzer -merge=1")
    minimize.add_argument("--target", action="append", help="only this fuzz target (repeatable)")
    minimize.add_argument("--dir", type=Path, default=DEFAULT_DIR, help="corpus root (default: corpus)")
    minimize.add_argument(
        "--impl", default="reference", help="implementation the fuzzer runs (default: reference)"
    )
    minimize.add_argument("--seconds", type=int, default=MERGE_SECONDS, help="time limit per target")

    export = sub.add_parser("export", help="bug reports, reproducers and libFuzzer inputs for each finding")
    export.add_argument("--impl", help="only findings on this implementation (default: all)")
    export.add_argument("--out", type=Path, default=Path("reports/export"), help="output directory")
    export.add_argument("--dir", type=Path, default=DEFAULT_DIR, help="corpus root (default: corpus)")

    imp = sub.add_parser("import", help="triage a downloaded corpus or crash directory into corpus/")
    imp.add_argument("source", type=Path, metavar="DIR", help="directory of inputs (one per file)")
    imp.add_argument(
        "--target",
        help="the fuzz target the inputs belong to; also its fuzzer name (h11spec_server_parse); "
        "default: from DIR's name when it is a fuzzer name",
    )
    imp.add_argument("--impl", default="reference", help="implementation to triage on (default: reference)")
    imp.add_argument("--dir", type=Path, default=DEFAULT_DIR, help="corpus root (default: corpus)")
    imp.add_argument("--no-minimize", action="store_true", help="store findings as they are")
    imp.add_argument("--timeout", type=float, default=3.0, help="seconds per input before it is a hang")
    imp.add_argument(
        "--report-dir", type=Path, default=Path("reports/fuzz"), help="where the triage summary goes"
    )


def _warn(line: str) -> None:
    print(f"h11spec corpus: {line}", file=sys.stderr)


def _known_targets(names: list[str] | None) -> list[str]:
    from fuzz.targets import TARGETS

    if not names:
        return sorted(TARGETS)
    unknown = [n for n in names if n not in TARGETS]
    if unknown:
        raise UsageError(f"unknown fuzz target {unknown[0]!r}; choose from {', '.join(sorted(TARGETS))}")
    return names


def outputs(args: argparse.Namespace) -> list[Output]:
    """What each action writes: minimize and import the corpus root, export --out, import --report-dir."""
    found: dict[str, list[tuple[str, str]]] = {
        "replay": [],
        "minimize": [("--dir", "dir")],
        "export": [("--out", "out")],
        "import": [("--dir", "dir"), ("--report-dir", "report_dir")],
    }
    return [Output(option, getattr(args, attr), DIR) for option, attr in found.get(args.action, [])]


def main(args: argparse.Namespace) -> int:
    """Run the chosen action; returns the exit status."""
    actions = {"replay": _replay, "minimize": _minimize, "export": _export, "import": _import}
    return actions[args.action](args)


# ------------------------------------------------------------------------------------------------
# replay


HARNESS_MARK = "harness error"  # how a replay row whose failure is the harness's own begins


def replay_entries(target: Any, entries: list[Any], *, timeout: float) -> list[tuple[Any, bool, str]]:
    """Replay corpus entries on one implementation.

    Returns:
        (entry, agrees, one-line message) per entry, in order.
    """
    from conformance.targets.executor import Crashed, Hung, Ok
    from conformance.targets.isolation import executor_for
    from fuzz.targets import run_one, skip_reason

    skipped = {e.target: skip_reason(target, e.target) for e in entries}
    runnable = [e for e in entries if not skipped[e.target]]
    with executor_for(target) as executor:
        results = executor.map(run_one, [(e.target, e.data) for e in runnable], timeout=timeout)
    by_entry = {id(e): r for e, r in zip(runnable, results)}
    rows: list[tuple[Any, bool, str]] = []
    for entry in entries:
        result = by_entry.get(id(entry))
        info = result.value if isinstance(result, Ok) else None
        if result is None:
            rows.append((entry, True, f"skipped: {skipped[entry.target]}"))
        elif isinstance(result, Crashed) and result.harness:
            rows.append((entry, False, f"{HARNESS_MARK}: {result.reason}"[:300]))
        elif isinstance(result, Ok) and info is None:
            rows.append((entry, True, "oracle holds, as on the reference"))
        elif info is not None:
            rows.append((entry, False, f"{info.exc_type} at {info.frame}: {info.message}"[:300]))
        elif isinstance(result, Hung):
            rows.append((entry, False, f"hang: no result within {result.seconds:g} s"))
        else:
            assert isinstance(result, Crashed)
            rows.append((entry, False, f"worker crashed: {result.reason}"[:300]))
    return rows


def _model_rows(directory: Path, target: Any) -> list[tuple[str, bool, str]]:
    import importlib

    if not directory.is_dir():
        return []
    try:
        module = importlib.import_module("conformance.model.replay")
    except ImportError:
        _warn(f"model findings in {directory} not replayed: conformance.model.replay is not available")
        return []
    rows: list[tuple[str, bool, str]] = module.replay_model_corpus(directory, target)
    return rows


def _replay(args: argparse.Namespace) -> int:
    from rich.console import Console
    from rich.table import Table

    from conformance.targets.load import resolve_impls
    from fuzz.corpus import MODEL, load_corpus

    if not args.dir.is_dir():
        raise UsageError(f"no corpus directory {str(args.dir)!r}; pass --dir pointing at the corpus root")
    names = _known_targets(args.target)
    impls = resolve_impls(args.impl)
    loaded = load_corpus(args.dir, names)
    for problem in loaded.problems:
        _warn(f"skipped {problem}")
    console = Console(highlight=False)
    failures = harness = 0
    for impl in impls:
        rows = replay_entries(impl, loaded.entries, timeout=args.timeout)
        model = _model_rows(args.dir / MODEL, impl)
        table = Table(title=f"corpus replay on {impl.name} {impl.version}")
        for column in ("result", "kind", "target", "entry", "detail"):
            table.add_column(column, overflow="fold")
        counts = {"seed": [0, 0], "regression": [0, 0], "model": [0, 0]}
        for entry, agrees, message in rows:
            counts[entry.kind][0 if agrees else 1] += 1
            if not agrees or (entry.kind == "regression" and not args.quiet):
                table.add_row("ok" if agrees else "FAIL", entry.kind, entry.target, entry.path.name, message)
        for path, agrees, message in model:
            counts["model"][0 if agrees else 1] += 1
            if not agrees or not args.quiet:
                table.add_row("ok" if agrees else "FAIL", "model", "-", Path(path).name, message)
        console.print(table)
        labels = {"seed": "seeds", "regression": "regressions", "model": "model findings"}
        summary = ", ".join(f"{labels[kind]} {ok} ok / {bad} failed" for kind, (ok, bad) in counts.items())
        console.print(f"{impl.name}: {summary}; {len(loaded.problems)} damaged files skipped", soft_wrap=True)
        failures += sum(bad for _, bad in counts.values())
        harness += sum(1 for *_, message in [*rows, *model] if message.startswith(HARNESS_MARK))
    if harness:
        return 3  # the harness's own code failed: no verdict on the implementation (README, exit status)
    return 1 if failures else 0


# ------------------------------------------------------------------------------------------------
# minimize


def _restore_interrupted_swap(work: Path) -> None:
    """Finish or undo a swap that a killed run left half-done (see the module docstring)."""
    for backup in work.parent.glob(f".{work.name}.old-*"):
        if work.is_dir():
            shutil.rmtree(backup, ignore_errors=True)
        else:
            os.replace(backup, work)


def merge_corpus(work: Path, target: str, impl: str, *, seconds: int = MERGE_SECONDS) -> tuple[int, int]:
    """Shrink ``work`` with libFuzzer ``-merge=1`` and swap the result in.

    Returns:
        (files before, files after).
    Raises:
        UsageError: libFuzzer failed (its last output line is in the message); ``work`` is left as it was.
    """
    from fuzz.corpus import readable_inputs
    from fuzz.triage import fuzzer_launcher

    _restore_interrupted_swap(work)
    good, problems = readable_inputs(work)
    for problem in problems:
        _warn(f"skipped {problem}")
    before = len(good)
    with tempfile.TemporaryDirectory(prefix="h11spec-merge-") as tmp:
        launcher = fuzzer_launcher(Path(tmp), target, impl)
        source = Path(tmp) / "in"
        source.mkdir()
        for path in good:  # only readable files reach libFuzzer; hard links cost nothing
            try:
                os.link(path, source / path.name)
            except OSError:
                shutil.copyfile(path, source / path.name)
        fresh = Path(tempfile.mkdtemp(prefix=f".{work.name}.new-", dir=work.parent))
        command = [
            str(launcher),
            "-merge=1",
            "-timeout=5",
            f"-max_total_time={seconds}",
            str(fresh),
            str(source),
        ]
        try:
            proc = subprocess.run(
                command, stdin=subprocess.DEVNULL, capture_output=True, timeout=seconds + 60, check=False
            )
        except subprocess.TimeoutExpired:
            shutil.rmtree(fresh, ignore_errors=True)
            raise UsageError(f"libFuzzer merge of {work} took over {seconds + 60} s; try --seconds") from None
        after = len(list(fresh.iterdir()))
        if proc.returncode != 0 or (before and not after):
            shutil.rmtree(fresh, ignore_errors=True)
            tail = proc.stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or ["no output"]
            raise UsageError(f"libFuzzer merge of {work} failed ({tail[0][:200]}); the corpus is unchanged")
    backup = work.parent / f".{work.name}.old-{os.getpid()}"
    os.replace(work, backup)
    os.replace(fresh, work)
    shutil.rmtree(backup, ignore_errors=True)
    return before, after


def _minimize(args: argparse.Namespace) -> int:
    from conformance.targets.load import load_target
    from fuzz.corpus import WORK

    load_target(args.impl)  # a bad --impl is a usage error before any work
    for target in _known_targets(args.target):
        work = args.dir / WORK / target
        if not work.is_dir() or not any(work.iterdir()):
            print(f"{target}: no working corpus in {work}; run `h11spec fuzz --target {target}` first")
            continue
        before, after = merge_corpus(work, target, args.impl, seconds=args.seconds)
        print(f"{target}: {before} -> {after} inputs ({work})")
    return 0


# ------------------------------------------------------------------------------------------------
# export


def _export(args: argparse.Namespace) -> int:
    from fuzz.export import export_findings

    if not args.dir.is_dir():
        raise UsageError(f"no corpus directory {str(args.dir)!r}; pass --dir pointing at the corpus root")
    done = export_findings(args.dir, args.out, impl=args.impl, log=_warn)
    for item in done:
        where = (
            ""
            if item.recorded_on in ("implementation", "")
            else f" (scenario recorded on the {item.recorded_on})"
        )
        print(f"{item.directory}: report.md, reproduce.py, {item.entry.name}{where}")
    print(f"{len(done)} fuzz findings exported to {args.out} (model findings are listed as they are written)")
    return 0


# ------------------------------------------------------------------------------------------------
# import


def _target_from_fuzzer(name: str) -> str:
    """``h11spec_server_parse`` (a ClusterFuzzLite fuzzer or corpus directory name) -> ``server-parse``."""
    if name.startswith("h11spec_"):
        return name[len("h11spec_") :].replace("_", "-")
    return name


def _import(args: argparse.Namespace) -> int:
    from conformance.atomic import write_atomic
    from conformance.targets.load import load_target
    from fuzz.corpus import REGRESSIONS, WORK, entry_name
    from fuzz.summary import write_summary
    from fuzz.triage import replay_files, triage_replays

    if not args.source.is_dir():
        raise UsageError(f"{str(args.source)!r} is not a directory; download and unpack the corpus first")
    target_name = _known_targets([_target_from_fuzzer(args.target or args.source.resolve().name)])[0]
    impl = load_target(args.impl)
    paths = sorted(p for p in args.source.rglob("*") if p.is_file() and not p.name.startswith("."))
    replays, problems = replay_files(target_name, impl, paths, timeout=args.timeout)
    for problem in problems:
        _warn(f"skipped {problem}")
    findings = triage_replays(
        [r for r in replays if r.signature is not None],
        target_name,
        impl,
        regressions_dir=args.dir / REGRESSIONS,
        minimize=not args.no_minimize,
        timeout=args.timeout,
    )
    write_summary(args.report_dir, target_name, impl.spec, findings, [])
    work = args.dir / WORK / target_name
    added = 0
    for replay in replays:
        if replay.signature is None:
            path = work / entry_name(replay.data)
            if not path.exists():
                write_atomic(path, replay.data)
                added += 1
    for finding in findings:
        state = "new entry" if finding.new else "already known"
        print(
            f"{finding.outcome}: {finding.signature[1]} at {finding.signature[2] or '-'} x{finding.count}: "
            f"{state} {finding.entry}"
        )
    print(
        f"{len(paths)} files: {sum(f.count for f in findings)} findings in {len(findings)} signatures, "
        f"{added} new inputs added to {work}, {len(problems)} unreadable"
    )
    return 0
