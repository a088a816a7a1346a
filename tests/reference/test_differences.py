"""Each documented difference between h11 0.16 and the reference: h11 does X, the reference does Y.

Spec: conformance/reference/differences.py (DIFFERENCES). Every row below names one difference, probes it
through the public API, and states both outcomes; the test holds h11 to the first and the reference to the
second. ``test_every_difference_is_tested`` keeps the table and DIFFERENCES in step.
"""

from __future__ import annotations

import dataclasses
import types
from collections.abc import Callable
from typing import Any

import h11
import pytest

from tests.reference._util import Record, client_after, drain, get, outcome, server, server_after

Probe = Callable[[types.ModuleType], Any]


def _read_request(wire: bytes) -> Probe:
    """Probe: the records a fresh server reads from ``wire`` (ending with its error, if any)."""

    def probe(api: types.ModuleType) -> Any:
        conn = server(api, wire)
        got = drain(api, conn)
        while got[-1][0] not in ("raise", "NEED_DATA", "PAUSED", "ConnectionClosed"):
            got += drain(api, conn)
        return ("ok", [r[:1] if r[0] != "raise" else r for r in got], repr(conn.their_state))

    return probe


def _read_response(wire: bytes, request: Callable[[types.ModuleType], Any] = get) -> Probe:
    """Probe: what a client that sent ``request`` reads from ``wire``, and the server's state after."""

    def probe(api: types.ModuleType) -> Any:
        conn = client_after(api, request(api))
        conn.receive_data(wire)
        got = drain(api, conn)
        return ("ok", [r[:1] if r[0] != "raise" else r for r in got], repr(conn.their_state))

    return probe


def _send_after(wire: bytes | None, make: Callable[[types.ModuleType], list[Any]]) -> Probe:
    """Probe: the outcome of sending ``make``'s events (the last one is the probe) after reading ``wire``."""

    def probe(api: types.ModuleType) -> Any:
        conn = api.Connection(api.CLIENT) if wire is None else server_after(api, wire)
        events = make(api)
        for event in events[:-1]:
            conn.send(event)
        return outcome(api, lambda: conn.send(events[-1]))

    return probe


def _request_after_408(api: types.ModuleType) -> Any:
    conn = api.Connection(api.CLIENT)
    conn.receive_data(b"HTTP/1.1 408 \r\nConnection: close\r\nContent-Length: 0\r\n\r\n")
    drain(api, conn)
    return outcome(api, lambda: conn.send(get(api)))


def _receive_request_after_408(api: types.ModuleType) -> Any:
    conn = api.Connection(api.SERVER)
    conn.send(api.Response(status_code=408, headers=[]))
    conn.send(api.EndOfMessage())
    conn.receive_data(b"GET / HTTP/1.1\r\nHost: a\r\n\r\n")
    return outcome(api, conn.next_event)


def _second_response_to_connect(api: types.ModuleType) -> Any:
    conn = server_after(api, b"CONNECT a:443 HTTP/1.1\r\nHost: a:443\r\n\r\n")
    conn.send(api.Response(status_code=200, headers=[]))
    return outcome(api, lambda: conn.send(api.Response(status_code=200, headers=[])))


CHUNKED_POST = b"POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
REQ_EVENTS: list[Record] = [("Request",), ("EndOfMessage",), ("NEED_DATA",)]
BODY_EVENTS: list[Record] = [("Request",), ("Data",), ("EndOfMessage",), ("NEED_DATA",)]
RESP_EVENTS: list[Record] = [("Response",), ("Data",), ("EndOfMessage",), ("NEED_DATA",)]
LPE: Record = ("raise", "LocalProtocolError")
RPE400: Record = ("raise", "RemoteProtocolError", 400)
RPE431: Record = ("raise", "RemoteProtocolError", 431)


def _sent(data: bytes) -> Record:
    return ("ok", data)


