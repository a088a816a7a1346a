"""Triage: from libFuzzer artifacts to de-duplicated, minimized regression entries and a summary.

Theory of operation: a campaign leaves ``crash-*``, ``timeout-*``, ``oom-*`` and ``leak-*`` files. Each is
replayed through ``fuzz.targets.run_one`` on the implementation in an *isolated* executor (worker processes
with a timeout), because a timeout artifact hangs and a crash may kill the process. The result gives the
finding's *signature*, (oracle, exception type, innermost frame of the implementation): ``FindingInfo``'s
own for oracle violations and exceptions, ``(oracle, "Hung", "")`` for a call that did not return and
``(oracle, "WorkerDied", reason)`` for a worker that died. Artifacts that no longer reproduce are counted
and kept where they are. An artifact that replays as information (``fuzz.oracle.OracleInfo``: the
implementation mixed the alternatives of a choice point) is neither a finding nor unreproduced: it is
said once and left out (the campaign's recorder never writes one; only an old or foreign artifact can).

Findings are grouped by signature; a signature already present in ``regressions/<target>/`` for the same
implementation is folded into that entry (nothing new is written). The smallest artifact of each new
signature (the first, if tied) is minimized with libFuzzer's ``-minimize_crash=1`` through ``fuzz.entry``
(at most ``MINIMIZE_SECONDS`` each and ``MINIMIZE_BUDGET`` per triage; hangs are not minimized, and a
minimized input is kept only if it still gives the same signature), then
written with its metadata (``fuzz.corpus.write_regression``), including the reference's outcome on the
same input: whether the reference holds the oracle, and what the reference does with the HTTP bytes the
target fed (recorded by ``fuzz.export.record_runs``).

The summary (``summary.json`` and ``summary.md`` in ``report_dir``) has one row per (target,
implementation, signature); rows of other targets or implementations already in the file are kept, so a
campaign over every target accumulates one table. Everything is written with ``write_atomic``.
"""

from __future__ import annotations

import concurrent.futures
import contextlib
import dataclasses
import datetime
import os
import signal
import stat
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from conformance.targets.executor import Crashed, Hung, Ok
from conformance.targets.isolation import executor_for
from conformance.targets.load import Target, load_target
from fuzz.summary import Signature, TriagedFinding, write_summary

ARTIFACT_PREFIXES = ("crash-", "timeout-", "oom-", "leak-", "slow-unit-")
DEFAULT_TIMEOUT = 3.0  # seconds one replay may take before it is a hang (inputs take milliseconds)
MINIMIZE_SECONDS = 20  # libFuzzer's budget for minimizing one input
MINIMIZE_BUDGET = 60.0  # seconds of minimization per triage call; later signatures are stored as found
MINIMIZE_MIN_SECONDS = 3  # less than this left: not worth starting libFuzzer
MINIMIZE_RUNS = 2000


@dataclasses.dataclass(frozen=True)
class Replayed:
    """What one input did on the implementation: no finding (signature None), or a finding."""

    path: Path
    data: bytes
    signature: Signature | None
    # "pass", "info" (information, no finding), "violation", "crash", "hang", "died" or "harness" (our
    # code failed: no finding)
    outcome: str
    message: str


def _target_oracle(target: str) -> str:
    from fuzz.targets import TARGETS

    return str(TARGETS[target].oracle)


def classify(target: str, path: Path, data: bytes, result: Any) -> Replayed:
    """Turn an executor result of ``run_one`` into a ``Replayed`` (a hang's frame is located later)."""
    if isinstance(result, Ok):
        info = result.value
        if info is None:
            return Replayed(path, data, None, "pass", "")
        if info.is_info:
            return Replayed(path, data, None, "info", str(info.message))
        signature = tuple(str(part) for part in info.signature)
        outcome = "violation" if info.exc_type == "OracleViolation" else "crash"
        return Replayed(path, data, (signature[0], signature[1], signature[2]), outcome, str(info.message))
    if isinstance(result, Hung):
        message = f"no result within {result.seconds:g} s"
        return Replayed(path, data, (_target_oracle(target), "Hung", ""), "hang", message)
    assert isinstance(result, Crashed)
    if result.harness:  # the harness's own code failed: never a finding, never stored
        return Replayed(path, data, None, "harness", result.reason)
    reason = result.reason.split(" (", 1)[0][:120]
    return Replayed(path, data, (_target_oracle(target), "WorkerDied", reason), "died", result.reason)


HANG_SAMPLE_SECONDS = 1.0


