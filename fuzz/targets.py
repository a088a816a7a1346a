"""The fuzz targets: each is one oracle, stated in one sentence, checked on bytes libFuzzer chooses.

Theory of operation: a target is a ``FuzzTarget(name, oracle, check)``. ``check(api, data)`` runs the
implementation ``api`` (anything exposing the h11 API) on ``data`` and either returns, raises
``OracleViolation`` when the oracle breaks, or lets an unexpected exception of the implementation escape
(that is a crash; libFuzzer and ``run_one`` report it with its traceback). Each check catches exactly the
exception class the h11 contract allows at that point (``RemoteProtocolError`` from ``next_event``,
``LocalProtocolError`` from ``send`` and event constructors) and nothing broader: ``conformance.drive``
classifies whatever the implementation raised, and a crash is re-raised from a second, uncaught run so
the traceback is the implementation's own.

Inputs are plain HTTP bytes, so the seeds are ordinary messages and the structure-aware mutator
(``fuzz.mutator``) and the dictionary work on all four targets:

- ``server-parse``, ``client-parse`` and ``differential`` feed the bytes as they are. The split points
  come from the input too: ``plan`` seeds a small PRNG with the CRC-32 of the bytes and picks whole,
  byte-by-byte or a few random cuts. Every mutation therefore explores a new split while the input file
  alone still reproduces the run. (A control header chosen by ``FuzzedDataProvider`` would let libFuzzer
  steer the cuts directly, but it would make every seed and every finding a non-HTTP file.)
- ``send`` reads the bytes as a loose description of the events to send (see ``events_from_text``):
  the start line, header lines split at the first colon (a bare LF stays inside the value), the body
  and optional trailers. Whatever the implementation puts on the wire is parsed by the reference.

The ``differential`` target compares with the reference (``conformance.reference``; h11 stands in until
the reference is importable). Known, documented differences (``conformance.reference.differences``) are
masked by name, nothing else, and only under the ``h11`` profile (environment variable
``H11SPEC_PROFILE``; the default ``rfc9112`` masks nothing): see ``MASKS`` and ``SEND_MASKS``. Each mask
is as narrow as the difference: a receive mask names the exact event or chunk line the reference
refused, and a send mask repairs the difference's trigger in the events and masks only if the repaired
run then holds. A difference no oracle can observe is listed in ``UNREACHABLE`` with the reason, so
every difference is accounted for exactly once.
"""

from __future__ import annotations

import dataclasses
import functools
import importlib
import os
import random
import re
import traceback
import types
import zlib
from collections.abc import Callable, Sequence
from typing import Any

from conformance import drive
from conformance.drive import EventRecord, EventSpec, Trace, build_event, event_record, feed, merge_data
from conformance.errors import HarnessError
from conformance.verdict import PROFILES

PROFILE_ENV = "H11SPEC_PROFILE"
DEFAULT_PROFILE = "rfc9112"
# Inputs up to this size may be fed byte by byte; longer ones get random cuts (bounded cost per run).
BYTEWISE_MAX = 512


class OracleViolation(AssertionError):
    """The oracle of a fuzz target broke: ``oracle`` is its sentence, ``detail`` what was seen.

    ``kind`` is a short, stable classification of the violation (no input bytes in it), used in the
    finding's signature so that different bugs breaking the same oracle are not folded together.
    """

    def __init__(self, oracle: str, detail: str, *, kind: str = "") -> None:
        super().__init__(f"{oracle} -- {detail}")
        self.oracle = oracle
        self.detail = detail
        self.kind = kind


@dataclasses.dataclass(frozen=True)
class FuzzTarget:
    """One fuzz target: its name, its oracle sentence and the check that enforces it."""

    name: str
    oracle: str
    check: Callable[[Any, bytes], None]


@dataclasses.dataclass(frozen=True)
class FindingInfo:
    """A picklable description of one finding, for triage (see ``run_one``)."""

    target: str
    oracle: str
    exc_type: str  # "OracleViolation" or the implementation's exception type name
    frame: str  # innermost implementation frame "module:function", or "oracle:<kind>" for a violation
    message: str

    @property
    def signature(self) -> tuple[str, str, str]:
        """(oracle, exception type, frame): findings with equal signatures are the same bug."""
        return (self.oracle, self.exc_type, self.frame)


# ------------------------------------------------------------------------------------------------
# The reference and the profile


@functools.cache
def reference_api() -> Any:
    """The reference implementation's namespace: ``conformance.reference``, or h11 until it exists."""
    try:
        module = importlib.import_module("conformance.reference")
    except ImportError:
        module = None
    if module is not None and hasattr(module, "Connection"):
        return module
    return importlib.import_module("h11")


