"""What isolation costs: cases per second in process vs in worker processes, measured in one run.

Theory of operation: one realistic case is "feed a 200-byte request whole, then byte by byte, to a
fresh server Connection and drain the events" (``drive.feed`` twice), the unit of work of the catalog
and of split-invariance checks. ``bench_isolation`` runs the same list of cases through the
``InProcessExecutor`` and through ``IsolatedExecutor`` with one worker and with ``jobs`` workers, and
reports rates and ratios from that single run (never absolute timings compared across runs, which
depend on the machine and its load). Worker start-up is timed apart from the steady state, because
an executor is started once per run and reused for every case.
"""

from __future__ import annotations

import dataclasses
import os
import time
from typing import Any

from conformance.drive import feed
from conformance.targets.executor import InProcessExecutor, Ok
from conformance.targets.isolation import IsolatedExecutor
from conformance.targets.load import Target

REQUEST = (
    b"POST /submit HTTP/1.1\r\nHost: example.com\r\nUser-Agent: h11spec-bench/1\r\n"
    b"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: %d\r\n\r\n"
)


def request_bytes(size: int = 200) -> bytes:
    """A POST request of exactly ``size`` bytes (head plus a form body)."""
    head_len = len(REQUEST % 0)
    for digits in range(1, 6):
        body = size - head_len - (digits - 1)
        if body >= 0 and len(str(body)) == digits:
            return REQUEST % body + b"a=" + b"x" * (body - 2)
    raise ValueError(f"cannot build a {size}-byte request")


def whole_and_bytewise(api: Any, data: bytes) -> int:
    """The benchmark case: feed ``data`` whole and byte by byte; returns the number of events seen."""
    whole = feed(api, "server", [data])
    pieces = feed(api, "server", [data[i : i + 1] for i in range(len(data))])
    return len(whole.events) + len(pieces.events)


@dataclasses.dataclass(frozen=True)
class IsolationBench:
    """Rates from one run; ratios are isolated / in-process (1.0 means no overhead)."""

    target: str
    cases: int
    jobs: int
    in_process: float  # cases per second
    isolated_one: float  # cases per second with one worker
    isolated_jobs: float  # cases per second with ``jobs`` workers
    startup: float  # seconds to start ``jobs`` workers and load the target in them
    rounds: int = 1  # each rate is the best of this many rounds
    round_trip: float = 0.0  # seconds one call costs in a worker beyond its own work (empty calls)

    def lines(self) -> list[str]:
        """The report, one line per figure."""
        return [
            f"isolation overhead on {self.target}: best of {self.rounds} rounds of {self.cases} cases "
            f"(a 200-byte request fed whole and byte by byte)",
            f"  in process          {self.in_process:9.0f} cases/s  (1.00)",
            f"  isolated, 1 worker  {self.isolated_one:9.0f} cases/s  "
            f"({self.isolated_one / self.in_process:.2f} of in-process)",
            f"  isolated, {self.jobs} workers {self.isolated_jobs:9.0f} cases/s  "
            f"({self.isolated_jobs / self.in_process:.2f} of in-process)",
            f"  worker start-up     {self.startup * 1000:9.0f} ms once per run for {self.jobs} workers",
            f"  per-call round trip {self.round_trip * 1e6:9.1f} us (an empty call, 1 worker)",
        ]


def nothing(api: Any, arg: object) -> None:
    """An empty call: what is left of its cost in a worker is the executor's own overhead."""


def _rate(
    executor: InProcessExecutor | IsolatedExecutor, args: list[Any], fn: Any = whole_and_bytewise
) -> float:
    start = time.perf_counter()
    results = executor.map(fn, args)
    elapsed = time.perf_counter() - start
    bad = [r for r in results if not isinstance(r, Ok)]
    if bad:
        raise RuntimeError(f"the benchmark case failed on the target: {bad[0]}")
    return len(args) / elapsed


def bench_isolation(
    target: Target, *, cases: int = 500, jobs: int | None = None, rounds: int = 3
) -> IsolationBench:
    """Measure cases per second in process and isolated (1 and ``jobs`` workers) in one run.

    The three modes take turns for ``rounds`` rounds of ``cases`` cases each and each keeps its best
    round, so a burst of load from other processes on the machine skews the ratios less. The
    isolated run goes first, so a target that crashes on the case is caught before the in-process
    run could take the harness down.
    Raises:
        RuntimeError: the benchmark case does not run cleanly on ``target``.
    """
    jobs = max(1, jobs or os.cpu_count() or 1)
    args = [request_bytes()] * cases
    in_process = InProcessExecutor(target)
    with IsolatedExecutor(target, jobs=1) as one, IsolatedExecutor(target, jobs=jobs) as many:
        _rate(one, args[:1])  # start-up, not measured; fails fast on a crashing target
        start = time.perf_counter()
        _rate(many, args[:jobs])
        startup = time.perf_counter() - start
        best = [0.0, 0.0, 0.0, 0.0]
        empty = [None] * (4 * cases)
        for _ in range(max(1, rounds)):
            modes: tuple[InProcessExecutor | IsolatedExecutor, ...] = (one, in_process, many)
            for i, executor in enumerate(modes):
                best[i] = max(best[i], _rate(executor, args))
            best[3] = max(best[3], _rate(one, empty, nothing))
    return IsolationBench(
        target.name, cases, jobs, best[1], best[0], best[2], startup, max(1, rounds), 1 / best[3]
    )
