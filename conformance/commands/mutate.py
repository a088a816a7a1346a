"""``h11spec mutate``: the mutation score of h11spec on an installed implementation (not part of CI).

Theory of operation: the package (``--package``, default h11; or ``--source DIR``, a copy of it such as
an unpacked sdist) is listed for mutation sites (``conformance.commands.mutants``), and ``--sample``
of them are drawn with ``random.Random(--seed)``. Each mutant is a copy of the package with one change,
put first on ``PYTHONPATH`` of a ``h11spec run --impl PACKAGE --profile P --model-depth D`` subprocess
(``--timeout`` seconds each, ``--jobs`` at a time). A mutant is *killed* when the run's results differ
from the run on the unmutated copy (any case's verdict, or the model's findings), or when the run fails
or times out; it is judged by that diff and never by the exit code, because the unmutated h11 has real
findings. With ``--own-tests REL`` (a directory inside the package copy, never mutated, such as h11's
``tests``) the package's own test suite runs on each mutant too (pytest, killed when it fails), for
comparison.

Why our own mutator and not mutmut or cosmic-ray: mutmut 3 mutates the source tree of the project it
runs in and judges with that project's pytest suite through its own trampolines, not an installed
package judged by another program's results; cosmic-ray mutates in place, one mutant at a time, and
judges by a test command's exit status. Both would need a copy of the package and a wrapper command
that diffs the results anyway, which is most of this module.

Output: one line per mutant, the kill counts (h11spec, the own tests, both, only one), and each
survivor with its place and change; the same as JSON in ``--out``. The figures are from one run.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import dataclasses
import importlib.util
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from conformance.errors import UsageError

HELP = "mutation score: how many mutants of an implementation `h11spec run` kills (a diff of results)"
DEFAULT_OUT = Path("reports/mutation/mutation.json")


def configure(parser: argparse.ArgumentParser) -> None:
    """Add the arguments of ``h11spec mutate``."""
    parser.add_argument("--package", default="h11", help="the installed package to mutate (default h11)")
    parser.add_argument(
        "--source", type=Path, default=None, metavar="DIR", help="mutate this copy of the package instead"
    )
    parser.add_argument(
        "--own-tests",
        default=None,
        metavar="REL",
        help="a test directory inside the package copy (never mutated) to run on each mutant with pytest",
    )
    parser.add_argument("--sample", type=int, default=60, help="mutants drawn at random (default 60)")
    parser.add_argument("--seed", type=int, default=1, help="seed of the random sample (default 1)")
    parser.add_argument("--jobs", type=int, default=2, help="mutants run at a time (default 2)")
    parser.add_argument("--timeout", type=float, default=300.0, help="seconds per run of one mutant")
    parser.add_argument("--profile", default="h11", choices=("rfc9112", "h11"), help="grading profile")
    parser.add_argument(
        "--model-depth", default="off", choices=("off", "quick", "ci"), help="model checker depth per run"
    )
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help=f"JSON report (default {DEFAULT_OUT})")


@dataclasses.dataclass
class Outcome:
    """What one run against one mutant (or the unmutated copy) gave."""

    killed: bool
    detail: str


@dataclasses.dataclass
class MutantResult:
    """One mutant: its site, h11spec's outcome, and the own tests' (None when not run)."""

    site: Any  # conformance.commands.mutants.Site
    source_line: str
    h11spec: Outcome
    own_tests: Outcome | None

    def to_json(self) -> dict[str, Any]:
        """A JSON-able record."""
        return {
            "mutant": self.site.name,
            "change": self.site.change,
            "line": self.source_line,
            "h11spec": dataclasses.asdict(self.h11spec),
            "own_tests": None if self.own_tests is None else dataclasses.asdict(self.own_tests),
        }


def _package_dir(args: argparse.Namespace) -> Path:
    if args.source is not None:
        if not (args.source / "__init__.py").is_file():
            raise UsageError(f"--source {args.source}: not a package directory (no __init__.py)")
        return Path(args.source).resolve()
    try:
        spec = importlib.util.find_spec(args.package)
    except (ImportError, ValueError):
        spec = None
    if spec is None or not spec.submodule_search_locations:
        raise UsageError(f"--package {args.package}: no installed package of that name")
    return Path(next(iter(spec.submodule_search_locations))).resolve()


def _check_args(args: argparse.Namespace, package: Path) -> None:
    if args.sample < 1 or args.jobs < 1 or args.timeout <= 0:
        raise UsageError("--sample and --jobs must be at least 1 and --timeout positive")
    if args.own_tests is not None and not (package / args.own_tests).is_dir():
        raise UsageError(f"--own-tests {args.own_tests}: no such directory in {package}")
    if args.out.is_dir():
        raise UsageError(f"--out {args.out} is a directory: name a file")


def verdicts(results: dict[str, Any]) -> dict[str, str]:
    """The graded facts of a results.json that a mutant can change: verdict per case, model findings."""
    found = {f"{r['impl']} {r['case_id']}": str(r["verdict"]) for r in results.get("results", ())}
    for impl, findings in (results.get("model_findings") or {}).items():
        for finding in findings or ():
            key = finding.get("invariant", "?") if isinstance(finding, dict) else str(finding)
            found[f"{impl} model:{key}"] = "finding"
    return found


def difference(base: dict[str, str], mutant: dict[str, str]) -> list[str]:
    """The keys whose verdicts differ (present in one only, or graded otherwise), sorted."""
    return sorted(k for k in base.keys() | mutant.keys() if base.get(k) != mutant.get(k))


def _run_h11spec(args: argparse.Namespace, root: Path, work: Path) -> tuple[dict[str, str] | None, str]:
    """Run h11spec on the package under ``root``; (verdicts, "") or (None, why it failed)."""
    report = work / "report"
    command = [
        sys.executable,
        "-m",
        "conformance.commands.cli",
        "run",
        "--impl",
        args.package,
        "--profile",
        args.profile,
        "--model-depth",
        args.model_depth,
        "--report-dir",
        str(report),
    ]
    try:
        done = subprocess.run(
            command,
            env=_env(root),
            capture_output=True,
            text=True,
            errors="replace",
            timeout=args.timeout,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return None, f"timeout after {args.timeout:g} s"
    try:
        results = json.loads((report / "results.json").read_text())
    except (OSError, ValueError):
        last = next((line for line in reversed(done.stderr.splitlines()) if line.strip()), "no output")
        return None, f"run failed (exit {done.returncode}): {last.strip()[:200]}"
    return verdicts(results), ""


def _run_own_tests(args: argparse.Namespace, root: Path, package: str) -> Outcome:
    """Run the package's own tests on the copy under ``root``: killed when they fail."""
    config = root / "pytest.ini"
    config.write_text("[pytest]\n")  # none of h11spec's settings (-W error, markers) apply to them
    command = [sys.executable, "-m", "pytest", "-q", "-x", "-p", "no:cacheprovider", "-c", str(config)]
    command += ["--rootdir", str(root), str(root / package / args.own_tests)]
    try:
        done = subprocess.run(
            command,
            env=_env(root),
            capture_output=True,
            text=True,
            errors="replace",
            timeout=args.timeout,
            check=False,
            cwd=root,
        )
    except subprocess.TimeoutExpired:
        return Outcome(True, f"timeout after {args.timeout:g} s")
    summary = next((line for line in reversed(done.stdout.splitlines()) if line.strip()), "no output")
    return Outcome(done.returncode != 0, summary.strip()[:200])