def active_profile() -> str:
    """The grading profile the targets apply: ``$H11SPEC_PROFILE`` or ``rfc9112``.

    Raises:
        HarnessError: the variable names no profile of ``conformance.verdict.PROFILES``.
    """
    profile = os.environ.get(PROFILE_ENV, DEFAULT_PROFILE) or DEFAULT_PROFILE
    if profile not in PROFILES:
        raise HarnessError(f"${PROFILE_ENV}={profile!r} is not a profile; use one of {', '.join(PROFILES)}")
    return profile


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


def parse_role(data: bytes) -> str:
    """The role the differential target runs ``data`` in: "client" for a response stream, else "server"."""
    return "client" if data[:5].upper() == b"HTTP/" else "server"


# ------------------------------------------------------------------------------------------------
# Helpers shared by the parse targets


def _raise_crash(oracle: str, api: Any, role: str, chunks: Sequence[bytes], request: EventSpec) -> None:
    """Run the same feed again without catching anything, so the implementation's crash escapes.

    ``drive.feed`` records exceptions instead of raising them; a crash must reach libFuzzer (and
    ``run_one``) with the implementation's own traceback, so it is reproduced here uncaught.
    Raises:
        OracleViolation: the second run did not crash (the implementation is not deterministic).
    """
    remote = getattr(api, "RemoteProtocolError", ())
    try:
        drive.feed(api, role, chunks, request=request, reraise=True)
    except remote as exc:
        raise OracleViolation(
            oracle,
            f"a crash did not repeat on the same input (second run: RemoteProtocolError {exc})",
            kind="nondeterministic-crash",
        ) from None
    raise OracleViolation(
        oracle,
        "a crash did not repeat on the same input (second run completed)",
        kind="nondeterministic-crash",
    )


_VARIABLE = re.compile(rb"""\bb['"]|bytearray\(|['"(0-9]""")


def message_class(message: str) -> str:
    """An error message cut before its first quoted value, parenthesis or digit: stable across inputs."""
    match = _VARIABLE.search(message.encode("utf-8", "replace"))
    head = message if match is None else message.encode("utf-8", "replace")[: match.start()].decode()
    return head.strip(" :,.")[:60] or "?"


def _outcome_summary(trace: Trace) -> tuple[Any, ...]:
    """What must agree between two splits of one input: outcome, events, error class, final states."""
    error = None if trace.error is None else trace.error[:2]
    final = trace.final if trace.outcome == "accept" else None
    return (trace.outcome, trace.events, error, final)


def _describe(trace: Trace) -> str:
    last = trace.events[-3:]
    error = "" if trace.error is None else f", error {trace.error[0]}({trace.error[2][:120]!r})"
    return f"{trace.outcome} after {len(trace.events)} events (last {last!r}){error}"


def _parse_check(oracle: str, role: str, api: Any, data: bytes) -> None:
    request = client_request(data) if role == "client" else drive.DEFAULT_REQUEST
    name, chunks = plan(data, allow_whole=False)
    whole = feed(api, role, [data], request=request)
    if whole.outcome == "crash":
        _raise_crash(oracle, api, role, [data], request)
    split = feed(api, role, chunks, request=request)
    if split.outcome == "crash":
        _raise_crash(oracle, api, role, chunks, request)
    for variant, trace in (("whole", whole), (name, split)):
        if trace.outcome == "stall":
            raise OracleViolation(
                oracle,
                f"fed {variant} with EOF, next_event still returns NEED_DATA ({_describe(trace)})",
                kind="stall",
            )
    if _outcome_summary(whole) != _outcome_summary(split):
        raise OracleViolation(
            oracle,
            f"whole: {_describe(whole)}; {name}: {_describe(split)}",
            kind=f"split-disagrees:{whole.outcome}/{split.outcome}",
        )


def check_server_parse(api: Any, data: bytes) -> None:
    """Fed to a server in any split, bytes give only events or RemoteProtocolError, never stall after EOF, and every split agrees with the whole.

    The server replies to each complete request (200, Content-Length 0) to read pipelined ones.
    """  # noqa: E501 -- the first line is the oracle sentence, kept whole for reports
    _parse_check(SERVER_PARSE_ORACLE, "server", api, data)


def check_client_parse(api: Any, data: bytes) -> None:
    """Fed to a client after its request in any split, bytes give only events or RemoteProtocolError, never stall after EOF, and every split agrees with the whole.

    The request is GET most of the time, HEAD or CONNECT otherwise, chosen by the input.
    """  # noqa: E501 -- the first line is the oracle sentence, kept whole for reports
    _parse_check(CLIENT_PARSE_ORACLE, "client", api, data)


# ------------------------------------------------------------------------------------------------
# Differential


def _data_prefix(short: EventRecord, long: EventRecord) -> bool:
    return short[0] == long[0] == "Data" and bytes(long[1]).startswith(bytes(short[1]))


