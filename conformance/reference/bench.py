"""Throughput of the reference implementation against the installed h11, measured in one run.

Theory of operation: each workload is a function ``(api, messages) -> seconds`` that drives one
Connection of the h11 API ``api`` through a fixed byte stream (docs/h11-behaviour.md §8):

- ``server-pipelined``: ``messages`` small GETs in one buffer, server side, answering each with
  ``Response(200, Content-Length: 0)`` + ``EndOfMessage`` and ``start_next_cycle``;
- ``server-64b``: the same stream fed in 64-byte pieces;
- ``client-chunked``: ``messages`` chunked responses (two chunks), client side, sending a GET before
  each.

``run_benchmarks`` runs every workload ``repeat`` times, alternating the implementations inside each
repeat (so drift of a shared machine hits both alike), and keeps best and median. The figure that
matters is the *ratio* reference/h11 of median throughputs; absolute numbers depend on the machine.
Time is CPU time of this process (``time.process_time``), not wall time: on a shared machine the
wall clock also counts the time other processes held the CPU, which swamps the difference being
measured. A workload also checks that it saw exactly ``messages`` requests or responses, so a fast but wrong
implementation cannot win.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from types import ModuleType
from typing import Any

from conformance.errors import HarnessError

__all__ = ["WORKLOADS", "BenchResult", "run_benchmarks"]

REQUEST = (
    b"GET /index.html HTTP/1.1\r\nHost: example.com\r\nUser-Agent: h11spec-bench/1.0\r\nAccept: */*\r\n\r\n"
)
CHUNKED_RESPONSE = (
    b"HTTP/1.1 200 OK\r\n"
    b"Content-Type: text/plain\r\n"
    b"Transfer-Encoding: chunked\r\n"
    b"\r\n"
    b"5\r\nhello\r\n"
    b"6\r\n world\r\n"
    b"0\r\n\r\n"
)
PIECE = 64


def _serve(api: Any, pieces: list[bytes], messages: int) -> float:
    conn = api.Connection(api.SERVER)
    Response, EndOfMessage, Request = api.Response, api.EndOfMessage, api.Request
    need_data, paused = api.NEED_DATA, api.PAUSED
    headers = [("Content-Length", "0")]
    feed = iter(pieces)
    served = 0
    start = time.process_time()
    while served < messages:
        event = conn.next_event()
        kind = type(event)
        if kind is Request:
            continue
        if kind is EndOfMessage:
            conn.send(Response(status_code=200, headers=headers))
            conn.send(EndOfMessage())
            conn.start_next_cycle()
            served += 1
        elif event is need_data:
            piece = next(feed, None)
            if piece is None:
                raise HarnessError(f"bench: input ran out after {served} of {messages} requests")
            conn.receive_data(piece)
        elif event is paused:  # a correct server is never PAUSED here (it replied and cycled)
            raise HarnessError("bench: unexpected PAUSED")
        else:
            raise HarnessError(f"bench: unexpected event {event!r} from a server")
    return time.process_time() - start


def server_pipelined(api: Any, messages: int) -> float:
    """Seconds to serve ``messages`` pipelined GETs fed as one buffer."""
    return _serve(api, [REQUEST * messages], messages)


def server_64b(api: Any, messages: int) -> float:
    """Seconds to serve ``messages`` pipelined GETs fed in 64-byte pieces."""
    stream = REQUEST * messages
    return _serve(api, [stream[i : i + PIECE] for i in range(0, len(stream), PIECE)], messages)


def client_chunked(api: Any, messages: int) -> float:
    """Seconds for a client to send ``messages`` GETs and read a chunked response to each."""
    conn = api.Connection(api.CLIENT)
    conn.receive_data(CHUNKED_RESPONSE * messages)
    Request, EndOfMessage, Data = api.Request, api.EndOfMessage, api.Data
    headers = [("Host", "example.com"), ("Accept", "*/*")]
    body = 0
    start = time.process_time()
    for _ in range(messages):
        conn.send(Request(method="GET", target="/index.html", headers=headers))
        conn.send(EndOfMessage())
        while True:
            event = conn.next_event()
            kind = type(event)
            if kind is Data:
                body += len(event.data)
            elif kind is EndOfMessage:
                break
        conn.start_next_cycle()
    elapsed = time.process_time() - start
    if body != 11 * messages:
        raise HarnessError(f"bench: client-chunked read {body} body bytes, expected {11 * messages}")
    return elapsed


WORKLOADS: dict[str, Callable[[Any, int], float]] = {
    "server-pipelined": server_pipelined,
    "server-64b": server_64b,
    "client-chunked": client_chunked,
}


@dataclass(frozen=True)
class BenchResult:
    """One workload on one implementation: throughputs in messages per second."""

    workload: str
    impl: str
    messages: int
    repeat: int
    best: float  # messages/s of the fastest repeat
    median: float  # messages/s of the median repeat

    def to_json(self) -> dict[str, Any]:
        """A JSON-able dict."""
        return asdict(self)


def run_benchmarks(
    impls: dict[str, ModuleType],
    messages: int,
    repeat: int,
    workloads: list[str] | None = None,
) -> list[BenchResult]:
    """Time every workload on every implementation, interleaved, ``repeat`` times.

    Returns:
        One ``BenchResult`` per (workload, implementation), in workload order.

    Raises:
        HarnessError: an unknown workload name, or a workload that saw the wrong traffic.
    """
    names = workloads or list(WORKLOADS)
    for name in names:
        if name not in WORKLOADS:
            raise HarnessError(f"unknown workload {name!r}; known: {', '.join(WORKLOADS)}")
    results: list[BenchResult] = []
    for name in names:
        workload = WORKLOADS[name]
        times: dict[str, list[float]] = {impl: [] for impl in impls}
        for _ in range(repeat):
            for impl, api in impls.items():
                times[impl].append(workload(api, messages))
        for impl, seconds in times.items():
            results.append(
                BenchResult(
                    workload=name,
                    impl=impl,
                    messages=messages,
                    repeat=repeat,
                    best=messages / min(seconds),
                    median=messages / statistics.median(seconds),
                )
            )
    return results


def ratios(
    results: list[BenchResult], numerator: str, denominator: str, field: str = "median"
) -> dict[str, float]:
    """Throughput ratio ``numerator / denominator`` per workload, of medians (or ``field``).

    Returns:
        ``{workload: ratio}`` for every workload both implementations ran.
    """
    by_key = {(r.workload, r.impl): r for r in results}
    out: dict[str, float] = {}
    for workload, impl in by_key:
        if impl == numerator and (workload, denominator) in by_key:
            top = getattr(by_key[workload, impl], field)
            out[workload] = top / getattr(by_key[workload, denominator], field)
    return out
