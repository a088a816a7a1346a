"""Fuzz campaigns: libFuzzer workers over a shared corpus, live progress, a clean stop, triage at the end.

Theory of operation: a campaign starts ``jobs`` worker processes, each ``python -m fuzz.entry --target T
--impl I --record <artifacts> <work corpus> [<seeds>] -max_total_time=... -artifact_prefix=...``. They
share the work corpus directory (libFuzzer writes new inputs into the first directory and reloads it
periodically, so workers learn from each other); the seeds directory is read at start only. We start the
processes ourselves rather than use libFuzzer's ``-fork``/``-jobs`` (whose ``-ignore_crashes`` would
restart a Python process per crash): each worker's output is parsed live, and the whole campaign stops on
our clock.

A finding does not stop a worker: with ``--record`` the worker's ``TestOneInput`` (``fuzz.recorder``)
saves each new signature as a ``crash-<sha1>`` artifact as it comes, counts known ones (those of the
regression entries for this target and implementation, ``fuzz.triage.existing_entries``, listed for the
workers in ``fuzz.recorder.KNOWN_FILE``) and returns, so libFuzzer goes on. Only what cannot be caught
inside the process (a hang past libFuzzer's ``-timeout``, out of memory, the interpreter dying) ends a
worker; it is restarted with the time left, at most ``MAX_RESTARTS`` times, and the summary says so when
that cap stops a worker (``CampaignResult.notes``).
Information (``fuzz.oracle.OracleInfo``: an input on which the implementation mixed the alternatives of
one choice point within one connection) is counted by the recorder, never written as an artifact; the
campaign adds the counts up by kind (``CampaignResult.infos``, printed as ``info_lines``) and puts them
into the triage summary apart from the findings (``fuzz.summary.record_infos``).

Time: ``seconds`` is the campaign's wall time from the call to the moment every worker has stopped,
worker start-up included; at the deadline the workers are interrupted (libFuzzer's own
``-max_total_time`` is only a backstop, as its clock starts after the interpreter's start-up), so a
campaign overruns its budget by the time libFuzzer takes to print its final statistics. Triage runs
after that and is timed on its own (``triage_seconds``). ``exec_per_s`` is executions over ``seconds``:
the rate over the whole budget, start-up included.

Progress comes from libFuzzer's status lines on stderr (``#N NEW cov: C ft: F corp: K/... exec/s: E``)
and from the files in the corpus and artifact directories, shown with rich when asked.

Stopping: at the time budget libFuzzer stops itself (``-max_total_time``); Ctrl-C (or a hung worker past
the grace period) sends SIGINT to the workers, which libFuzzer handles by printing its final stats and
exiting; SIGKILL follows if they do not. Workers run in their own sessions (so the terminal's Ctrl-C
reaches only us) and die with us if we are killed (``$H11SPEC_PARENT_PID``, see ``fuzz.entry``).

Nothing is lost to a SIGKILL: libFuzzer writes each artifact as it finds it; triage (``fuzz.triage``)
runs at the end over every artifact in the directory not yet listed in its ledger (``.triaged.json``,
written with ``write_atomic``), so artifacts of a killed campaign are triaged by the next one. Damaged
corpus files are named and set aside (``fuzz.corpus.readable_inputs``), never fatal.
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import math
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

from conformance.atomic import write_atomic
from conformance.errors import UsageError
from fuzz.corpus import SEEDS_DIR
from fuzz.recorder import FINDING_MARK, read_counts, read_skipped, write_known
from fuzz.summary import info_kind, info_line, record_infos
from fuzz.triage import existing_entries

ARTIFACT_PREFIXES = ("crash-", "timeout-", "oom-", "leak-", "slow-unit-")
LEDGER = ".triaged.json"
KILL_SECONDS = 2.0  # after SIGINT, a worker that has not exited is killed
MAX_RESTARTS = 50  # per worker: restarts after hangs or deaths; past this the worker stays stopped
WORK_ROOT = Path("corpus/work")

_STATUS = re.compile(
    r"^#(?P<execs>\d+)\s+(?P<event>\w+)\s+cov: (?P<cov>\d+) ft: (?P<ft>\d+)"
    r"(?: corp: (?P<corp>\d+)/\S+)?"
)
_EPS = re.compile(r"exec/s: (\d+)")
_ARTIFACT = re.compile(r"Test unit written to (?P<path>\S+)")
_FINAL_EXECS = re.compile(r"^stat::number_of_executed_units:\s*(\d+)")


@dataclasses.dataclass
class CampaignResult:
    """What one campaign did (contracts.md); ``findings`` is triage's output when triage ran."""

    target: str
    impl: str
    executions: int
    exec_per_s: float
    corpus_size: int
    artifacts: list[Path]
    seconds: float
    coverage: int = 0  # libFuzzer "cov": covered edges of the instrumented code (best worker)
    features: int = 0  # libFuzzer "ft"
    interrupted: bool = False
    findings: list[Any] = dataclasses.field(default_factory=list)  # fuzz.summary.TriagedFinding
    triaged: bool = False  # triage ran (it is skipped only when fuzz.triage cannot be imported)
    recorded: dict[tuple[str, str, str], int] = dataclasses.field(default_factory=dict)  # signature: count
    # information by kind ("mixed:obs-fold"): inputs counted by the recorder, never findings
    infos: dict[str, int] = dataclasses.field(default_factory=dict)
    notes: list[str] = dataclasses.field(default_factory=list)  # what capped the campaign, if anything
    budget: float = 0.0  # the --time asked for
    skipped: int = 0  # inputs the target could not read in their role (fuzz.targets.SKIPPED), no finding
    triage_seconds: float = 0.0

    def info_lines(self) -> list[str]:
        """One line per kind of information: ``"info: 3 input(s) mix alternatives of obs-fold ..."``."""
        return [info_line(kind, n) for kind, n in sorted(self.infos.items())]

    @property
    def new_findings(self) -> int:
        """Signatures triage stored as new regression entries (all artifacts, if triage did not run)."""
        if not self.triaged:
            return len(self.artifacts)
        return sum(1 for f in self.findings if getattr(f, "new", False))

    def to_json(self) -> dict[str, Any]:
        """A JSON-able summary."""
        return {
            "target": self.target,
            "impl": self.impl,
            "executions": self.executions,
            "exec_per_s": round(self.exec_per_s, 1),
            "corpus_size": self.corpus_size,
            "coverage": self.coverage,
            "features": self.features,
            "seconds": round(self.seconds, 2),
            "budget": self.budget,
            "triage_seconds": round(self.triage_seconds, 2),
            "interrupted": self.interrupted,
            "notes": list(self.notes),
            "skipped": self.skipped,
            "recorded": [{"signature": list(sig), "count": n} for sig, n in sorted(self.recorded.items())],
            "infos": [{"kind": kind, "count": n} for kind, n in sorted(self.infos.items())],
            "artifacts": [str(p) for p in self.artifacts],
            "new_findings": self.new_findings,
            "findings": [
                {
                    "signature": list(getattr(f, "signature", ())),
                    "new": bool(getattr(f, "new", False)),
                    "entry": str(getattr(f, "entry", "") or ""),
                    "count": len(getattr(f, "artifacts", ())),
                }
                for f in self.findings
            ],
        }