def _prefix_of(shorter: Sequence[EventRecord], longer: Sequence[EventRecord]) -> bool:
    """``shorter`` is ``longer``'s beginning (its last Data event may stop early in ``longer``'s)."""
    if len(shorter) > len(longer):
        return False
    for i, event in enumerate(shorter):
        if event != longer[i] and not (i == len(shorter) - 1 and _data_prefix(event, longer[i])):
            return False
    return True


def disagreement(impl: Trace, ref: Trace) -> tuple[str, str] | None:
    """How the implementation's trace breaks the differential oracle against the reference's, if it does.

    The implementation may reject earlier than the reference (stricter is allowed) but everything it
    delivered must be what the reference delivered; where the reference rejects it must not go on; where
    both accept, the events must be equal.

    Returns:
        None, or (kind, detail): a stable classification and a one-line description.
    """
    ref_class = "accept" if ref.error is None else message_class(ref.error[2])
    if impl.outcome == "reject" and _prefix_of(impl.events, ref.events):
        return None
    if impl.outcome == "accept" and ref.outcome == "accept":
        if impl.events == ref.events:
            return None
        return (
            "events-differ",
            f"both accept; implementation: {_describe(impl)}; reference: {_describe(ref)}",
        )
    if not _prefix_of(ref.events, impl.events) or (
        ref.outcome == "accept" and len(impl.events) != len(ref.events)
    ):
        return (
            f"events-differ:{ref_class}",
            f"implementation: {_describe(impl)}; reference: {_describe(ref)}",
        )
    return (
        f"reference-rejects:{ref_class}",
        f"the reference rejects ({ref.error!r}) where the implementation goes on: {_describe(impl)}",
    )


def _ref_stopped_early(impl: Trace, ref: Trace) -> bool:
    """The reference rejected, and everything it delivered before that the implementation delivered too."""
    return ref.outcome == "reject" and _prefix_of(ref.events, impl.events)


def _ref_error_mentions(ref: Trace, *words: str) -> bool:
    message = "" if ref.error is None else ref.error[2].lower()
    return any(word in message for word in words)


def _impl_event_where_ref_stopped(impl: Trace, ref: Trace) -> EventRecord | None:
    """The implementation's event at the place the reference rejected, when everything the reference
    delivered before its rejection the implementation delivered too (the event the reference refused)."""
    if not _ref_stopped_early(impl, ref) or len(impl.events) <= len(ref.events):
        return None
    if ref.events and ref.events[-1] != impl.events[len(ref.events) - 1]:
        return None  # the reference stopped inside a body, not at a message boundary
    return impl.events[len(ref.events)]


def _version_and_headers(record: EventRecord) -> tuple[bytes, Sequence[tuple[bytes, bytes]]] | None:
    if record[0] == "Request":
        return bytes(record[4]), record[3]
    if record[0] in ("Response", "InformationalResponse"):
        return bytes(record[3]), record[2]
    return None


def _mask_cl_te_keepalive(data: bytes, impl: Trace, ref: Trace) -> bool:
    """The reference rejected right after a whole message carrying both Content-Length and
    Transfer-Encoding: it closes after such a message, h11 reads on."""
    if not _ref_stopped_early(impl, ref) or not ref.events or ref.events[-1][0] != "EndOfMessage":
        return False
    heads = [head for head in map(_version_and_headers, ref.events) if head is not None]
    names = {name for name, _ in heads[-1][1]} if heads else set()
    return {b"content-length", b"transfer-encoding"} <= names


def _mask_te_in_http10(data: bytes, impl: Trace, ref: Trace) -> bool:
    """The reference rejected (naming Transfer-Encoding) exactly the head that h11 read as a message below
    HTTP/1.1 with a Transfer-Encoding field."""
    event = _impl_event_where_ref_stopped(impl, ref)
    head = None if event is None else _version_and_headers(event)
    return (
        head is not None
        and head[0] < b"1.1"
        and any(name == b"transfer-encoding" for name, _ in head[1])
        and _ref_error_mentions(ref, "transfer-encoding")
    )


def _reference_refuses_host(value: bytes) -> bool:
    """The reference refuses to build a request whose only Host field has this value."""
    api = reference_api()
    try:
        api.Request(method=b"GET", target=b"/", headers=[(b"Host", value)])
    except api.LocalProtocolError as exc:
        return "host" in str(exc).lower()
    return False


def _mask_host_value_invalid(data: bytes, impl: Trace, ref: Trace) -> bool:
    """The reference rejected, as an invalid Host, exactly the request h11 read with one Host field whose
    value is not uri-host [":" port] (two Host fields, say, are not this difference)."""
    event = _impl_event_where_ref_stopped(impl, ref)
    if event is None or event[0] != "Request" or message_class(_error_message(ref)) != "Invalid Host header":
        return False
    hosts = [value for name, value in event[3] if name == b"host"]
    return len(hosts) == 1 and _reference_refuses_host(hosts[0])


