"""Fuzzing benchmarks: executions per second per target, the differential oracle's cost, time to find.

Theory of operation: two measurements, printed as figures and ratios from one run (nothing asserted).

- Throughput: every target's ``check`` runs in process (no libFuzzer, no instrumentation, so the figures
  are the harness's and the implementation's own cost) over a fixed input set: the target's seeds plus
  mutants made by ``fuzz.mutator.Mutator`` with fixed seeds. Rounds interleave the implementations and
  the best round counts. The differential oracle's cost is differential exec/s over server-parse exec/s
  on the same implementation and the *same* inputs (the server-parse set), same run; aim >= 0.5.
- Campaigns: one ``fuzz.campaign.run_campaign`` per (implementation, target), one worker, from the seeds
  on a fresh corpus, for ``--bench-seconds``: executions over the campaign's whole wall time (worker
  start-up, instrumentation, the custom mutator and findings included; a finding no longer stops the
  worker), over the in-process rate of the same target and implementation (aim >= 0.8), and over the
  in-process rate of the same check on the corpus the campaign ended with (its inputs grow to 64 KiB, the
  fixed input set's mostly do not, so the first ratio mixes the cost of fuzzing with the cost of bigger
  inputs; the second compares like with like, and what is left is atheris's instrumentation, the custom
  mutator and start-up); and the campaign's wall time over its budget (``--time`` is honoured when this
  is within 1.00 to 1.05).
- Time to find: for each planted fault named with ``--planted MODULE`` (a module exposing the h11 API
  with one bug, and ``FUZZ_TARGET``, the target that must find it; the repository's are in
  ``tests/faults/fuzz`` and the tox ``bench`` env names them all), ``python -m fuzz.entry --target T
  --impl MODULE`` from the seeds alone (an empty work corpus), one process on one core,
  ``-seed=1..N``: the wall time until libFuzzer stops at the finding, median of N (aim < 60 s).
"""

from __future__ import annotations

import contextlib
import importlib
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from fuzz.corpus import SEEDS_DIR

MUTANTS = 300  # mutants per target on top of the seeds
ROUNDS = 3


def input_set(target: str, count: int = MUTANTS) -> list[bytes]:
    """The target's seeds plus ``count`` deterministic mutants of them."""
    from fuzz.entry import DEFAULT_FLAGS
    from fuzz.mutator import Mutator

    seeds = sorted(p.read_bytes() for p in (SEEDS_DIR / target).iterdir() if p.is_file())
    if not seeds:
        return []
    mutate = Mutator(fallback=None)
    max_len = int(DEFAULT_FLAGS["-max_len"])  # what a campaign's inputs may grow to
    mutants = [mutate(seeds[i % len(seeds)], max_len, i) for i in range(count)]
    return seeds + mutants


def _time_inputs(check: Any, api: Any, inputs: Sequence[bytes]) -> float:
    """Seconds to run ``check`` over ``inputs`` (oracle violations and information count as runs, as in
    libFuzzer)."""
    from fuzz.oracle import OracleInfo, OracleViolation

    started = time.perf_counter()
    for data in inputs:
        with contextlib.suppress(OracleViolation, OracleInfo):
            check(api, data)
    return time.perf_counter() - started


def throughput(
    impls: Sequence[str], targets: Sequence[str], rounds: int = ROUNDS
) -> dict[str, dict[str, float]]:
    """exec/s per (impl, target), plus "differential/server-parse" per impl (same inputs, same run).

    Returns:
        {impl: {target: exec/s, ..., "differential@server-parse": exec/s, "ratio": fraction}}.
    """
    from conformance.targets.load import load_target
    from fuzz.targets import TARGETS

    apis = {impl: load_target(impl).api for impl in impls}
    sets = {target: input_set(target) for target in targets}
    if "server-parse" in sets or "differential" in targets:
        sets.setdefault("server-parse", input_set("server-parse"))
    jobs = [(t, t) for t in targets] + [("differential@server-parse", "server-parse")]
    best: dict[str, dict[str, float]] = {impl: {} for impl in impls}
    for _ in range(rounds):
        for label, inputs_of in jobs:
            name = label.split("@")[0]
            inputs = sets[inputs_of]
            for impl in impls:
                seconds = _time_inputs(TARGETS[name].check, apis[impl], inputs)
                rate = len(inputs) / seconds if seconds else 0.0
                best[impl][label] = max(best[impl].get(label, 0.0), rate)
    for impl in impls:
        base = best[impl].get("server-parse")
        if base:
            best[impl]["ratio"] = best[impl]["differential@server-parse"] / base
    return best