def _connect(api: types.ModuleType) -> Any:
    return api.Request(method="CONNECT", target="a:443", headers=[("Host", "a:443")])


TUNNEL_OPEN: Record = ("ok", [("Response",), ("PAUSED",)], "SWITCHED_PROTOCOL")


# (difference name, probe id, probe, h11's outcome, the reference's outcome); outcomes compare as prefixes.
ROWS: list[tuple[str, str, Probe, Record, Record]] = [
    (
        "cl-te-keepalive",
        "request",
        _read_request(CHUNKED_POST[:-2] + b"Content-Length: 5\r\n\r\n1\r\nz\r\n0\r\n\r\n"),
        ("ok", BODY_EVENTS, "DONE"),
        ("ok", BODY_EVENTS, "MUST_CLOSE"),
    ),
    (
        "cl-te-keepalive",
        "response",
        _read_response(
            b"HTTP/1.1 200 \r\nContent-Length: 9\r\nTransfer-Encoding: chunked\r\n\r\n1\r\nz\r\n0\r\n\r\n"
        ),
        ("ok", RESP_EVENTS, "DONE"),
        ("ok", RESP_EVENTS, "MUST_CLOSE"),
    ),
    (
        "request-when-server-not-idle",
        "send",
        _request_after_408,
        ("raise", "AttributeError"),
        LPE,
    ),
    (
        "request-when-server-not-idle",
        "receive",
        _receive_request_after_408,
        ("raise", "AttributeError"),
        ("raise", "RemoteProtocolError"),
    ),
    (
        "request-when-server-not-idle",
        "second-switching-response",
        _second_response_to_connect,
        ("raise", "AttributeError"),
        LPE,
    ),
    (
        "reason-phrase-injection",
        "construct",
        lambda api: outcome(
            api, lambda: api.Response(status_code=200, headers=[], reason="OK\r\nX: y").reason
        ),
        ("ok", b"OK\r\nX: y"),
        LPE,
    ),
    (
        "reason-phrase-injection",
        "nul",
        lambda api: outcome(
            api, lambda: api.InformationalResponse(status_code=100, headers=[], reason="a\x00")
        ),
        ("ok",),
        LPE,
    ),
    (
        "te-in-http10",
        "request",
        _read_request(b"POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n1\r\nz\r\n0\r\n\r\n"),
        ("ok", BODY_EVENTS, "MUST_CLOSE"),
        ("ok", [RPE400], "ERROR"),
    ),
    (
        "te-in-http10",
        "response",
        _read_response(b"HTTP/1.0 200 \r\nTransfer-Encoding: chunked\r\n\r\n1\r\nz\r\n0\r\n\r\n"),
        ("ok", RESP_EVENTS, "MUST_CLOSE"),
        ("ok", [RPE400], "ERROR"),
    ),
    (
        "host-value-invalid",
        "construct",
        lambda api: outcome(
            api, lambda: api.Request(method="GET", target="/", headers=[("Host", "a b")]).headers[0]
        ),
        ("ok", (b"host", b"a b")),
        LPE,
    ),
    (
        "host-value-invalid",
        "receive",
        _read_request(b"GET / HTTP/1.1\r\nHost: a/b\r\n\r\n"),
        ("ok", REQ_EVENTS, "DONE"),
        ("ok", [RPE400], "ERROR"),
    ),
    (
        "chunk-ext-bare-cr",
        "cr",
        _read_request(CHUNKED_POST + b"1;a\rb\r\nz\r\n0\r\n\r\n"),
        ("ok", BODY_EVENTS, "DONE"),
        ("ok", [("Request",), RPE400], "ERROR"),
    ),
    (
        "chunk-ext-bare-cr",
        "nul",
        _read_request(CHUNKED_POST + b"1;a=\x00\r\nz\r\n0\r\n\r\n"),
        ("ok", BODY_EVENTS, "DONE"),
        ("ok", [("Request",), RPE400], "ERROR"),
    ),
    (
        "chunk-ext-bws",
        "before-semicolon",
        _read_request(CHUNKED_POST + b"1 ;a=b\r\nz\r\n0\r\n\r\n"),
        ("ok", [("Request",), RPE400], "ERROR"),
        ("ok", BODY_EVENTS, "DONE"),
    ),
    (
        "send-cl-with-te",
        "request",
        _send_after(
            None,
            lambda api: [get(api, ("Content-Length", "1"), ("Transfer-Encoding", "chunked"), method="POST")],
        ),
        _sent(b"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n"),
        LPE,
    ),
    (
        "send-framing-on-1xx-204",
        "100-with-cl",
        _send_after(
            b"GET / HTTP/1.1\r\nHost: a\r\n\r\n",
            lambda api: [api.InformationalResponse(status_code=100, headers=[("Content-Length", "0")])],
        ),
        _sent(b"HTTP/1.1 100 \r\nContent-Length: 0\r\n\r\n"),
        LPE,
    ),
    (
        "send-framing-on-1xx-204",
        "204-with-cl",
        _send_after(
            b"GET / HTTP/1.1\r\nHost: a\r\n\r\n",
            lambda api: [api.Response(status_code=204, headers=[("Content-Length", "0")])],
        ),
        _sent(b"HTTP/1.1 204 \r\nContent-Length: 0\r\n\r\n"),
        LPE,
    ),
    (
        "send-framing-on-connect-2xx",
        "200-with-cl",
        _send_after(
            b"CONNECT a:1 HTTP/1.1\r\nHost: a:1\r\n\r\n",
            lambda api: [api.Response(status_code=200, headers=[("Content-Length", "0")])],
        ),
        _sent(b"HTTP/1.1 200 \r\nContent-Length: 0\r\n\r\n"),
        LPE,
    ),
    (
        "connect-2xx-framing-ignored",
        "invalid-cl",
        _read_response(b"HTTP/1.1 200 \r\nContent-Length: abc\r\n\r\ntunnel", _connect),
        ("ok", [RPE400], "ERROR"),
        TUNNEL_OPEN,
    ),
    (
        "connect-2xx-framing-ignored",
        "cl-list",
        _read_response(b"HTTP/1.1 200 \r\nContent-Length: 1, 2\r\n\r\ntunnel", _connect),
        ("ok", [RPE400], "ERROR"),
        TUNNEL_OPEN,
    ),
    (
        "connect-2xx-framing-ignored",
        "invalid-te",
        _read_response(b"HTTP/1.1 299 \r\nTransfer-Encoding: gzip\r\n\r\ntunnel", _connect),
        ("ok", [("raise", "RemoteProtocolError", 501)], "ERROR"),
        TUNNEL_OPEN,
    ),
    (
        "te-chunked-not-final",
        "chunked-gzip",
        _read_request(b"POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked, gzip\r\n\r\n"),
        ("ok", [("raise", "RemoteProtocolError", 501)], "ERROR"),
        ("ok", [RPE400], "ERROR"),
    ),
    (
        "te-chunked-not-final",
        "chunked-then-gzip-two-lines",
        _read_request(
            b"POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: gzip\r\n\r\n"
        ),
        ("ok", [("raise", "RemoteProtocolError", 501)], "ERROR"),
        ("ok", [RPE400], "ERROR"),
    ),
    (
        "size-limit-split-invariant",
        "complete-20k-head",
        _read_request(b"GET / HTTP/1.1\r\nHost: a\r\nX: " + b"a" * 20_000 + b"\r\n\r\n"),
        ("ok", REQ_EVENTS, "DONE"),
        ("ok", [RPE431], "ERROR"),
    ),
    (
        "size-limit-split-invariant",
        "complete-20k-chunk-line",
        _read_request(CHUNKED_POST + b"1;" + b"a" * 20_000 + b"\r\nz\r\n0\r\n\r\n"),
        ("ok", BODY_EVENTS, "DONE"),
        ("ok", [("Request",), RPE431], "ERROR"),
    ),
    (
        "size-limit-split-invariant",
        "complete-20k-trailer",
        _read_response(
            b"HTTP/1.1 200 \r\nTransfer-Encoding: chunked\r\n\r\n1\r\nz\r\n0\r\nT: "
            + b"a" * 20_000
            + b"\r\n\r\n"
        ),
        ("ok", RESP_EVENTS, "DONE"),
        ("ok", [("Response",), ("Data",), RPE431], "ERROR"),
    ),
    (
        "upgrade-in-http10",
        "proposal",
        _read_request(b"GET / HTTP/1.0\r\nUpgrade: x\r\n\r\n"),
        ("ok", [("Request",), ("EndOfMessage",), ("PAUSED",)], "MIGHT_SWITCH_PROTOCOL"),
        ("ok", REQ_EVENTS, "MUST_CLOSE"),
    ),
    (
        "send-101-without-upgrade",
        "no-upgrade-header",
        _send_after(
            b"GET / HTTP/1.1\r\nHost: a\r\nUpgrade: x\r\n\r\n",
            lambda api: [api.InformationalResponse(status_code=101, headers=[])],
        ),
        _sent(b"HTTP/1.1 101 \r\n\r\n"),
        LPE,
    ),
    (
        "send-framing-trailer",
        "host-trailer",
        _send_after(
            None,
            lambda api: [
                get(api, ("Transfer-Encoding", "chunked"), method="POST"),
                api.EndOfMessage(headers=[("Host", "a")]),
            ],
        ),
        _sent(b"0\r\nHost: a\r\n\r\n"),
        LPE,
    ),
    (
        "send-framing-trailer",
        "content-length-trailer",
        _send_after(
            None,
            lambda api: [
                get(api, ("Transfer-Encoding", "chunked"), method="POST"),
                api.EndOfMessage(headers=[("Content-Length", "5")]),
            ],
        ),
        _sent(b"0\r\nContent-Length: 5\r\n\r\n"),
        LPE,
    ),
]