def locate_hang(impl: str, target: str, data: bytes, *, seconds: float = HANG_SAMPLE_SECONDS) -> str:
    """Where the implementation loops on ``data``: "module:function" of its innermost frame, or "".

    Runs the input in a fresh interpreter whose watcher thread samples the main thread's stack after
    ``seconds`` (``_hang_probe_main``), so distinct hangs get distinct signatures.
    """
    code = "from fuzz.triage import _hang_probe_main; _hang_probe_main()"
    try:
        proc = subprocess.run(
            [sys.executable, "-c", code, impl, target, str(seconds)],
            input=data,
            capture_output=True,
            timeout=seconds + 60,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return ""
    lines = proc.stdout.decode("utf-8", "replace").split()
    return lines[-1] if lines and ":" in lines[-1] else ""


def _hang_probe_main() -> None:  # pragma: no cover - runs in the child of locate_hang
    """Child side of ``locate_hang``: run one input, print the stack's frame if it is still running."""
    import threading

    from fuzz.signatures import api_package, pick_frame, stack_frames
    from fuzz.targets import run_one

    impl, target, seconds = sys.argv[1], sys.argv[2], float(sys.argv[3])
    data = sys.stdin.buffer.read()
    loaded = load_target(impl, preflight=False)  # this child is the isolation
    package = api_package(loaded.api)
    main_id = threading.main_thread().ident

    def watch() -> None:
        time.sleep(seconds)
        frame = sys._current_frames().get(main_id or 0)
        print(pick_frame(stack_frames(frame), package), flush=True)
        os._exit(0)

    threading.Thread(target=watch, daemon=True).start()
    run_one(loaded.api, (target, data))
    os._exit(0)  # it returned: not a hang this time, nothing to print


def replay_files(
    target: str, impl: Target, paths: Sequence[Path], *, timeout: float = DEFAULT_TIMEOUT
) -> tuple[list[Replayed], list[str]]:
    """Replay each file through ``run_one`` in an isolated executor.

    Returns:
        The replays (in order) and one-line problems for files that could not be read.
    """
    from conformance.errors import CorpusError
    from fuzz.corpus import read_input

    problems: list[str] = []
    readable: list[tuple[Path, bytes]] = []
    for path in paths:
        try:
            readable.append((path, read_input(path)))
        except CorpusError as exc:
            problems.append(str(exc))
    if not readable:
        return [], problems
    replays, _ = replay_files_data(target, impl, readable, timeout=timeout)
    return replays, problems


# ------------------------------------------------------------------------------------------------
# Minimization through libFuzzer


def fuzzer_launcher(directory: Path, target: str, impl: str) -> Path:
    """Write an executable fuzzer for ``target`` on ``impl``: a script that calls ``fuzz.entry``'s main.

    libFuzzer re-executes its own ``argv[0]`` for ``-minimize_crash`` and ``-merge``, so the fuzzer must be
    one executable file that needs no arguments of ours; this is that file (the same shape as the
    ClusterFuzzLite wrappers): the target and implementation are fixed through ``fuzz.entry``'s
    environment defaults, and the current directory is put on ``sys.path`` for ``--impl`` modules.
    """
    path = directory / f"h11spec-{target}"
    path.write_text(
        f"#!{sys.executable}\n"
        "import os\nimport sys\n\n"
        f"sys.path.insert(0, {os.getcwd()!r})\n"
        f'os.environ["H11SPEC_FUZZ_TARGET"] = {target!r}\n'
        f'os.environ["H11SPEC_IMPL"] = {impl!r}\n'
        "from fuzz.entry import main\n\n"
        "main()\n"
    )
    path.chmod(path.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
    return path


def minimize_input(
    target: str, impl: str, artifact: Path, *, seconds: int = MINIMIZE_SECONDS, runs: int = MINIMIZE_RUNS
) -> bytes | None:
    """Shrink ``artifact`` with libFuzzer's ``-minimize_crash=1``, bounded by ``seconds`` in all.

    libFuzzer minimizes in steps, each a fresh process that writes a smaller crashing input to the
    output path when it finds one; when the budget runs out the whole process group is killed and the
    last step's output (a crashing input, or nothing) is kept.

    Returns:
        The minimized input, or None when libFuzzer failed or produced nothing smaller.
    """
    with tempfile.TemporaryDirectory(prefix="h11spec-min-") as tmp:
        launcher = fuzzer_launcher(Path(tmp), target, impl)
        out = Path(tmp) / "minimized"
        command = [
            str(launcher),
            "-minimize_crash=1",
            f"-runs={runs}",
            f"-max_total_time={seconds}",
            f"-exact_artifact_path={out}",
            str(artifact.resolve()),
        ]
        try:
            proc = subprocess.Popen(
                command,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                start_new_session=True,  # its own process group: the steps die with it
            )
        except OSError:
            return None
        try:
            proc.wait(timeout=seconds)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
        if not out.is_file():
            return None
        data = out.read_bytes()
        return data if len(data) < artifact.stat().st_size else None


# ------------------------------------------------------------------------------------------------
# The reference's outcome


def reference_outcome(target: str, data: bytes) -> dict[str, Any]:
    """What the reference does with ``data``: does it hold the oracle, and how do its runs end.

    Returns:
        ``{"oracle": "pass" | "violation", "signature": [...], "runs": [{"role", "outcome", "events"}],
        "raw": the HTTP bytes the first run received, "feed": drive.feed's outcome on them}``, JSON-able.
    """
    from conformance.targets.executor import InProcessExecutor
    from fuzz.reproducer import record_runs
    from fuzz.targets import run_one

    ref = load_target("reference")
    executor = InProcessExecutor(ref)
    (checked,) = executor.map(run_one, [(target, data)])
    outcome: dict[str, Any] = {"oracle": "pass"}
    if isinstance(checked, Ok) and checked.value is not None:
        outcome = {"oracle": "violation", "signature": list(checked.value.signature)}
    elif not isinstance(checked, Ok):
        outcome = {"oracle": "error", "detail": str(checked)}
    (recorded,) = executor.map(record_runs, [(target, data)])
    if isinstance(recorded, Ok):
        from fuzz.reproducer import play

        runs = []
        for role, steps in recorded.value.runs[:4]:
            summary = play(ref.api, role, steps)
            ended = summary["error"] or ("stall" if summary["stalled"] else "accept")
            runs.append({"role": role, "outcome": ended, "events": len(summary["events"])})
        outcome["runs"] = runs
        if recorded.value.runs:
            role, steps = recorded.value.runs[0]
            raw = b"".join(s[1] for s in steps if s[0] == "recv")
            if raw and target != "send":  # what drive.feed makes of the bytes, whole, on the reference
                from conformance.drive import feed

                trace = feed(ref.api, role, [raw])
                outcome["raw"] = raw.decode("latin-1")
                outcome["feed"] = {
                    "role": role,
                    "outcome": trace.outcome,
                    "events": [str(e[0]) for e in trace.events],
                    "error": None if trace.error is None else list(trace.error),
                }
    return outcome


# ------------------------------------------------------------------------------------------------
# Triage


def existing_entries(regressions: Path, target: str, impl: str) -> dict[Signature, Path]:
    """The regression entries of ``target`` found on ``impl``, by signature (what triage folds into)."""
    from fuzz.corpus import load_regression_dir

    loaded = load_regression_dir(regressions / target, target) if (regressions / target).is_dir() else None
    found: dict[Signature, Path] = {}
    for entry in loaded.entries if loaded else ():
        sig = entry.signature
        if entry.meta.get("impl") == impl and len(sig) == 3:
            found.setdefault((sig[0], sig[1], sig[2]), entry.path)
    return found


def group(replays: Sequence[Replayed]) -> dict[Signature, list[Replayed]]:
    """Findings grouped by signature, in order of first appearance (passing replays left out)."""
    groups: dict[Signature, list[Replayed]] = {}
    for replay in replays:
        if replay.signature is not None:
            groups.setdefault(replay.signature, []).append(replay)
    return groups


def triage(
    artifacts: Sequence[Path],
    target: str,
    impl: str,
    *,
    regressions_dir: Path = Path("corpus/regressions"),
    minimize: bool = True,
    report_dir: Path | None = Path("reports/fuzz"),
    timeout: float = DEFAULT_TIMEOUT,
    log: Callable[[str], None] | None = None,
    minimize_budget: float = MINIMIZE_BUDGET,
) -> list[TriagedFinding]:
    """Replay, de-duplicate, minimize and store the findings in ``artifacts`` (see the module docstring).

    Returns:
        One ``TriagedFinding`` per signature, in order of first appearance.
    Raises:
        UsageError: ``target`` is not a fuzz target, or ``impl`` cannot be loaded.
    """
    from conformance.errors import UsageError
    from fuzz.targets import TARGETS

    say = log or (lambda line: print(line, file=sys.stderr))
    if target not in TARGETS:
        raise UsageError(f"unknown fuzz target {target!r}; choose one of {', '.join(sorted(TARGETS))}")
    loaded = load_target(impl)
    replays, problems = replay_files(target, loaded, list(artifacts), timeout=timeout)
    for problem in problems:
        say(f"skipped {problem}")
    for replay in replays:
        if replay.outcome == "harness":
            say(f"harness error (not a finding) on {replay.path}: {replay.message}")
        elif replay.outcome == "info":
            say(f"information (not a finding) on {replay.path}: {replay.message}")
    findings = triage_replays(
        replays,
        target,
        loaded,
        regressions_dir=regressions_dir,
        minimize=minimize,
        timeout=timeout,
        minimize_budget=minimize_budget,
    )
    if report_dir is not None:
        lost = [r.path for r in replays if r.signature is None and r.outcome != "info"]
        write_summary(report_dir, target, impl, findings, lost)
    return findings


def triage_replays(
    replays: Sequence[Replayed],
    target: str,
    loaded: Target,
    *,
    regressions_dir: Path,
    minimize: bool = True,
    timeout: float = DEFAULT_TIMEOUT,
    minimize_budget: float = MINIMIZE_BUDGET,
) -> list[TriagedFinding]:
    """Group replayed findings by signature and store one regression entry per new signature.

    The smallest input of each new signature is minimized (within ``minimize_budget`` seconds in all)
    and stored.

    Returns:
        One ``TriagedFinding`` per signature among ``replays`` (passing replays are ignored).
    """
    from fuzz.corpus import write_regression

    impl = loaded.spec
    deadline = time.monotonic() + minimize_budget
    existing = existing_entries(regressions_dir, target, impl)
    findings: list[TriagedFinding] = []
    for signature, members in group(replays).items():
        first = min(members, key=lambda m: len(m.data))  # the smallest stands for them (first if tied)
        finding = TriagedFinding(
            target=target,
            impl=impl,
            impl_version=loaded.version,
            signature=signature,
            outcome=first.outcome,
            message=first.message,
            artifacts=[m.path for m in members],
        )
        findings.append(finding)
        if signature in existing:
            finding.entry = existing[signature]
            continue
        data = first.data
        budget = min(MINIMIZE_SECONDS, deadline - time.monotonic())
        if minimize and first.outcome in ("violation", "crash") and budget >= MINIMIZE_MIN_SECONDS:
            smaller = minimize_input(target, impl, first.path, seconds=int(budget))
            if smaller is not None:
                (again,), _ = replay_files_data(target, loaded, [(first.path, smaller)], timeout=timeout)
                if again.signature == signature:  # the stored message is the stored input's own
                    data, finding.minimized, finding.message = smaller, True, again.message
        meta = {
            "target": target,
            "oracle": signature[0],
            "signature": list(signature),
            "outcome": first.outcome,
            "message": finding.message,
            "impl": impl,
            "impl_version": loaded.version,
            "reference_outcome": reference_outcome(target, data),
            "date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
            "minimized": finding.minimized,
            "artifact": first.path.name,
            "count": len(members),
        }
        finding.entry = write_regression(regressions_dir / target, data, meta)
        finding.new = True
        existing[signature] = finding.entry
    return findings


def replay_files_data(
    target: str, impl: Target, items: Sequence[tuple[Path, bytes]], *, timeout: float = DEFAULT_TIMEOUT
) -> tuple[list[Replayed], list[str]]:
    """Like ``replay_files`` for inputs already in memory (``path`` only names them)."""
    from fuzz.targets import observe_one

    jobs = max(1, min(len(items), os.cpu_count() or 1))  # hangs wait out their timeouts side by side
    with executor_for(impl, isolated=True, jobs=jobs) as executor:
        results = executor.map(observe_one, [(target, data) for _, data in items], timeout=timeout)
    replays = [classify(target, p, d, r) for (p, d), r in zip(items, results)]
    hung = [i for i, r in enumerate(replays) if r.outcome == "hang"]
    if hung:  # where each hang loops, so distinct hangs get distinct signatures (in parallel: each waits)
        with concurrent.futures.ThreadPoolExecutor(max_workers=min(len(hung), 8)) as pool:
            frames = list(pool.map(lambda i: locate_hang(impl.spec, target, replays[i].data), hung))
        for i, frame in zip(hung, frames):
            old = replays[i]
            assert old.signature is not None
            replays[i] = dataclasses.replace(old, signature=(old.signature[0], old.signature[1], frame))
    return replays, []


def is_artifact(path: Path) -> bool:
    """True for the files libFuzzer writes for a finding (``crash-<sha1>``, ``timeout-...``)."""
    return path.is_file() and path.name.startswith(ARTIFACT_PREFIXES)