def _error_message(trace: Trace) -> str:
    return "" if trace.error is None else trace.error[2]


# A chunk-size line whose size is well-formed and which has an extension: "1f;ext\r\n" (the line ends at
# the first CRLF, so the extension may hold a bare CR or LF, as h11 reads it). The LF before it is only
# looked at, not consumed, so a line right after chunk data that itself looks like one is still found.
_CHUNK_LINE_WITH_EXT = re.compile(rb"(?<=\n)[0-9A-Fa-f]{1,20};(?:[^\r]|\r(?!\n))*\r\n")


def _mask_chunk_ext_bare_cr(data: bytes, impl: Trace, ref: Trace) -> bool:
    """The reference rejected a chunk-size line whose size is well-formed and whose extension breaks the
    chunk-ext grammar (a bare CR, NUL or other CTL, a bad token...); h11 accepts any extension bytes.

    The line is the one the reference's error quotes (``illegal chunk header: bytearray(b'...')``, perhaps
    cut short by the error record), so a bad chunk *size* (``0x5;a``) is not masked.
    """
    message = _error_message(ref)
    if message_class(message) != "illegal chunk header" or not _ref_stopped_early(impl, ref):
        return False
    quoted = message.partition("(")[2]
    return bool(quoted) and any(
        quoted.startswith(line) or line.startswith(quoted)
        for line in map(repr, _CHUNK_LINE_WITH_EXT.findall(data))
    )


def _mask_size_limit_split_invariant(data: bytes, impl: Trace, ref: Trace) -> bool:
    """The reference refused a head, chunk-size line or trailer section over max_incomplete_event_size
    (431 "Receive buffer too long") that h11 read because it arrived whole in one receive_data.

    Only reachable with inputs over 16 KiB (libFuzzer's -max_len in ``fuzz.entry`` is 4 KiB; replayed or
    imported corpus files may be larger).
    """
    return (
        ref.error is not None
        and ref.error[1] == 431
        and message_class(ref.error[2]) == "Receive buffer too long"
        and _ref_stopped_early(impl, ref)
    )


MASKS: dict[str, Callable[[bytes, Trace, Trace], bool]] = {
    "cl-te-keepalive": _mask_cl_te_keepalive,
    "te-in-http10": _mask_te_in_http10,
    "host-value-invalid": _mask_host_value_invalid,
    "chunk-ext-bare-cr": _mask_chunk_ext_bare_cr,
    "size-limit-split-invariant": _mask_size_limit_split_invariant,
}
"""Differential masks under the ``h11`` profile: difference name -> predicate(data, impl, reference)
that is True when this disagreement is that documented difference. Delete a mask with its difference."""


def masked_by(
    masks: dict[str, Callable[[bytes, Trace, Trace], bool]], data: bytes, impl: Trace, ref: Trace
) -> str | None:
    """The name of the first mask (under the active profile) that explains this disagreement, or None."""
    if active_profile() != "h11":
        return None
    for name, predicate in masks.items():
        if predicate(data, impl, ref):
            return name
    return None


def check_differential(api: Any, data: bytes) -> None:
    """Fed the same bytes in the same split, the implementation rejects where the reference rejects and otherwise delivers the reference's events.

    Requests go to a server, streams starting with "HTTP/" to a client. Known differences are masked
    by name under the h11 profile only.
    """  # noqa: E501 -- the first line is the oracle sentence, kept whole for reports
    role = parse_role(data)
    request = client_request(data) if role == "client" else drive.DEFAULT_REQUEST
    name, chunks = plan(data)
    impl = feed(api, role, chunks, request=request)
    if impl.outcome == "crash":
        _raise_crash(DIFFERENTIAL_ORACLE, api, role, chunks, request)
    if impl.outcome == "stall":
        raise OracleViolation(
            DIFFERENTIAL_ORACLE,
            f"fed {name} with EOF, the implementation stalls: {_describe(impl)}",
            kind="stall",
        )
    ref = feed(reference_api(), role, chunks, request=request)
    if ref.outcome in ("crash", "stall"):
        raise OracleViolation(
            DIFFERENTIAL_ORACLE,
            f"the reference itself fails ({name}): {_describe(ref)}",
            kind=f"reference-{ref.outcome}",
        )
    problem = disagreement(impl, ref)
    if problem is None or masked_by(MASKS, data, impl, ref) is not None:
        return
    kind, detail = problem
    raise OracleViolation(DIFFERENTIAL_ORACLE, f"{role}, {name}: {detail}", kind=kind)


# ------------------------------------------------------------------------------------------------
# Send


