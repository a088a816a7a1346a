"""How the fuzz targets cut an input: the split points come from the input itself.

Theory of operation: ``plan`` seeds a small PRNG with the CRC-32 of the bytes and picks whole,
byte-by-byte or a few random cuts, so every mutation explores a new split while the input file alone
still reproduces the run. (A control header chosen by ``FuzzedDataProvider`` would let libFuzzer steer
the cuts directly, but it would make every seed and every finding a non-HTTP file.) A client-role input
needs a request sent first: ``client_request`` picks it from the input too (a HEAD or CONNECT changes how
the response is framed), and ``parse_role`` says which side a differential input is for; ``ROLE_NEEDS``
says what a target needs to read an input in that role.
"""

from __future__ import annotations

import random
import zlib

from conformance import drive
from conformance.drive import EventSpec
from conformance.targets.capabilities import PARSE_REQUESTS, PARSE_RESPONSES, REQUEST_CONTEXT

BYTEWISE_MAX = 512

# What a target needs to read an input in each role: a server reads requests; a client reads responses
# and must know the request they answer (it sends it, or is told its method through the adapter hook).
ROLE_NEEDS: dict[str, frozenset[str]] = {
    "server": frozenset({PARSE_REQUESTS}),
    "client": frozenset({PARSE_RESPONSES, REQUEST_CONTEXT}),
}


# ------------------------------------------------------------------------------------------------
# Fuzz-chosen splits and client requests

# What a client-role connection sends before it reads the fuzzed responses; GET most of the time, and
# the methods that change response framing (RFC 9112 §6.3 rules 1 and 2) the rest.
CLIENT_REQUESTS: tuple[EventSpec, ...] = (
    drive.DEFAULT_REQUEST,
    drive.DEFAULT_REQUEST,
    drive.DEFAULT_REQUEST,
    drive.DEFAULT_REQUEST,
    drive.DEFAULT_REQUEST,
    ("Request", {"method": b"HEAD", "target": b"/", "headers": [(b"Host", b"a")]}),
    ("Request", {"method": b"HEAD", "target": b"/", "headers": [(b"Host", b"a")]}),
    ("Request", {"method": b"CONNECT", "target": b"a:443", "headers": [(b"Host", b"a:443")]}),
)


def plan(data: bytes, *, allow_whole: bool = True) -> tuple[str, list[bytes]]:
    """The split of ``data`` that this input chooses, and a name that says how to reproduce it.

    The choice is a pure function of the bytes: whole (1 in 8, when ``allow_whole``), byte by byte (1 in 8,
    for inputs up to ``BYTEWISE_MAX`` bytes), else one to eight random cuts.
    """
    digest = zlib.crc32(data)
    mode = digest & 7
    if len(data) < 2 or (allow_whole and mode == 0):
        return "whole", [data]
    if mode == 1 and len(data) <= BYTEWISE_MAX:
        return "bytewise", [data[i : i + 1] for i in range(len(data))]
    rng = random.Random(digest)
    count = min(len(data) - 1, 1 + (digest >> 3) % 8)
    cuts = sorted(rng.sample(range(1, len(data)), count))
    return f"cuts:{','.join(map(str, cuts))}", drive.split_at(data, cuts)


def client_request(data: bytes) -> EventSpec:
    """The request a client-role connection sends before reading ``data`` (chosen by the input)."""
    return CLIENT_REQUESTS[(zlib.crc32(data) >> 8) % len(CLIENT_REQUESTS)]


def offering_upgrade(request: EventSpec) -> EventSpec:
    """``request`` also proposing a protocol upgrade (RFC 9110 §7.8), whatever its method.

    The request the reference assumes for a client that is told only the method (a parse-only adapter's
    hook): such a client cannot tell an unsolicited 101 from an accepted proposal, and the MUST NOT
    switch to an unproposed protocol is the server's (RFC 9110 §15.2.2).
    """
    name, fields = request
    headers = [*fields["headers"], (b"Connection", b"upgrade"), (b"Upgrade", b"h11spec")]
    return (name, {**fields, "headers": headers})


def parse_role(data: bytes) -> str:
    """The role the differential target runs ``data`` in: "client" for a response stream, else "server"."""
    return "client" if data[:5].upper() == b"HTTP/" else "server"
