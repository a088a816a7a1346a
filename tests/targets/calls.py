"""Module-level calls the executors run in tests (an isolated worker imports them by name)."""

from __future__ import annotations

import os
import time
from typing import Any

from conformance.drive import EventRecord, feed

GET = b"GET /index.html HTTP/1.1\r\nHost: example.com\r\nUser-Agent: h11spec\r\nAccept: */*\r\n\r\n"


def parse_request(api: Any, data: bytes) -> tuple[EventRecord, ...]:
    """Feed ``data`` whole to a server Connection and return the event records."""
    trace = feed(api, "server", [data])
    return (*trace.events, ("error", trace.error))


def square(api: Any, n: int) -> int:
    """A call that never touches the target: its result shows the order of results."""
    return n * n


def pid(api: Any, _: object) -> int:
    """The worker's process id (to see which worker ran a call)."""
    return os.getpid()


def sleep(api: Any, seconds: float) -> float:
    """Sleep in the harness's own code, not the target's: a hang that is not the target's fault."""
    time.sleep(seconds)
    return seconds


def fail(api: Any, message: str) -> None:
    """Raise ValueError from harness code running in the worker."""
    raise ValueError(message)


def unpicklable(api: Any, _: object) -> Any:
    """Return something that cannot cross a process boundary."""
    return lambda: None


def drain(api: Any, data: bytes) -> int:
    """Feed ``data`` and EOF to a server Connection and count events, letting every exception escape."""
    conn = api.Connection(api.SERVER)
    conn.receive_data(data)
    conn.receive_data(b"")
    for count in range(1000):
        event = conn.next_event()
        if event is api.NEED_DATA or event is api.PAUSED or type(event).__name__ == "ConnectionClosed":
            return count
    return 1000


def with_fault(fault: str) -> bytes:
    """A request that makes ``tests.faults.targets.mixed`` trigger ``fault`` (``""``: none)."""
    extra = f"X-Fault: {fault}\r\n".encode() if fault else b""
    return b"GET / HTTP/1.1\r\nHost: a\r\n" + extra + b"\r\n"


def outcome(api: Any, data: bytes) -> str:
    """``drive.feed``'s outcome class for ``data`` fed whole then EOF: accept, reject, crash or stall."""
    return feed(api, "server", [data]).outcome