def _names() -> set[str]:
    from conformance.reference.differences import DIFFERENCES

    return {d.name for d in DIFFERENCES}


@pytest.mark.parametrize(
    ("name", "probe", "h11_outcome", "ref_outcome"),
    [(r[0], r[2], r[3], r[4]) for r in ROWS],
    ids=[f"{r[0]}/{r[1]}" for r in ROWS],
)
def test_difference(
    api: types.ModuleType, name: str, probe: Probe, h11_outcome: Record, ref_outcome: Record
) -> None:
    """h11 shows its documented behaviour and the reference the RFC behaviour named by the difference,
    and h11's behaviour again with that difference's switch in h11 mode."""
    from conformance.reference.differences import h11_mode

    expected = ref_outcome if api is not h11 else h11_outcome
    if api is not h11:
        assert name in _names(), f"{name} is not in DIFFERENCES"
    got = probe(api)
    assert got[: len(expected)] == expected
    if api is not h11:
        with h11_mode([name]):
            modelled = probe(api)
        assert modelled[: len(h11_outcome)] == h11_outcome


def test_every_difference_is_tested() -> None:
    """Every documented difference has at least one row here, and every row names a documented difference."""
    assert {r[0] for r in ROWS} == _names()


def test_case_ids_match_the_catalog() -> None:
    """Every difference lists exactly the catalog cases that name it (case_ids_for), and each id exists."""
    from conformance.catalog.cases import CATALOG, case_ids_for
    from conformance.reference.differences import DIFFERENCES

    known = {case.id for case in CATALOG}
    for d in DIFFERENCES:
        assert len(d.case_ids) == len(set(d.case_ids)), d.name
        assert set(d.case_ids) == set(case_ids_for(d.name)), d.name
        assert set(d.case_ids) <= known, d.name