def set_oracle_ratio(impl: str = "h11", rounds: int = ROUNDS) -> float:
    """Differential exec/s with the set oracle (every allowed choice) over the single-outcome oracle,
    on the same inputs in one run (best round of each)."""
    from conformance.targets.load import load_target
    from fuzz.checks import check_differential, single_outcome_differential

    api = load_target(impl).api
    inputs = input_set("differential")
    best = {"set": 0.0, "single": 0.0}
    for _ in range(rounds):
        for label, check in (("single", single_outcome_differential), ("set", check_differential)):
            seconds = _time_inputs(check, api, inputs)
            best[label] = max(best[label], len(inputs) / seconds if seconds else 0.0)
    return best["set"] / best["single"] if best["single"] else 0.0


def campaign_rate(impl: str, target: str, *, seconds: float, work: Path) -> dict[str, float]:
    """One single-worker campaign from the seeds: its exec/s over its wall time, the in-process exec/s of
    the same check on the corpus it ended with (uninstrumented, no mutator), and wall time / budget."""
    from fuzz.campaign import run_campaign

    place = work / f"campaign-{target}"
    shutil.rmtree(place, ignore_errors=True)
    result = run_campaign(
        target,
        impl,
        seconds=seconds,
        jobs=1,
        corpus_dir=place / "corpus",
        artifacts_dir=place / "artifacts",
        regressions_dir=place / "regressions",
        report_dir=None,
        minimize=False,
        extra_args=("-seed=1",),
        log=lambda line: None,
    )
    from conformance.targets.load import load_target
    from fuzz.targets import TARGETS

    own = [p.read_bytes() for p in sorted((place / "corpus").iterdir()) if p.is_file()]
    api, check = load_target(impl).api, TARGETS[target].check
    best = max(len(own) / max(_time_inputs(check, api, own), 1e-9) for _ in range(ROUNDS)) if own else 0.0
    return {
        "exec/s": result.exec_per_s,
        "own-corpus in-process exec/s": best,
        "wall/budget": result.seconds / seconds,
        "findings": float(len(result.artifacts)),
        "capped": float(len(result.notes)),
    }


