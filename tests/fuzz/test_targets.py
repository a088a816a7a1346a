"""fuzz.targets: every oracle holds on the reference and breaks on an implementation planted with its bug.

Each planted fault below is a thin wrapper over the reference with exactly one bug, named after the
oracle it breaks; the tests call the targets' ``check`` directly (and ``run_one``), no libFuzzer.
"""

from __future__ import annotations

import hashlib
import re
import subprocess
import sys
import types
from pathlib import Path
from typing import Any

import h11
import pytest

import conformance.reference as REF
from conformance import drive
from fuzz import checks, oracle, sending
from fuzz.corpus import SEEDS_DIR
from fuzz.export import known_difference
from fuzz.oracle import OracleViolation
from fuzz.sendtext import events_from_text
from fuzz.splits import plan
from fuzz.targets import TARGETS, run_one
from tests.faults.fuzz import cl_last_wins

ROOT = Path(__file__).resolve().parents[2]

SEEDS = SEEDS_DIR
GET = b"GET / HTTP/1.1\r\nHost: a\r\n\r\n"
POST = b"POST /x HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nhello"
RESPONSE = b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello"


def _api(connection: type, **names: Any) -> types.SimpleNamespace:
    """The reference's namespace with ``Connection`` (and any other names) replaced."""
    api = types.SimpleNamespace(**{name: getattr(REF, name) for name in REF.__all__})
    api.Connection = connection
    for name, value in names.items():
        setattr(api, name, value)
    return api


# ------------------------------------------------------------------------------------------------
# Planted faults


class _CrashOnEmptyName(REF.Connection):  # type: ignore[misc]
    """next_event raises IndexError once a header line with an empty name has arrived."""

    def receive_data(self, data: bytes) -> None:
        self._seen = getattr(self, "_seen", b"") + bytes(data)
        super().receive_data(data)

    def next_event(self) -> Any:
        if b"\n:" in getattr(self, "_seen", b""):
            return [][0]
        return super().next_event()


class _StallAtEof(REF.Connection):  # type: ignore[misc]
    """After EOF, next_event answers NEED_DATA instead of ending the stream."""

    def receive_data(self, data: bytes) -> None:
        self._eof = not data
        super().receive_data(data)

    def next_event(self) -> Any:
        if getattr(self, "_eof", False):
            return REF.NEED_DATA
        return super().next_event()


class _LosesSplitBytes(REF.Connection):  # type: ignore[misc]
    """Every receive_data call after the first drops its first byte (so splits differ from the whole)."""

    def receive_data(self, data: bytes) -> None:
        calls = getattr(self, "_calls", 0)
        self._calls = calls + 1
        super().receive_data(data[1:] if calls and data else data)


class _UppercaseTarget(REF.Connection):  # type: ignore[misc]
    """Delivers the request target uppercased: both accept, the events differ."""

    def next_event(self) -> Any:
        event = super().next_event()
        if type(event).__name__ == "Request":
            return REF.Request(method=event.method, target=bytes(event.target).upper(), headers=event.headers)
        return event


class _CrashOn204(REF.Connection):  # type: ignore[misc]
    """A client whose next_event raises KeyError on a 204 status line."""

    def receive_data(self, data: bytes) -> None:
        self._seen = getattr(self, "_seen", b"") + bytes(data)
        super().receive_data(data)

    def next_event(self) -> Any:
        if b" 204 " in getattr(self, "_seen", b""):
            raise KeyError("204")
        return super().next_event()


class _InjectsHeader(REF.Connection):  # type: ignore[misc]
    """send writes an extra header line after the start line of every request or response."""

    def send(self, event: Any) -> Any:
        data = super().send(event)
        if data and type(event).__name__ in ("Request", "Response"):
            line_end = bytes(data).index(b"\r\n") + 2
            return bytes(data)[:line_end] + b"X-Injected: 1\r\n" + bytes(data)[line_end:]
        return data


class _TrailingGarbage(REF.Connection):  # type: ignore[misc]
    """send of EndOfMessage appends a second, unrequested message."""

    def send(self, event: Any) -> Any:
        data = super().send(event)
        if type(event).__name__ == "EndOfMessage":
            return bytes(data or b"") + b"GET /smuggled HTTP/1.1\r\nHost: a\r\n\r\n"
        return data


class _SendTypeError(REF.Connection):  # type: ignore[misc]
    """send raises TypeError (not LocalProtocolError) for Data events."""

    def send(self, event: Any) -> Any:
        if type(event).__name__ == "Data":
            raise TypeError("no Data today")
        return super().send(event)