def _env(root: Path) -> dict[str, str]:
    env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1")
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(root), os.environ.get("PYTHONPATH", "")) if p)
    return env


def _judge(args: argparse.Namespace, base: dict[str, str], root: Path, work: Path) -> Outcome:
    got, why = _run_h11spec(args, root, work)
    if got is None:
        return Outcome(True, why)
    changed = difference(base, got)
    if not changed:
        return Outcome(False, "results identical to the unmutated run")
    shown = ", ".join(f"{k} {base.get(k, '-')}->{got.get(k, '-')}" for k in changed[:3])
    return Outcome(True, f"{len(changed)} result(s) differ: {shown}")


def run_mutants(args: argparse.Namespace, say: Any = print) -> dict[str, Any]:
    """Sample, run and judge the mutants (see the module docstring); returns the JSON report."""
    from conformance.commands.mutants import copy_package, sites, write_mutant

    package = _package_dir(args)
    _check_args(args, package)
    skip = [args.own_tests] if args.own_tests else []
    every = sites(package, skip=skip)
    if not every:
        raise UsageError(f"{package}: nothing to mutate")
    chosen = random.Random(args.seed).sample(every, min(args.sample, len(every)))
    work = Path(tempfile.mkdtemp(prefix="h11spec-mutate-"))
    try:
        base_root = work / "base"
        copy_package(package, base_root)
        base, why = _run_h11spec(args, base_root, base_root)
        if base is None:
            raise UsageError(f"h11spec run on the unmutated {args.package} failed: {why}")
        if args.own_tests:
            own_base = _run_own_tests(args, base_root, package.name)
            if own_base.killed:
                raise UsageError(f"the own tests fail on the unmutated package: {own_base.detail}")
        say(f"{len(every)} mutation sites in {package}; running {len(chosen)} (seed {args.seed})")

        def one(index: int) -> MutantResult:
            site = chosen[index]
            root = work / f"m{index}"
            write_mutant(package, site, root)
            lines = (package / site.module).read_text(encoding="utf-8").splitlines()
            line = lines[site.line - 1].strip() if 0 < site.line <= len(lines) else ""
            mine = _judge(args, base, root, root)
            theirs = _run_own_tests(args, root, package.name) if args.own_tests else None
            shutil.rmtree(root, ignore_errors=True)
            return MutantResult(site, line, mine, theirs)

        done: dict[int, MutantResult] = {}
        with concurrent.futures.ThreadPoolExecutor(max_workers=args.jobs) as pool:
            futures = {pool.submit(one, i): i for i in range(len(chosen))}
            for future in concurrent.futures.as_completed(futures):
                result = done[futures[future]] = future.result()
                say(f"  [{len(done)}/{len(chosen)}] {_line(result)}")
        results = [done[i] for i in range(len(chosen))]
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return _report(args, package, len(every), results, say)