@dataclasses.dataclass(frozen=True)
class SendPlan:
    """The events a send run sends, read from the fuzz input by ``events_from_text``."""

    role: str  # role of the implementation under test: "client" sends a request, "server" responses
    events: tuple[EventSpec, ...]
    request: EventSpec  # server role: the request it answers (client role: unused)
    request_wire: bytes = b""  # server role: that request's bytes, read by the implementation first


# Requests a server-role implementation receives before it answers: each is the wire form and the event
# the reference client sends to read the answer. Chosen by the input; all bodiless.
SEND_REQUESTS: tuple[tuple[bytes, EventSpec], ...] = (
    (b"GET / HTTP/1.1\r\nHost: a\r\n\r\n", drive.DEFAULT_REQUEST),
    (b"GET / HTTP/1.1\r\nHost: a\r\n\r\n", drive.DEFAULT_REQUEST),
    (
        b"HEAD / HTTP/1.1\r\nHost: a\r\n\r\n",
        ("Request", {"method": b"HEAD", "target": b"/", "headers": [(b"Host", b"a")]}),
    ),
    (
        b"CONNECT a:443 HTTP/1.1\r\nHost: a:443\r\n\r\n",
        ("Request", {"method": b"CONNECT", "target": b"a:443", "headers": [(b"Host", b"a:443")]}),
    ),
    (
        b"GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n",
        (
            "Request",
            {"method": b"GET", "target": b"/", "headers": [(b"Host", b"a"), (b"Connection", b"close")]},
        ),
    ),
    (
        b"GET /chat HTTP/1.1\r\nHost: a\r\nConnection: upgrade\r\nUpgrade: websocket\r\n\r\n",
        (
            "Request",
            {
                "method": b"GET",
                "target": b"/chat",
                "headers": [(b"Host", b"a"), (b"Connection", b"upgrade"), (b"Upgrade", b"websocket")],
            },
        ),
    ),
)

# Header names whose values a server's send legitimately rewrites (h11-behaviour.md §4.2, "Response
# clean-up"); they are left out when a sent Response is compared with what the reference read.
REWRITTEN = frozenset({b"content-length", b"transfer-encoding", b"connection"})


def _headers(lines: Sequence[bytes]) -> list[tuple[bytes, bytes]]:
    """Field lines split at the first colon; the value loses its surrounding SP/HTAB (OWS), as a reader
    would strip it, so a value with a CR, LF or other byte in the middle is still sent as such."""
    headers = []
    for line in lines:
        name, _, value = line.partition(b":")
        headers.append((name, value.strip(b" \t")))
    return headers


def _head_event(line: bytes, header_lines: Sequence[bytes], role: str) -> EventSpec:
    parts = line.split(b" ", 2)
    headers = _headers(header_lines)
    if role == "client":
        version = parts[2] if len(parts) > 2 else b"HTTP/1.1"
        fields: dict[str, Any] = {
            "method": parts[0],
            "target": parts[1] if len(parts) > 1 else b"",
            "headers": headers,
            "http_version": version[5:] if version[:5].upper() == b"HTTP/" else version,
        }
        return ("Request", fields)
    code = parts[1] if len(parts) > 1 else b""
    status = int(code) if code.isdigit() and len(code) <= 6 else -1
    version = parts[0][5:] if parts[0][:5].upper() == b"HTTP/" else parts[0]
    cls = "InformationalResponse" if 100 <= status < 200 else "Response"
    reason = parts[2] if len(parts) > 2 else b""
    return (cls, {"status_code": status, "headers": headers, "reason": reason, "http_version": version})


def events_from_text(data: bytes) -> SendPlan:
    """Read ``data`` as a loose description of the events to send; nothing here validates anything.

    The format is HTTP/1.1 itself: a start line (a status line makes the implementation a server), header
    lines up to an empty line (split at the first colon; lines end at CRLF only, so a bare CR or LF stays
    inside a name or value), then the body, sent as up to three Data events cut where the input chooses,
    then EndOfMessage. A server reads further heads while the status is 1xx (InformationalResponse). If
    the body holds another empty line, what follows it is the EndOfMessage trailer lines.
    """
    role = "server" if data[:5].upper() == b"HTTP/" else "client"
    digest = zlib.crc32(data)
    request_wire, request = SEND_REQUESTS[digest % len(SEND_REQUESTS)]
    events: list[EventSpec] = []
    rest = data
    while True:
        head, blank, rest = rest.partition(b"\r\n\r\n")
        lines = head.split(b"\r\n")
        event = _head_event(lines[0], lines[1:], role)
        events.append(event)
        if not blank:
            return SendPlan(role, tuple(events), request, request_wire)
        if event[0] != "InformationalResponse":
            break
    body, blank, trailer = rest.partition(b"\r\n\r\n")
    rng = random.Random(digest)
    cuts = sorted(rng.sample(range(1, len(body)), min(2, len(body) - 1))) if len(body) > 1 else []
    events.extend(("Data", {"data": piece}) for piece in drive.split_at(body, cuts) if piece)
    trailers = _headers([line for line in trailer.split(b"\r\n") if line]) if blank else []
    events.append(("EndOfMessage", {"headers": trailers}))
    return SendPlan(role, tuple(events), request, request_wire)


