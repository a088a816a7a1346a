"""Masks: the documented differences the fuzz targets do not report under the ``h11`` profile.

Theory of operation: under the ``h11`` profile (and only there) a finding that a documented difference
of ``conformance.reference.differences`` explains is masked by name, nothing else. Each receive mask
(``MASKS``) is as narrow as the difference: it names the exact event or chunk line the reference
refused. A send mask (``SEND_MASKS``) repairs the difference's trigger in the events and masks only if
the repaired run then holds. A difference no oracle can observe is listed in ``UNREACHABLE`` with the
reason, so every difference is accounted for exactly once (a test enforces it).
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Sequence
from typing import Any

from conformance.drive import (
    EventRecord,
    EventSpec,
    Trace,
    build_event,
    message_class,
)
from conformance.targets.load import reference_api
from fuzz.oracle import active_profile
from fuzz.sending import SendRun, send_problem, send_run
from fuzz.sendtext import SendPlan
from fuzz.traces import error_message, prefix_of


def _ref_stopped_early(impl: Trace, ref: Trace) -> bool:
    """The reference rejected, and everything it delivered before that the implementation delivered too."""
    return ref.outcome == "reject" and prefix_of(ref.events, impl.events)


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
    if event is None or event[0] != "Request" or message_class(error_message(ref)) != "Invalid Host header":
        return False
    hosts = [value for name, value in event[3] if name == b"host"]
    return len(hosts) == 1 and _reference_refuses_host(hosts[0])


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
    message = error_message(ref)
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

    Reachable with inputs over 16 KiB (libFuzzer's -max_len in ``fuzz.entry`` is 64 KiB; replayed or
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
    return fixed is not None and send_problem(fixed, send_run(api, fixed)) is None


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
    return message_class(error_message(run.parsed)) == "Invalid Host header" and _explained_by(
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


def masked_by_send(api: Any, plan_: SendPlan, run: SendRun) -> str | None:
    """The name of the first send mask (under the active profile) that explains this mismatch, or None."""
    if active_profile() != "h11":
        return None
    for name, predicate in SEND_MASKS.items():
        if predicate(api, plan_, run):
            return name
    return None