def test_differences_are_complete_records() -> None:
    """Every difference has a unique name, an RFC section, the quoted sentence and both behaviours."""
    from conformance.reference.differences import DIFFERENCES, difference

    names = [d.name for d in DIFFERENCES]
    assert len(names) == len(set(names))
    for d in DIFFERENCES:
        assert d.rfc.startswith("RFC ")
        assert d.sentence
        assert d.h11
        assert d.reference
        assert difference(d.name) is d


def test_unknown_difference_is_harness_error() -> None:
    """Looking up a difference name that does not exist is a HarnessError naming the known ones."""
    from conformance.errors import HarnessError
    from conformance.reference.differences import difference

    with pytest.raises(HarnessError, match="cl-te-keepalive"):
        difference("no-such-difference")


# ------------------------------------------------------------------------------------------------
# Each difference is a switch at its rule: in h11 mode the reference behaves as h11 on the witnesses


def _comparable(ev: Any) -> tuple[Any, ...]:
    """An evaluation as the engines compare it under the h11 profile: the distinct observations of every
    split, the settled and the trailing one, Data's chunk_start left out (leniency h11-chunk-start-split)."""
    from conformance.drive import merge_data

    def one(obs: Any) -> Any:
        return (
            None
            if obs is None
            else dataclasses.replace(obs, events=merge_data(obs.events, chunk_start=False))
        )

    return (frozenset(one(obs) for _, obs in ev.variants), one(ev.settled), one(ev.trailing))