def _comparable(record: EventRecord) -> EventRecord:
    """A record with what the writer may legitimately change normalised away."""
    kind = record[0]
    if kind == "Request":
        return (*record[:3], _host_first(record[3]), record[4])
    if kind in ("Response", "InformationalResponse"):
        headers = tuple(h for h in _host_first(record[2]) if h[0] not in REWRITTEN)
        return (kind, record[1], headers, *record[3:])
    if kind == "EndOfMessage":
        return (kind, _host_first(record[1]))
    return record


def _host_first(headers: Sequence[tuple[bytes, bytes]]) -> tuple[tuple[bytes, bytes], ...]:
    """Fields in the order a writer puts them: every Host first (h11-behaviour.md §4.2), the rest as given."""
    return tuple(sorted(headers, key=lambda h: h[0] != b"host"))


def _receive_request(api: Any, wire: bytes) -> Any:
    """A server Connection of ``api`` that has read the request ``wire`` (a valid, bodiless request)."""
    conn = api.Connection(api.SERVER)
    conn.receive_data(wire)
    remote = getattr(api, "RemoteProtocolError", ())
    try:
        while type(conn.next_event()).__name__ != "EndOfMessage":
            pass
    except remote as exc:
        raise OracleViolation(
            SEND_ORACLE, f"the server rejects a valid request {wire!r}: {exc}", kind="rejects-valid-request"
        ) from None
    return conn


@dataclasses.dataclass(frozen=True)
class SendRun:
    """What sending one plan did: the events sent, the bytes written and the reference's parse of them."""

    sent: tuple[EventRecord, ...]  # records of the events send() took, in order
    wire: bytes
    complete: bool  # every event of the plan was sent (so the reference reads to EOF)
    parsed: Trace  # the reference peer reading ``wire``


def _send_run(api: Any, plan_: SendPlan) -> SendRun:
    """Send ``plan_``'s events through a fresh Connection of ``api`` and let the reference read the wire.

    Raises:
        OracleViolation: a server-role implementation rejects the valid request it is given first.
    """
    local = api.LocalProtocolError
    conn = _receive_request(api, plan_.request_wire) if plan_.role == "server" else api.Connection(api.CLIENT)
    sent: list[EventRecord] = []
    wire = bytearray()
    complete = plan_.events[-1][0] == "EndOfMessage"  # else the input stopped inside a head
    for spec in plan_.events:
        try:
            event = build_event(api, spec)
            out = conn.send(event)
        except local:
            complete = False
            break
        sent.append(event_record(event))
        if out:
            wire += out
    peer = "server" if plan_.role == "client" else "client"
    parsed = feed(reference_api(), peer, [bytes(wire)], eof=complete, reply=False, request=plan_.request)
    return SendRun(tuple(sent), bytes(wire), complete, parsed)


def _send_problem(plan_: SendPlan, run: SendRun) -> tuple[str, str] | None:
    """How ``run`` breaks the send oracle, if it does.

    Returns:
        None, or (kind, detail): a stable classification and a one-line description.
    """
    parsed = run.parsed
    expected = tuple(_comparable(r) for r in merge_data(run.sent, chunks=False))
    got = tuple(_comparable(r) for r in merge_data(parsed.events, chunks=False) if r[0] != "ConnectionClosed")
    leftover = b"" if parsed.final is None or parsed.final.trailing is None else parsed.final.trailing[0]
    # A send that failed on EndOfMessage may still have put a complete message on the wire (a 204, or a
    # Content-Length body sent in full): the reader then ends it itself.
    ends_itself = not run.complete and got == (*expected, ("EndOfMessage", ()))
    if parsed.outcome == "accept" and (got == expected or ends_itself) and not leftover:
        return None
    if parsed.outcome in ("crash", "stall"):
        kind = f"reference-{parsed.outcome}"
    elif parsed.outcome == "reject":
        kind = f"reference-rejects:{message_class(_error_message(parsed))}"
    else:
        kind = "leftover-bytes" if got == expected else "events-differ"
    return (
        kind,
        f"{plan_.role} sent {expected!r} as {run.wire!r}; the reference read {_describe(parsed)}"
        + (f", left {leftover!r} unread" if leftover else ""),
    )


def _reference_refuses(spec: EventSpec, word: str) -> bool:
    """The reference refuses to build the event ``spec`` with a LocalProtocolError that names ``word``."""
    api = reference_api()
    try:
        build_event(api, spec)
    except api.LocalProtocolError as exc:
        return word in str(exc).lower()
    except Exception:  # a spec the reference cannot build for another reason (a wrong field type)
        return False
    return False


