"""The planted fuzz faults of issue #6 as data: which target finds each, and an input that shows it."""

from __future__ import annotations

import dataclasses


@dataclasses.dataclass(frozen=True)
class PlantedFault:
    """One planted fault: its module, the fuzz target that must find it and a witness input."""

    name: str  # module under tests.faults.fuzz
    target: str  # the fuzz target whose oracle it breaks
    outcome: str  # what triage classifies it as: "crash", "violation" or "hang"
    witness: bytes  # an input that shows the bug (hand-written; campaigns find their own)
    seconds: int = 10  # campaign budget that finds it from the seeds with a wide margin on a loaded machine

    @property
    def impl(self) -> str:
        """The --impl spec of the fault."""
        return f"tests.faults.fuzz.{self.name}"


FAULTS = (
    PlantedFault("empty_field_name", "server-parse", "crash", b"GET / HTTP/1.1\r\nHost: a\r\n: x\r\n\r\n"),
    PlantedFault(
        "chunk_size_0x",
        "differential",
        "violation",
        b"POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n0x5\r\nhello\r\n0\r\n\r\n",
        seconds=20,  # about 3,500 executions (6 s alone) to reach a 0x chunk size from the seeds
    ),
    PlantedFault("bare_cr_hang", "server-parse", "hang", b"GET /\rx HTTP/1.1\r\nHost: a\r\n\r\n"),
    PlantedFault("send_lf_in_value", "send", "violation", b"GET / HTTP/1.1\r\nHost:a\r\nX:a\nEvil:1\r\n\r\n"),
    PlantedFault(
        "int_digits",
        "server-parse",
        "crash",
        b"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 1" + b"0" * 4400 + b"\r\n\r\n",
    ),
    PlantedFault(
        "long_field",
        "differential",
        "violation",
        b"GET / HTTP/1.1\r\nHost: a\r\nX: " + b"a" * 17000 + b"\r\n\r\n",
    ),
)