@dataclasses.dataclass
class _Worker:
    """One libFuzzer process and what its output said so far."""

    index: int
    proc: subprocess.Popen[str] | None = None
    execs_done: int = 0  # executions of earlier (restarted) processes
    execs: int = 0  # executions of the current process
    eps: int = 0
    cov: int = 0
    ft: int = 0
    restarts: int = 0
    stopped: bool = False  # ended early and not restarted (the reason is in _Stats.notes)
    tail: list[str] = dataclasses.field(default_factory=list)
    reader: threading.Thread | None = None

    def reader_alive(self) -> bool:
        """True while the thread reading this worker's output still runs."""
        return self.reader is not None and self.reader.is_alive()

    @property
    def total_execs(self) -> int:
        return self.execs_done + self.execs


class _Stats:
    """Shared, lock-protected progress of all workers (reader threads write, the main loop reads)."""

    def __init__(self, workers: int) -> None:
        self.lock = threading.Lock()
        self.workers = [_Worker(i) for i in range(workers)]
        self.artifacts: list[Path] = []
        self.notes: list[str] = []
        self.started = time.monotonic()

    def feed_line(self, worker: _Worker, line: str) -> None:
        with self.lock:
            worker.tail = [*worker.tail[-29:], line]
            status = _STATUS.match(line)
            if status:
                worker.execs = int(status["execs"])
                worker.cov = max(worker.cov, int(status["cov"]))
                worker.ft = max(worker.ft, int(status["ft"]))
                eps = _EPS.search(line)
                if eps:
                    worker.eps = int(eps.group(1))
                return
            final = _FINAL_EXECS.match(line)
            if final:
                worker.execs = int(final.group(1))
                return
            artifact = _ARTIFACT.search(line)
            if artifact:
                self.artifacts.append(Path(artifact["path"]))
            elif line.startswith(FINDING_MARK):
                self.artifacts.append(Path(line[len(FINDING_MARK) :].strip()))