def _line(r: MutantResult) -> str:
    """One mutant: h11spec's mark, the own tests' mark, the site, the change, h11spec's detail."""
    return f"{_mark(r.h11spec):8} {_mark(r.own_tests):8} {r.site.name} {r.site.change}: {r.h11spec.detail}"


def _mark(outcome: Outcome | None) -> str:
    return "-" if outcome is None else "killed" if outcome.killed else "SURVIVED"


def _report(
    args: argparse.Namespace, package: Path, total: int, results: Sequence[MutantResult], say: Any
) -> dict[str, Any]:
    n = len(results)
    mine = sum(r.h11spec.killed for r in results)
    summary: dict[str, Any] = {"mutants": n, "sites": total, "killed_by_h11spec": mine}
    say(f"h11spec killed {mine}/{n} mutants ({mine / n:.0%}) of {args.package} (seed {args.seed})")
    if args.own_tests:
        theirs = sum(bool(r.own_tests and r.own_tests.killed) for r in results)
        both = sum(bool(r.h11spec.killed and r.own_tests and r.own_tests.killed) for r in results)
        summary.update(killed_by_own_tests=theirs, killed_by_both=both)
        summary.update(only_h11spec=mine - both, only_own_tests=theirs - both)
        say(
            f"its own tests killed {theirs}/{n} ({theirs / n:.0%}); both {both}, only h11spec {mine - both},"
            f" only the own tests {theirs - both}, neither {n - mine - theirs + both}"
        )
    survivors = [r for r in results if not r.h11spec.killed]
    if survivors:
        say("survivors of h11spec:")
    for r in survivors:
        own = "" if r.own_tests is None else f" [own tests: {_mark(r.own_tests)}]"
        say(f"  {r.site.name}: {r.site.change} in `{r.source_line}`{own}")
    return {
        "package": args.package,
        "source": str(package),
        "seed": args.seed,
        "profile": args.profile,
        "model_depth": args.model_depth,
        "summary": summary,
        "mutants": [r.to_json() for r in results],
    }


def main(args: argparse.Namespace) -> int:
    """Run the mutation score and write the JSON report; returns 0 (a measurement, not a gate)."""
    from conformance.atomic import write_atomic

    report = run_mutants(args)
    write_atomic(args.out, json.dumps(report, indent=2) + "\n")
    print(f"report: {args.out}")
    return 0