# ------------------------------------------------------------------------------------------------
# The oracles hold on the reference


@pytest.mark.parametrize("name", sorted(TARGETS))
def test_seeds_hold_every_oracle_on_the_reference(name: str) -> None:
    """Every seed of a target satisfies that target's oracle on the reference."""
    files = sorted((SEEDS / name).iterdir())
    assert len(files) >= 12
    for path in files:
        assert run_one(REF, (name, path.read_bytes())) is None, path.name


def test_seed_files_are_named_by_content_hash() -> None:
    """Every seed file is named by the first 16 hex digits of its SHA-256."""
    for path in SEEDS.glob("*/*"):
        assert path.name == hashlib.sha256(path.read_bytes()).hexdigest()[:16]


def test_oracle_sentences_are_the_check_docstrings() -> None:
    """Each target's oracle is one sentence, the first line of its check's docstring."""
    for target in TARGETS.values():
        assert target.oracle == (target.check.__doc__ or "").splitlines()[0]
        assert target.oracle.endswith(".")
        assert target.oracle.count(". ") == 0


# ------------------------------------------------------------------------------------------------
# server-parse and client-parse


def test_server_parse_lets_a_crash_escape_and_run_one_names_the_frame() -> None:
    """An exception other than RemoteProtocolError escapes server-parse and becomes a crash finding."""
    api = _api(_CrashOnEmptyName)
    data = b"GET / HTTP/1.1\r\nHost: a\r\n: empty\r\n\r\n"
    with pytest.raises(IndexError):
        TARGETS["server-parse"].check(api, data)
    finding = run_one(api, ("server-parse", data))
    assert finding is not None
    assert finding.exc_type == "IndexError"
    assert finding.frame.endswith(":next_event")
    assert finding.frame.startswith("tests.")
    assert run_one(REF, ("server-parse", data)) is None


def test_server_parse_flags_need_data_forever_after_eof() -> None:
    """A server that keeps answering NEED_DATA after EOF breaks the no-stall oracle."""
    with pytest.raises(OracleViolation) as info:
        TARGETS["server-parse"].check(_api(_StallAtEof), POST)
    assert info.value.kind == "stall"


def test_server_parse_flags_split_feeding_that_disagrees_with_whole() -> None:
    """A server whose events depend on how the bytes were cut breaks the split oracle."""
    with pytest.raises(OracleViolation) as info:
        TARGETS["server-parse"].check(_api(_LosesSplitBytes), POST + GET)
    assert info.value.kind.startswith("split-disagrees")


def test_client_parse_lets_a_crash_escape() -> None:
    """A client raising KeyError on a response breaks client-parse's only-RemoteProtocolError oracle."""
    data = b"HTTP/1.1 204 No Content\r\n\r\n"
    with pytest.raises(KeyError):
        TARGETS["client-parse"].check(_api(_CrashOn204), data)
    assert run_one(REF, ("client-parse", data)) is None


def test_client_parse_flags_a_stall() -> None:
    """A client that answers NEED_DATA after EOF breaks client-parse's no-stall oracle."""
    with pytest.raises(OracleViolation) as info:
        TARGETS["client-parse"].check(_api(_StallAtEof), RESPONSE)
    assert info.value.kind == "stall"


def test_client_parse_flags_split_disagreement() -> None:
    """A client whose events depend on the cut breaks client-parse's split oracle."""
    with pytest.raises(OracleViolation):
        TARGETS["client-parse"].check(_api(_LosesSplitBytes), RESPONSE + RESPONSE)


def test_plan_is_a_deterministic_split_of_the_input() -> None:
    """plan() is a pure function of the bytes, its pieces join to them, and all three modes occur."""
    modes = set()
    for i in range(200):
        data = GET + str(i).encode()
        name, pieces = plan(data)
        assert b"".join(pieces) == data
        assert plan(data) == (name, pieces)
        modes.add(name.split(":")[0])
        assert plan(data, allow_whole=False)[0] != "whole"
    assert modes == {"whole", "bytewise", "cuts"}


# ------------------------------------------------------------------------------------------------
# differential


def test_differential_finds_the_last_content_length_wins_fault() -> None:
    """Accepting two different Content-Length values breaks the differential oracle."""
    data = b"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nContent-Length: 3\r\n\r\nabc"
    with pytest.raises(OracleViolation) as info:
        TARGETS["differential"].check(cl_last_wins, data)
    assert info.value.kind.startswith("reference-rejects")
    assert run_one(REF, ("differential", data)) is None