def _read_lines(stats: _Stats, worker: _Worker, stream: Any) -> None:
    for raw in stream:
        stats.feed_line(worker, raw.rstrip("\n"))


def _list_artifacts(directory: Path) -> list[Path]:
    if not directory.is_dir():
        return []
    return sorted(p for p in directory.iterdir() if p.is_file() and p.name.startswith(ARTIFACT_PREFIXES))


def _count_files(directory: Path) -> int:
    try:
        return sum(1 for p in directory.iterdir() if p.is_file() and not p.name.startswith("."))
    except OSError:
        return 0


def _read_ledger(directory: Path) -> set[str]:
    try:
        names = json.loads((directory / LEDGER).read_text())
    except (OSError, ValueError):
        return set()
    return {str(n) for n in names} if isinstance(names, list) else set()


def _write_ledger(directory: Path, names: set[str]) -> None:
    write_atomic(directory / LEDGER, json.dumps(sorted(names), indent=0) + "\n")


def _set_aside(directory: Path, say: Callable[[str], None], *, movable: bool) -> Path | None:
    """Check a corpus directory; name each damaged file. Returns a directory libFuzzer can read.

    Damaged files of our own work corpus are moved to ``<dir>.damaged/``; for a directory we must not
    touch (the seeds) a temporary copy of its readable files is returned instead (the caller removes it).
    """
    from fuzz.corpus import readable_inputs

    good, problems = readable_inputs(directory)
    if not problems:
        return directory
    for problem in problems:
        say(f"warning: {problem}")
    if movable:
        aside = directory.with_name(directory.name + ".damaged")
        aside.mkdir(parents=True, exist_ok=True)
        for problem in problems:
            with contextlib.suppress(OSError):
                if problem.path.is_file() or problem.path.is_symlink():
                    problem.path.replace(aside / problem.path.name)
                    say(f"moved {problem.path} to {aside}/")
        return directory
    copy = Path(tempfile.mkdtemp(prefix="h11spec-seeds-"))
    for path in good:
        shutil.copyfile(path, copy / path.name)
    return copy


def worker_command(
    target: str,
    impl: str,
    *,
    corpus_dirs: Sequence[Path],
    artifacts_dir: Path,
    seconds: float,
    extra_args: Sequence[str] = (),
) -> list[str]:
    """The command line of one worker (``python -m fuzz.entry ...``)."""
    return [
        sys.executable,
        "-m",
        "fuzz.entry",
        "--target",
        target,
        "--impl",
        impl,
        "--record",
        str(artifacts_dir),
        *[str(d) for d in corpus_dirs],
        f"-max_total_time={max(1, math.ceil(seconds) + 1)}",  # a backstop: the campaign stops it on time
        f"-artifact_prefix={artifacts_dir}{os.sep}",
        "-print_final_stats=1",
        *extra_args,
    ]