def time_to_find(impl: str, target: str, *, seed: int, limit: float, work: Path) -> tuple[float | None, str]:
    """Wall seconds until one libFuzzer process on ``target`` stops at a finding (None: not within limit).

    Returns:
        (seconds or None, the artifact's name or why nothing was found).
    """
    corpus = work / f"corpus-{seed}"
    artifacts = work / f"artifacts-{seed}"
    for d in (corpus, artifacts):
        shutil.rmtree(d, ignore_errors=True)
        d.mkdir(parents=True)
    command = [
        sys.executable,
        "-m",
        "fuzz.entry",
        "--target",
        target,
        "--impl",
        impl,
        str(corpus),
        str(SEEDS_DIR / target),
        f"-seed={seed}",
        f"-max_total_time={max(1, round(limit))}",
        f"-artifact_prefix={artifacts}{os.sep}",
    ]
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([os.getcwd(), os.environ.get("PYTHONPATH", "")]))
    started = time.monotonic()
    try:
        subprocess.run(
            command,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            env=env,
            timeout=limit + 30,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return None, "did not stop"
    elapsed = time.monotonic() - started
    found = sorted(p.name for p in artifacts.iterdir())
    if not found:
        return None, f"nothing within {limit:.0f} s"
    return elapsed, found[0]


def planted_target(module: str) -> str:
    """The fuzz target a planted-fault module says must find its bug (its ``FUZZ_TARGET``).

    Raises:
        UsageError: the module does not import, or names no target.
    """
    from conformance.errors import UsageError

    try:
        found = getattr(importlib.import_module(module), "FUZZ_TARGET", None)
    except ImportError as exc:
        raise UsageError(
            f"--planted {module}: cannot import it ({exc}); run from the repository root"
        ) from exc
    if not isinstance(found, str):
        raise UsageError(f"--planted {module}: the module has no FUZZ_TARGET naming the target that finds it")
    return found


def measure_bench(
    impls: Sequence[str],
    targets: Sequence[str],
    *,
    ttf_runs: int = 5,
    ttf_limit: float = 120.0,
    libfuzzer_seconds: float = 8.0,
    planted: Sequence[str] = (),
    progress: Callable[[str], None] = lambda _line: None,
) -> dict[str, Any]:
    """Measure every figure (see the module docstring); ``progress`` hears which one is under way.

    Returns:
        The report: "throughput", "set_oracle", "campaign" (when ``libfuzzer_seconds`` > 0) and
        "time_to_find" (one entry per planted fault), as ``render_bench`` and ``--json`` show it.
    """
    impls = list(dict.fromkeys([*impls, "reference", "h11"]))
    if planted and os.getcwd() not in sys.path:
        sys.path.insert(0, os.getcwd())  # planted faults are named as modules of the checkout
    quarry = [(module, planted_target(module)) for module in planted]
    progress("in-process throughput")
    rates = throughput(impls, targets)
    report: dict[str, Any] = {"throughput": rates, "time_to_find": {}, "targets": list(targets)}
    if "differential" in targets:
        progress("the set oracle's cost on h11")
        report["set_oracle"] = {"h11": set_oracle_ratio("h11")}
    work = Path(tempfile.mkdtemp(prefix="h11spec-ttf-"))
    try:
        if libfuzzer_seconds > 0:
            live: dict[str, dict[str, dict[str, float]]] = {}
            for impl in impls:
                live[impl] = {}
                for t in targets:
                    progress(f"campaign: {impl} {t} ({libfuzzer_seconds:g} s)")
                    row = campaign_rate(impl, t, seconds=libfuzzer_seconds, work=work)
                    row["campaign/in-process"] = row["exec/s"] / rates[impl][t] if rates[impl].get(t) else 0.0
                    own = row["own-corpus in-process exec/s"]
                    row["campaign/own-corpus"] = row["exec/s"] / own if own else 0.0
                    live[impl][t] = row
            report["campaign"] = live
            report["campaign_seconds"] = libfuzzer_seconds
        for module, target in quarry if ttf_runs > 0 else ():
            times, found_as = [], []
            for seed in range(1, ttf_runs + 1):
                progress(f"time to find {module} ({target}, -seed={seed})")
                seconds, what = time_to_find(module, target, seed=seed, limit=ttf_limit, work=work)
                times.append(seconds)
                found_as.append(what)
            median = statistics.median([t if t is not None else float("inf") for t in times])
            report["time_to_find"][module] = {
                "target": target,
                "runs": times,
                "median": median,
                "artifacts": found_as,
            }
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return report


def render_bench(report: Mapping[str, Any]) -> list[str]:
    """The figures of ``measure_bench``'s report, as the lines ``h11spec fuzz --bench`` prints."""
    targets = report["targets"]
    lines = [f"executions per second, in process (best of {ROUNDS} rounds):"]
    for impl, row in report["throughput"].items():
        cells = ", ".join(f"{t} {row[t]:,.0f}/s" for t in targets if t in row)
        lines.append(f"  {impl}: {cells}")
        if "ratio" in row:
            lines.append(
                f"  {impl}: differential / server-parse, same inputs = {row['ratio']:.2f} (aim >= 0.5)"
            )
    for impl, ratio in report.get("set_oracle", {}).items():
        lines.append(
            f"  {impl}: differential with the set oracle / single-outcome oracle = {ratio:.2f} (aim >= 0.8)"
        )
    if "campaign" in report:
        lines.append(f"campaigns (one worker, {report['campaign_seconds']:g} s budget each, wall time):")
        for impl, rows in report["campaign"].items():
            for t, row in rows.items():
                lines.append(
                    f"  {impl} {t}: {row['exec/s']:,.0f}/s, campaign / in-process ="
                    f" {row['campaign/in-process']:.2f} (aim >= 0.8), over the in-process rate on"
                    f" the campaign's own corpus = {row['campaign/own-corpus']:.2f}, wall / budget ="
                    f" {row['wall/budget']:.3f}, {row['findings']:.0f} finding(s) saved"
                    + (", CAPPED" if row["capped"] else "")
                )
    for module, entry in report["time_to_find"].items():
        name = module.rsplit(".", 1)[-1]
        times = entry["runs"]
        shown = ", ".join("not found" if s is None else f"{s:.1f} s" for s in times)
        found = sum(1 for s in times if s is not None)
        lines.append(
            f"time to find {name} ({entry['target']}): median {entry['median']:.1f} s over {len(times)} runs,"
            f" {found} found (aim < 60 s): {shown}"
        )
    return lines


def run_bench(
    impls: Sequence[str],
    targets: Sequence[str],
    *,
    ttf_runs: int = 5,
    ttf_limit: float = 120.0,
    libfuzzer_seconds: float = 8.0,
    as_json: bool = False,
    planted: Sequence[str] = (),
) -> int:
    """Measure, then print the figures (or the report as JSON); returns 0."""
    report = measure_bench(
        impls,
        targets,
        ttf_runs=ttf_runs,
        ttf_limit=ttf_limit,
        libfuzzer_seconds=libfuzzer_seconds,
        planted=planted,
        progress=lambda line: print(f"measuring {line} ...", file=sys.stderr, flush=True),
    )
    print(json.dumps(report, indent=2) if as_json else "\n".join(render_bench(report)))
    return 0