def test_differential_flags_different_events_when_both_accept() -> None:
    """Delivering another request target than the reference's breaks the differential oracle."""
    with pytest.raises(OracleViolation) as info:
        TARGETS["differential"].check(_api(_UppercaseTarget), b"GET /abc HTTP/1.1\r\nHost: a\r\n\r\n")
    assert info.value.kind.startswith("events-differ")


def test_differential_flags_a_stall_and_lets_a_crash_escape() -> None:
    """Stalling after EOF is a differential violation; a non-contract exception escapes."""
    with pytest.raises(OracleViolation):
        TARGETS["differential"].check(_api(_StallAtEof), GET)
    with pytest.raises(IndexError):
        TARGETS["differential"].check(_api(_CrashOnEmptyName), b"GET / HTTP/1.1\r\n: x\r\n\r\n")


def test_differential_allows_a_stricter_implementation() -> None:
    """Rejecting what the reference accepts, after the same events, is not a differential violation."""
    strict = drive.feed(REF, "server", [b"GET / HTTP/1.1\r\nHost: a\r\n\r\n\x00"])
    lenient = drive.feed(REF, "server", [GET])
    assert strict.outcome == "reject"
    assert lenient.outcome == "accept"
    assert checks.disagreement(strict, lenient) is None
    assert checks.disagreement(lenient, strict) is not None


BIG_HEAD = b"GET / HTTP/1.1\r\nHost: a\r\nX-Big: " + b"a" * 17_000 + b"\r\n\r\n"

# A known difference between h11 and the reference, one input each.
KNOWN = {
    "te-in-http10": b"POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
    "host-value-invalid": b"GET / HTTP/1.1\r\nHost: a b\r\n\r\n",
    "chunk-ext-bare-cr": (
        b"POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n1;a\rb\r\nx\r\n0\r\n\r\n"
    ),
    "cl-te-keepalive": (
        b"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"
        + GET
    ),
    # A 17 kB head: h11 reads it because it arrives whole (this input's plan is "whole"), the reference
    # refuses it by size.
    "size-limit-split-invariant": BIG_HEAD,
}