def _start(stats: _Stats, worker: _Worker, command: list[str]) -> None:
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    env["H11SPEC_PARENT_PID"] = str(os.getpid())
    worker.proc = subprocess.Popen(
        command,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        errors="replace",
        env=env,
        start_new_session=True,
    )
    worker.reader = threading.Thread(
        target=_read_lines, args=(stats, worker, worker.proc.stdout), daemon=True
    )
    worker.reader.start()


def _release(worker: _Worker) -> None:
    """After the process ended: let the reader thread finish the output, then close the pipe."""
    if worker.reader is not None:
        worker.reader.join(timeout=2)
    if worker.proc is not None and worker.proc.stdout is not None and not worker.reader_alive():
        worker.proc.stdout.close()


def _signal(worker: _Worker, sig: int) -> None:
    if worker.proc is not None and worker.proc.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            worker.proc.send_signal(sig)


def _stop_all(workers: Sequence[_Worker]) -> None:
    """SIGINT every live worker, then SIGKILL the ones still alive after ``KILL_SECONDS``."""
    for worker in workers:
        _signal(worker, signal.SIGINT)
    deadline = time.monotonic() + KILL_SECONDS
    for worker in workers:
        if worker.proc is None:
            continue
        try:
            worker.proc.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            _signal(worker, signal.SIGKILL)
            worker.proc.wait()


def _snapshot(stats: _Stats, corpus_dir: Path, artifacts_dir: Path, started: float) -> dict[str, Any]:
    with stats.lock:
        execs = sum(w.total_execs for w in stats.workers)
        alive = sum(1 for w in stats.workers if w.proc is not None and w.proc.poll() is None)
        cov = max((w.cov for w in stats.workers), default=0)
        ft = max((w.ft for w in stats.workers), default=0)
        found = len(stats.artifacts)
        elapsed = max(time.monotonic() - started, 1e-9)
    return {
        "elapsed": elapsed,
        "execs": execs,
        "eps": execs / elapsed,  # over the wall time so far, start-up included
        "corpus": _count_files(corpus_dir),
        "cov": cov,
        "ft": ft,
        "findings": found,
        "alive": alive,
    }


@contextlib.contextmanager
def _live_view(enabled: bool, title: str, seconds: float) -> Iterator[Callable[[dict[str, Any]], None]]:
    """A callable that shows one progress snapshot (a rich live table when ``enabled``)."""
    if not enabled:
        yield lambda snap: None
        return
    from rich.console import Console
    from rich.live import Live
    from rich.table import Table

    def render(snap: dict[str, Any]) -> Table:
        table = Table(title=title, show_edge=False)
        for column in ("time", "execs", "exec/s", "corpus", "cov", "ft", "findings", "workers"):
            table.add_column(column, justify="right")
        table.add_row(
            f"{snap['elapsed']:.0f}/{seconds:.0f}s",
            f"{snap['execs']:,}",
            f"{snap['eps']:,.0f}",
            str(snap["corpus"]),
            str(snap["cov"]),
            str(snap["ft"]),
            str(snap["findings"]),
            str(snap["alive"]),
        )
        return table

    console = Console(stderr=True)
    with Live(console=console, refresh_per_second=4, transient=False) as live:
        yield lambda snap: live.update(render(snap))