def _witness_cases(name: str) -> list[Any]:
    from conformance.catalog.cases import CATALOG
    from conformance.reference.differences import difference

    ids = set(difference(name).case_ids)
    return [case for case in CATALOG if case.id in ids]


@pytest.mark.parametrize("name", sorted(_names()))
def test_h11_mode_behaves_as_h11_on_the_witnesses(name: str) -> None:
    """On every catalog case a difference names, the reference with that switch (and with every switch)
    in h11 mode is observed as h11 is, and on some of them the RFC reference is not."""
    from conformance.catalog.grade import evaluate
    from conformance.reference.differences import h11_mode
    from conformance.targets.load import reference_api

    ref = reference_api()
    cases = _witness_cases(name)
    assert cases, f"{name} names no catalog case to witness it"
    differs = []
    for case in cases:
        seen = _comparable(evaluate(h11, case))
        with h11_mode([name]):
            assert _comparable(evaluate(ref, case)) == seen, case.id
        with h11_mode():
            assert _comparable(evaluate(ref, case)) == seen, case.id
        differs.append(_comparable(evaluate(ref, case)) != seen)
    assert any(differs), f"the RFC reference behaves as h11 on every witness of {name}"


def test_every_difference_has_its_switch_at_its_rule() -> None:
    """Every documented difference is asked for, by name, at a rule site of the reference, and every
    name asked for is documented."""
    import re
    from pathlib import Path

    import conformance.reference as package

    asked: set[str] = set()
    for path in Path(package.__file__).parent.glob("*.py"):
        if path.name != "differences.py":
            asked |= set(re.findall(r'h11_rule\("([a-z0-9-]+)"\)', path.read_text()))
    assert asked == _names()


def test_h11_mode_is_scoped_and_checked() -> None:
    """h11_mode switches only the named rules, only inside the block, and refuses an unknown name."""
    from conformance.errors import HarnessError
    from conformance.reference.differences import h11_mode, h11_rule

    assert not h11_rule("host-value-invalid")
    with h11_mode(["host-value-invalid"]) as chosen:
        assert chosen == {"host-value-invalid"}
        assert h11_rule("host-value-invalid")
        assert not h11_rule("cl-te-keepalive")
        with h11_mode():
            assert all(h11_rule(n) for n in _names())
        assert not h11_rule("cl-te-keepalive")
    assert not h11_rule("host-value-invalid")
    with pytest.raises(HarnessError, match="no-such"), h11_mode(["no-such"]):
        pass