@pytest.mark.parametrize("name", sorted(KNOWN))
def test_differences_are_findings_under_rfc9112_only(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """A documented difference is a violation under rfc9112, none under h11 (the reference modelling
    h11), and the export names it: the one switch that makes the reference agree."""
    data = KNOWN[name]
    assert plan(data)[0] == "whole" or name != "size-limit-split-invariant"
    monkeypatch.setenv("H11SPEC_PROFILE", "rfc9112")
    with pytest.raises(OracleViolation):
        TARGETS["differential"].check(h11, data)
    monkeypatch.setenv("H11SPEC_PROFILE", "h11")
    TARGETS["differential"].check(h11, data)
    assert known_difference(h11, ("differential", data)) == name


def test_known_difference_is_none_for_an_agreement_or_an_undocumented_bug() -> None:
    """The export names no difference when the reference agrees, or when no single switch explains it."""
    assert known_difference(h11, ("differential", GET)) is None
    bug = b"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nContent-Length: 3\r\n\r\nabc"
    assert known_difference(cl_last_wins, ("differential", bug)) is None


def test_the_h11_profile_does_not_hide_an_undocumented_bug(monkeypatch: pytest.MonkeyPatch) -> None:
    """Under the h11 profile the last-Content-Length-wins fault is still a differential violation."""
    monkeypatch.setenv("H11SPEC_PROFILE", "h11")
    with pytest.raises(OracleViolation):
        TARGETS["differential"].check(
            cl_last_wins, b"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nContent-Length: 3\r\n\r\nabc"
        )


def test_a_bad_profile_is_a_harness_error(monkeypatch: pytest.MonkeyPatch) -> None:
    """An unknown $H11SPEC_PROFILE is reported, not silently treated as rfc9112."""
    monkeypatch.setenv("H11SPEC_PROFILE", "lenient")
    with pytest.raises(TypeError, match="H11SPEC_PROFILE"):
        oracle.active_profile()


# ------------------------------------------------------------------------------------------------
# send


def test_events_from_text_reads_heads_body_and_trailers() -> None:
    """The send input format: 1xx heads, a final head, Data pieces, trailers after a blank line."""
    plan_ = events_from_text(
        b"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nX-A: 1\r\n\r\nhello world\r\n\r\nX-Sum: 2"
    )
    kinds = [spec[0] for spec in plan_.events]
    assert plan_.role == "server"
    assert kinds[:2] == ["InformationalResponse", "Response"]
    assert kinds[-1] == "EndOfMessage"
    assert b"".join(spec[1]["data"] for spec in plan_.events if spec[0] == "Data") == b"hello world"
    assert plan_.events[-1][1]["headers"] == [(b"X-Sum", b"2")]
    request = events_from_text(b"GET /x HTTP/1.1\r\nHost: a\r\nX: a\nb\r\n\r\n")
    assert request.role == "client"
    assert request.events[0][1]["headers"][1] == (b"X", b"a\nb")  # a bare LF stays in the value


def test_send_flags_an_injected_header() -> None:
    """A send that writes a header line the event did not have breaks the send oracle."""
    for data in (b"GET / HTTP/1.1\r\nHost: a\r\n\r\n", b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"):
        with pytest.raises(OracleViolation) as info:
            TARGETS["send"].check(_api(_InjectsHeader), data)
        assert info.value.kind == "events-differ"
        assert run_one(REF, ("send", data)) is None


def test_send_flags_bytes_after_the_message() -> None:
    """A send that puts a second message on the wire breaks the send oracle (nothing injected)."""
    with pytest.raises(OracleViolation):
        TARGETS["send"].check(_api(_TrailingGarbage), POST)


def test_send_lets_a_non_local_protocol_error_escape() -> None:
    """An exception other than LocalProtocolError from send() escapes as a crash."""
    with pytest.raises(TypeError, match="no Data today"):
        TARGETS["send"].check(_api(_SendTypeError), POST)
    assert run_one(_api(_SendTypeError), ("send", POST)) is not None


def test_send_accepts_local_protocol_errors() -> None:
    """A send refused with LocalProtocolError (a request without Host) satisfies the oracle."""
    assert run_one(REF, ("send", b"GET / HTTP/1.1\r\nUser-Agent: x\r\n\r\n")) is None


def test_run_one_rejects_an_unknown_target() -> None:
    """run_one with a target name that does not exist is a harness error."""
    with pytest.raises(TypeError, match="unknown fuzz target"):
        run_one(REF, ("no-such-target", b""))


def test_send_holds_for_unfinished_messages_and_host_first_writers() -> None:
    """An input ending inside a head, or fields the writer puts Host-first, satisfy the send oracle."""
    for data in (
        b"HTTP/1.1 500 Oops\r\nX: 1\r\n",
        b"HTTP/1.1 404 No\r\nX: 1\r\nHost: a\r\nContent-Length: 2\r\n\r\nno",
        b"POST / HTTP/1.1\r\nX: 1\r\nHost: a\r\nContent-Length: 2\r\n\r\nno",
    ):
        assert run_one(REF, ("send", data)) is None, data


def test_te_in_http10_covers_every_version_below_1_1(monkeypatch: pytest.MonkeyPatch) -> None:
    """An HTTP/0.9 request with Transfer-Encoding is te-in-http10 too: no violation under the h11 profile."""
    data = b"GET / HTTP/0.9\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"
    monkeypatch.setenv("H11SPEC_PROFILE", "h11")
    TARGETS["differential"].check(h11, data)
    assert known_difference(h11, ("differential", data)) == "te-in-http10"


def test_message_class_drops_the_variable_part() -> None:
    """The violation kind keeps an error message's words and drops quoted bytes, numbers and reprs."""
    assert drive.message_class("Invalid Host header b'a b'") == "Invalid Host header"
    assert drive.message_class("illegal chunk header: bytearray(b'5;')") == "illegal chunk header"
    assert drive.message_class("body ended (received 6 bytes)") == "body ended"


SEND_KNOWN = {
    "reason-phrase-injection": b"HTTP/1.1 200 OK\nX-Injected: 1\r\nContent-Length: 0\r\n\r\n",
    "host-value-invalid": b"GET / HTTP/1.1\r\nHost: a b\r\n\r\n",
}


@pytest.mark.parametrize("name", sorted(SEND_KNOWN))
def test_send_differences_are_findings_under_rfc9112_only(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """h11 sending what a documented difference allows breaks send under rfc9112, and not under h11."""
    data = SEND_KNOWN[name]
    monkeypatch.setenv("H11SPEC_PROFILE", "rfc9112")
    with pytest.raises(OracleViolation):
        TARGETS["send"].check(h11, data)
    monkeypatch.setenv("H11SPEC_PROFILE", "h11")
    TARGETS["send"].check(h11, data)
    assert run_one(REF, ("send", data)) is None  # the reference refuses to build the event: no violation


# ------------------------------------------------------------------------------------------------
# Differences the fuzz oracles do not see even under rfc9112

# Difference -> (fuzz target, an input on which h11 really shows the difference). Sending: the reference
# refuses an event h11 sends. Receiving: the two traces differ, or (upgrade) the states after it do.
UNREACHABLE_WITNESSES: dict[str, tuple[str, bytes]] = {
    "chunk-ext-bws": (
        "differential",
        b"POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n1 ;a\r\nx\r\n0\r\n\r\n",
    ),
    "te-chunked-not-final": (
        "differential",
        b"POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked, gzip\r\n\r\n0\r\n\r\n",
    ),
    "upgrade-in-http10": (
        "differential",
        b"GET / HTTP/1.0\r\nConnection: upgrade\r\nUpgrade: websocket\r\n\r\n" + GET,
    ),
    "send-cl-with-te": (
        "send",
        b"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\nhello",
    ),
    "send-framing-on-1xx-204": (
        "send",
        b"HTTP/1.1 103 Early Hints\r\nContent-Length: 5\r\n\r\n"
        b"HTTP/1.1 204 No Content\r\nContent-Length: 5\r\n\r\n",
    ),
    "send-framing-on-connect-2xx": ("send", b"HTTP/1.1 200 OK\r\nX-N: 3\r\nContent-Length: 5\r\n\r\n"),
    "send-101-without-upgrade": ("send", b"HTTP/1.1 101 Switching Protocols\r\nX-N: 2\r\n\r\n"),
    "send-framing-trailer": (
        "send",
        b"POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\nhello\r\n\r\nContent-Length: 5",
    ),
}
# The request a server-role witness reads first must be the one the difference needs.
WITNESS_REQUESTS = {
    "send-framing-on-connect-2xx": b"CONNECT ",
    "send-101-without-upgrade": b"GET /chat ",
}


def _receive_differs(data: bytes) -> bool:
    """h11 and the reference, as servers, differ on ``data``: events, error, hint or the state after it."""
    impl, ref = drive.feed(h11, "server", [data]), drive.feed(REF, "server", [data])
    first = [("recv", data.partition(b"\r\n\r\n")[0] + b"\r\n\r\n")]
    states = [drive.run_script(api, "server", first)[-1][1].their_state for api in (h11, REF)]
    return impl.events != ref.events or impl.error != ref.error or states[0] != states[1]


@pytest.mark.parametrize("name", sorted(UNREACHABLE_WITNESSES))
def test_unreachable_differences_are_invisible_to_the_oracles(
    name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """h11 shows the difference on its witness input, yet the target reports nothing even under rfc9112."""
    target, data = UNREACHABLE_WITNESSES[name]
    if target == "send":
        plan_ = events_from_text(data)
        assert plan_.request_wire.startswith(WITNESS_REQUESTS.get(name, b""))
        assert len(sending.send_run(h11, plan_).sent) > len(sending.send_run(REF, plan_).sent)
    else:
        assert _receive_differs(data)
    monkeypatch.setenv("H11SPEC_PROFILE", "rfc9112")
    TARGETS[target].check(h11, data)


# ------------------------------------------------------------------------------------------------
# The h11 model is narrow: a planted fault on an input that also triggers a difference is still reported


class _WholeStream(h11.Connection):  # type: ignore[misc]
    """h11, but the received bytes are held until EOF and passed through ``rewrite`` (the planted bug)."""

    @staticmethod
    def rewrite(stream: bytes) -> bytes:
        return stream

    def receive_data(self, data: bytes) -> None:
        if data:
            self._held = getattr(self, "_held", b"") + bytes(data)
            return
        held = self.rewrite(getattr(self, "_held", b""))
        if held:
            super().receive_data(held)
        super().receive_data(b"")


class _SecondHostIgnored(_WholeStream):
    """h11 that drops a Host field line following another one (first Host wins, no 400)."""

    @staticmethod
    def rewrite(stream: bytes) -> bytes:
        return re.sub(rb"(\r\nHost: [^\r]*)\r\nHost: [^\r]*", rb"\1", stream)


class _HexPrefixChunkSize(_WholeStream):
    """h11 that reads a chunk size written with a 0x prefix (the reference rejects the line)."""

    @staticmethod
    def rewrite(stream: bytes) -> bytes:
        return stream.replace(b"\n0x", b"\n")


class _H11InjectsHeader(h11.Connection):  # type: ignore[misc]
    """h11 whose send writes an extra header line after the start line of every request or response."""

    def send(self, event: Any) -> Any:
        data = super().send(event)
        if data and type(event).__name__ in ("Request", "Response"):
            line_end = bytes(data).index(b"\r\n") + 2
            return bytes(data)[:line_end] + b"X-Injected: 1\r\n" + bytes(data)[line_end:]
        return data


def _h11_with(connection: type) -> types.SimpleNamespace:
    api = types.SimpleNamespace(**{name: getattr(h11, name) for name in h11.__all__})
    api.Connection = connection
    return api


CHUNKED_POST = b"POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n"

# Mask -> (planted fault over h11, input that touches the mask's difference but breaks the oracle
# through the fault). Each was hidden by a looser form of the mask.
NEAR_MISSES: dict[str, tuple[type, str, bytes]] = {
    "host-value-invalid": (
        _SecondHostIgnored,
        "differential",
        b"GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n",
    ),
    "te-in-http10": (
        _SecondHostIgnored,
        "differential",
        b"GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n"
        b"POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
    ),
    "chunk-ext-bare-cr": (_HexPrefixChunkSize, "differential", CHUNKED_POST + b"\r\n0x1;a\r\nx\r\n0\r\n\r\n"),
    "cl-te-keepalive": (
        _HexPrefixChunkSize,
        "differential",
        CHUNKED_POST + b"Content-Length: 9\r\n\r\n0x1\r\nx\r\n0\r\n\r\n",
    ),
    "size-limit-split-invariant": (
        _SecondHostIgnored,
        "differential",
        b"GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n" + BIG_HEAD,
    ),
    "reason-phrase-injection": (
        _H11InjectsHeader,
        "send",
        b"HTTP/1.1 200 O\x01K\r\nContent-Length: 0\r\n\r\n",
    ),
    "send-host-value-invalid": (_H11InjectsHeader, "send", b"GET / HTTP/1.1\r\nHost: a b\r\n\r\n"),
}


@pytest.mark.parametrize("name", sorted(NEAR_MISSES))
def test_the_h11_profile_does_not_hide_a_planted_fault_on_a_near_miss(
    name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Under the h11 profile a fault on an input that also touches a documented difference is reported."""
    fault, target, data = NEAR_MISSES[name]
    monkeypatch.setenv("H11SPEC_PROFILE", "h11")
    TARGETS[target].check(h11, data)  # h11 itself: nothing to report
    with pytest.raises(OracleViolation) as info:
        TARGETS[target].check(_h11_with(fault), data)
    assert info.value.oracle == TARGETS[target].oracle


def test_chunk_ext_after_chunk_data_is_no_finding_under_h11(monkeypatch: pytest.MonkeyPatch) -> None:
    """A bad chunk extension on the line after chunk data that ends in ";a" is h11's (found by fuzzing)."""
    data = (
        CHUNKED_POST
        + b"\r\n24\r\n0;name=value\r\nhello\r\nA\r\n0123456789;a\r\n10;a=\r\r\n=b;c=d\r\n0\r\n\r\n"
    )
    monkeypatch.setenv("H11SPEC_PROFILE", "rfc9112")
    with pytest.raises(OracleViolation):
        TARGETS["differential"].check(h11, data)
    monkeypatch.setenv("H11SPEC_PROFILE", "h11")
    TARGETS["differential"].check(h11, data)


def test_send_oracle_reads_heads_past_the_receive_limit() -> None:
    """A correct head over 16 KiB sent by the reference holds the send oracle (no size-limit finding)."""
    data = b"HTTP/1.1 200 OK\r\nX: " + b"a" * 17000 + b"\r\nContent-Length: 2\r\n\r\nok"
    assert run_one(REF, ("send", data)) is None


def test_importing_the_fuzz_targets_leaves_the_reference_unimported() -> None:
    """The fuzz targets, drive and the oracle import no reference module: fuzz.entry must import the
    reference itself, under atheris's instrumentation, or the campaign runs blind (no coverage)."""
    code = (
        "import sys, fuzz.targets, fuzz.recorder, conformance.drive, conformance.oracle; "
        "print(sorted(m for m in sys.modules if m.startswith('conformance.reference')))"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip() == "[]"