def run_campaign(
    target: str,
    impl: str,
    *,
    seconds: float,
    jobs: int = 1,
    corpus_dir: Path | None = None,
    artifacts_dir: Path,
    use_seeds: bool = True,
    progress: bool = False,
    extra_args: Sequence[str] = (),
    regressions_dir: Path = Path("corpus/regressions"),
    report_dir: Path | None = Path("reports/fuzz"),
    minimize: bool = True,
    log: Callable[[str], None] | None = None,
) -> CampaignResult:
    """Fuzz ``target`` on ``impl`` for ``seconds`` with ``jobs`` libFuzzer workers, then triage.

    ``corpus_dir`` (default ``corpus/work/<target>/``) is where the campaign resumes from and adds to;
    the package's seeds ``fuzz/seeds/<target>/`` are read too when ``use_seeds``. Artifacts go to
    ``artifacts_dir``.
    Returns:
        The ``CampaignResult``; Ctrl-C ends the campaign early (``interrupted``), still triaged.
    Raises:
        UsageError: an unknown target, bad numbers, or workers that cannot start (the message quotes
            the worker's last output line).
    """
    from fuzz.targets import TARGETS

    started = time.monotonic()  # the budget counts from here: set-up and worker start-up included
    say = log or (lambda line: print(line, file=sys.stderr))
    if target not in TARGETS:
        raise UsageError(f"unknown fuzz target {target!r}; use one of {', '.join(TARGETS)} or all")
    if seconds <= 0 or jobs < 1:
        raise UsageError("--time must be positive and --jobs at least 1")
    corpus = Path(corpus_dir) if corpus_dir is not None else WORK_ROOT / target
    corpus.mkdir(parents=True, exist_ok=True)
    artifacts = Path(artifacts_dir)
    artifacts.mkdir(parents=True, exist_ok=True)
    dirs = [corpus]
    temporary: Path | None = None
    _set_aside(corpus, say, movable=True)
    seeds = SEEDS_DIR / target
    if use_seeds and seeds.is_dir():
        readable = _set_aside(seeds, say, movable=False)
        if readable is not None and readable != seeds:
            temporary = readable
        dirs.append(readable or seeds)
    write_known(artifacts, set(existing_entries(regressions_dir, target, impl)))

    stats = _Stats(jobs)
    stats.started = started
    try:
        with _terminate_as_interrupt():
            interrupted = _run_workers(
                stats, target, impl, dirs, artifacts, seconds, extra_args, progress, corpus, say
            )
    finally:
        if temporary is not None:
            shutil.rmtree(temporary, ignore_errors=True)
    _check_started(stats)
    snap = _snapshot(stats, corpus, artifacts, stats.started)
    result = CampaignResult(
        target=target,
        impl=impl,
        executions=snap["execs"],
        exec_per_s=snap["eps"],
        corpus_size=snap["corpus"],
        artifacts=[p for p in stats.artifacts if p.exists()],
        seconds=snap["elapsed"],
        coverage=snap["cov"],
        features=snap["ft"],
        interrupted=interrupted,
        recorded=read_counts(artifacts),
        infos=_infos(artifacts),
        skipped=read_skipped(artifacts),
        notes=list(stats.notes),
        budget=seconds,
    )
    triage_started = time.monotonic()
    _triage_pending(result, artifacts, regressions_dir, report_dir, minimize, say)
    result.triage_seconds = time.monotonic() - triage_started
    if report_dir is not None:
        record_infos(report_dir, target, impl, result.infos)
    return result


def _infos(artifacts: Path) -> dict[str, int]:
    """The recorder's information counts in ``artifacts``, by kind (signatures of one kind added)."""
    counts: dict[str, int] = {}
    for (_, _, frame), n in read_counts(artifacts, level="info").items():
        counts[info_kind(frame)] = counts.get(info_kind(frame), 0) + n
    return counts