def _repaired(plan_: SendPlan, repair: Callable[[EventSpec], EventSpec | None]) -> SendPlan | None:
    """``plan_`` with every event ``repair`` rewrites replaced, or None when it rewrites none."""
    events = [repair(spec) for spec in plan_.events]
    if all(new is None for new in events):
        return None
    fixed = tuple(spec if new is None else new for spec, new in zip(plan_.events, events, strict=True))
    return dataclasses.replace(plan_, events=fixed)


def _explained_by(api: Any, plan_: SendPlan, repair: Callable[[EventSpec], EventSpec | None]) -> bool:
    """The difference's trigger is in ``plan_`` (``repair`` rewrites some event), and the same plan with it
    repaired satisfies the send oracle: so the trigger, and nothing else, made the run fail."""
    fixed = _repaired(plan_, repair)
    return fixed is not None and _send_problem(fixed, _send_run(api, fixed)) is None


def _repair_reason(spec: EventSpec) -> EventSpec | None:
    """A response whose reason phrase the reference refuses (a CTL other than HTAB), with each CTL as SP."""
    if spec[0] not in ("Response", "InformationalResponse") or not _reference_refuses(spec, "reason"):
        return None
    reason = bytes(b if (b >= 0x20 and b != 0x7F) or b == 0x09 else 0x20 for b in bytes(spec[1]["reason"]))
    return (spec[0], {**spec[1], "reason": reason})


def _repair_host(spec: EventSpec) -> EventSpec | None:
    """A request whose one Host value the reference refuses (not uri-host [":" port]), with Host "a"."""
    if spec[0] != "Request" or not _reference_refuses(spec, "invalid host"):
        return None
    headers = [
        (name, b"a" if name.strip().lower() == b"host" else value) for name, value in spec[1]["headers"]
    ]
    return (spec[0], {**spec[1], "headers": headers})


def _mask_reason_injection(api: Any, plan_: SendPlan, run: SendRun) -> bool:
    """A reason phrase with CR, LF or another CTL: h11 writes it raw, the reference refuses it; masked
    only when the same events with those bytes sent as SP satisfy the oracle."""
    return _explained_by(api, plan_, _repair_reason)


def _mask_send_host_invalid(api: Any, plan_: SendPlan, run: SendRun) -> bool:
    """A Host value that is not uri-host [":" port]: h11 sends it, the reference server rejects it; masked
    only when the reference rejected it as an invalid Host and the same request with Host "a" satisfies
    the oracle."""
    return message_class(_error_message(run.parsed)) == "Invalid Host header" and _explained_by(
        api, plan_, _repair_host
    )


SEND_MASKS: dict[str, Callable[[Any, SendPlan, SendRun], bool]] = {
    "reason-phrase-injection": _mask_reason_injection,
    "host-value-invalid": _mask_send_host_invalid,
}
"""Send masks under the ``h11`` profile: difference name -> predicate(api, plan, run) that is True when
this mismatch is that documented difference. Each repairs the difference's trigger in the plan and
masks only if the repaired plan then satisfies the oracle (a counterfactual: nothing else went wrong)."""


UNREACHABLE: dict[str, str] = {
    "chunk-ext-bws": (
        "h11 is the stricter side (it rejects BWS before ';' that the reference reads), and the differential"
        " oracle lets an implementation reject earlier than the reference; no target sends chunk extensions"
    ),
    "te-chunked-not-final": (
        "only error_status_hint differs (501 in h11, 400 in the reference): both reject the same head, and"
        " no oracle compares status hints"
    ),
    "upgrade-in-http10": (
        "h11's proposal changes only its state: the driver answers the request with a 200, which denies"
        " it, so both deliver the same events; h11 never sends an HTTP/1.0 request"
    ),
    "request-when-server-not-idle": (
        "no target gives a server a Request while it is not IDLE: the driver answers each request and"
        " starts the next cycle before reading on, and the send target sends one request (the model"
        " checker's event scripts reach it)"
    ),
    "send-cl-with-te": (
        "the reference reads what h11 writes as the events sent: a request by its Transfer-Encoding with"
        " both fields delivered, 1xx, 304 and HEAD answers as bodiless, and response framing fields are"
        " left out of the comparison (REWRITTEN)"
    ),
    "send-framing-on-1xx-204": (
        "the reference client reads a 1xx or 204 as bodiless whatever framing it carries, and response"
        " framing fields are left out of the comparison (REWRITTEN)"
    ),
    "send-framing-on-connect-2xx": (
        "the reference client opens the tunnel at a 2xx to CONNECT whatever framing it carries, and"
        " response framing fields are left out of the comparison (REWRITTEN)"
    ),
    "send-101-without-upgrade": (
        "the reference client switches on a 101 without Upgrade (the MUST binds the sender only), so the"
        " wire parses to the events sent"
    ),
    "send-framing-trailer": (
        "the reference reader delivers Content-Length, Transfer-Encoding and Host trailers as sent (h11"
        " behaviour kept on receipt, see differences.py), so the wire parses to the events sent"
    ),
}
"""Documented differences no fuzz target can observe, each with the reason: difference name -> one line.

Every name of ``conformance.reference.differences.DIFFERENCES`` is in exactly one of ``MASKS``,
``SEND_MASKS`` and this table (a test holds it), so a new difference cannot be forgotten here: it gets a
mask, or a reason why no oracle sees it (tests/fuzz/test_targets.py shows each witness input passing)."""


def check_send(api: Any, data: bytes) -> None:
    """Events sent through send() raise nothing but LocalProtocolError, and what reaches the wire parses, in the reference, to exactly the events that were sent.

    The input is read by ``events_from_text``; a server first reads one of ``SEND_REQUESTS``.
    """  # noqa: E501 -- the first line is the oracle sentence, kept whole for reports
    plan_ = events_from_text(data)
    run = _send_run(api, plan_)
    problem = _send_problem(plan_, run)
    if problem is None or masked_by_send(api, plan_, run) is not None:
        return
    kind, detail = problem
    raise OracleViolation(SEND_ORACLE, detail, kind=kind)


def masked_by_send(api: Any, plan_: SendPlan, run: SendRun) -> str | None:
    """The name of the first send mask (under the active profile) that explains this mismatch, or None."""
    if active_profile() != "h11":
        return None
    for name, predicate in SEND_MASKS.items():
        if predicate(api, plan_, run):
            return name
    return None


# ------------------------------------------------------------------------------------------------
# The table, and running one input for executors and replay


def _oracle(check: Callable[..., None]) -> str:
    return (check.__doc__ or "").strip().splitlines()[0]


SERVER_PARSE_ORACLE = _oracle(check_server_parse)
CLIENT_PARSE_ORACLE = _oracle(check_client_parse)
DIFFERENTIAL_ORACLE = _oracle(check_differential)
SEND_ORACLE = _oracle(check_send)

TARGETS: dict[str, FuzzTarget] = {
    "server-parse": FuzzTarget("server-parse", SERVER_PARSE_ORACLE, check_server_parse),
    "client-parse": FuzzTarget("client-parse", CLIENT_PARSE_ORACLE, check_client_parse),
    "send": FuzzTarget("send", SEND_ORACLE, check_send),
    "differential": FuzzTarget("differential", DIFFERENTIAL_ORACLE, check_differential),
}

_HARNESS_MODULES = ("fuzz.", "conformance.drive", "conformance.targets.load")


def _api_package(api: Any) -> str:
    """The top-level package the implementation ``api`` comes from (a module, an adapter class or object)."""
    if isinstance(api, types.ModuleType):
        name = api.__name__
    elif isinstance(api, type):
        name = api.__module__
    else:
        name = type(api).__module__
    return name.split(".")[0]


def innermost_frame(exc: BaseException, api: Any) -> str:
    """The innermost frame of ``exc``'s traceback inside the implementation, as "module:function".

    Frames of the harness (fuzz, conformance.drive) are skipped; among the rest the innermost one in the
    implementation's own top-level package wins, else the innermost one at all.
    """
    package = _api_package(api)
    frames = [
        (frame.f_globals.get("__name__", "?"), frame.f_code.co_name)
        for frame, _ in traceback.walk_tb(exc.__traceback__)
    ]
    candidates = [f for f in frames if not str(f[0]).startswith(_HARNESS_MODULES)] or frames
    own = [f for f in candidates if str(f[0]).split(".")[0] == package]
    module, function = (own or candidates or [("?", "?")])[-1]
    return f"{module}:{function}"


def run_one(api: Any, arg: tuple[str, bytes]) -> FindingInfo | None:
    """Run target ``arg[0]`` on input ``arg[1]``; module-level so executors can call it in workers.

    Returns:
        None when the oracle holds, else a ``FindingInfo`` (an oracle violation or a crash).
    Raises:
        HarnessError: no target has that name.
    """
    name, data = arg
    target = TARGETS.get(name)
    if target is None:
        raise HarnessError(f"unknown fuzz target {name!r}; known: {', '.join(TARGETS)}")
    try:
        target.check(api, data)
    except OracleViolation as violation:
        return FindingInfo(
            name, violation.oracle, "OracleViolation", f"oracle:{violation.kind}", violation.detail
        )
    except Exception as exc:  # any other exception of the implementation is the crash being reported
        message = str(exc).splitlines()[0][:300] if str(exc) else ""
        return FindingInfo(name, target.oracle, type(exc).__name__, innermost_frame(exc, api), message)
    return None