@contextlib.contextmanager
def _terminate_as_interrupt() -> Iterator[None]:
    """SIGTERM stops a campaign the way Ctrl-C does (in the main thread; elsewhere nothing changes)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def interrupt(signum: int, frame: Any) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _run_workers(
    stats: _Stats,
    target: str,
    impl: str,
    dirs: Sequence[Path],
    artifacts: Path,
    seconds: float,
    extra_args: Sequence[str],
    progress: bool,
    corpus: Path,
    say: Callable[[str], None],
) -> bool:
    """Start the workers, supervise them until done; returns True when interrupted."""
    started = stats.started
    deadline = started + seconds
    interrupted = False
    with _live_view(progress, f"h11spec fuzz {target} on {impl}", seconds) as show:
        try:
            for worker in stats.workers:
                command = worker_command(
                    target,
                    impl,
                    corpus_dirs=dirs,
                    artifacts_dir=artifacts,
                    seconds=deadline - time.monotonic(),
                    extra_args=extra_args,
                )
                _start(stats, worker, command)
            _supervise(stats, target, impl, dirs, artifacts, deadline, extra_args, show, corpus)
        except KeyboardInterrupt:
            interrupted = True
            say("interrupted: stopping the workers")
        finally:
            _stop_all(stats.workers)
            for worker in stats.workers:
                _release(worker)
            show(_snapshot(stats, corpus, artifacts, started))
    return interrupted


def _supervise(
    stats: _Stats,
    target: str,
    impl: str,
    dirs: Sequence[Path],
    artifacts: Path,
    deadline: float,
    extra_args: Sequence[str],
    show: Callable[[dict[str, Any]], None],
    corpus: Path,
) -> None:
    """Watch the workers until they are done or the budget is spent; restart the ones that died early."""
    while True:
        time.sleep(max(0.01, min(0.25, deadline - time.monotonic())))
        show(_snapshot(stats, corpus, artifacts, stats.started))
        now = time.monotonic()
        if now >= deadline:
            return
        running = 0
        for worker in stats.workers:
            proc = worker.proc
            if proc is None:
                continue
            code = proc.poll()
            if code is None:
                running += 1
                continue
            left = deadline - now
            if worker.stopped:
                continue
            # a hang, an OOM or a dead interpreter ends libFuzzer (findings do not): go on with the time left
            if code != 0 and left > 2 and worker.restarts >= MAX_RESTARTS:
                worker.stopped = True
                stats.notes.append(
                    f"worker {worker.index} stopped {now - stats.started:.0f} s into the campaign: "
                    f"{MAX_RESTARTS} restarts after hangs or deaths (MAX_RESTARTS)"
                )
            elif code != 0 and left > 2 and not _found_something(worker):
                worker.stopped = True
                last = next((line for line in reversed(worker.tail) if line.strip()), "no output")
                stats.notes.append(
                    f"worker {worker.index} exited with status {code} {now - stats.started:.0f} s into the "
                    f"campaign, without a finding: {last.strip()[:200]}"
                )
            elif code != 0 and left > 2:
                _release(worker)
                with stats.lock:
                    worker.execs_done += worker.execs
                    worker.execs = 0
                    worker.tail = []  # the next exit is judged on the next process's output
                worker.restarts += 1
                command = worker_command(
                    target,
                    impl,
                    corpus_dirs=dirs,
                    artifacts_dir=artifacts,
                    seconds=left,
                    extra_args=extra_args,
                )
                _start(stats, worker, command)
                running += 1
        if running == 0:
            return


def _found_something(worker: _Worker) -> bool:
    return any("Test unit written to" in line for line in worker.tail)


def _check_started(stats: _Stats) -> None:
    """Raise UsageError when no worker ever ran an input (a bad --impl, a broken install...)."""
    if any(w.total_execs for w in stats.workers) or stats.artifacts:
        return
    worker = stats.workers[0]
    if worker.proc is not None and worker.proc.returncode in (0, None, -signal.SIGINT, 72, 130):
        return
    last = next((line for line in reversed(worker.tail) if line.strip()), "no output")
    raise UsageError(
        f"the fuzzing worker did not start ({last.strip()[:200]}); run fuzz.entry by hand to see why"
    )


def _triage_pending(
    result: CampaignResult,
    artifacts: Path,
    regressions_dir: Path,
    report_dir: Path | None,
    minimize: bool,
    say: Callable[[str], None],
) -> None:
    """Triage every artifact in ``artifacts`` not yet in the ledger (this run's and a killed run's)."""
    done = _read_ledger(artifacts)
    pending = [p for p in _list_artifacts(artifacts) if p.name not in done]
    if not pending:
        result.triaged = True
        return
    try:
        from fuzz.triage import triage
    except ModuleNotFoundError as exc:
        if exc.name != "fuzz.triage":
            raise
        say(f"fuzz.triage is not available: {len(pending)} artifact(s) kept in {artifacts}")
        return
    result.findings = list(
        triage(
            pending,
            result.target,
            result.impl,
            regressions_dir=regressions_dir,
            minimize=minimize,
            report_dir=report_dir,
        )
    )
    result.triaged = True
    _write_ledger(artifacts, done | {p.name for p in pending})
