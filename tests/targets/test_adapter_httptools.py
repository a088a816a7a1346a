"""The httptools adapter: llhttp's callbacks as h11 events, checked against the reference."""

from __future__ import annotations

import pytest

from conformance.drive import event_record, feed, merge_data, split_variants
from conformance.targets.load import load_target

ADAPTER = load_target("conformance.targets.adapters.httptools:Adapter").api
REFERENCE = load_target("reference").api

# (id, role of the implementation, wire bytes): inputs on which llhttp and the reference agree.
AGREED = [
    ("get", "server", b"GET /a?b=c HTTP/1.1\r\nHost: example.com\r\nAccept: */*\r\n\r\n"),
    ("post-cl", "server", b"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nhello"),
    (
        "chunked-trailer",
        "server",
        b"POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\nX-T: 1\r\n\r\n",
    ),
    ("pipelined", "server", b"GET /1 HTTP/1.1\r\nHost: a\r\n\r\nGET /2 HTTP/1.1\r\nHost: a\r\n\r\n"),
    ("http10", "server", b"GET / HTTP/1.0\r\n\r\n"),
    ("response-cl", "client", b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nhi"),
    ("response-close", "client", b"HTTP/1.1 200 OK\r\nServer: x\r\n\r\nuntil close"),
    ("response-100", "client", b"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 204 No Content\r\n\r\n"),
]

# (id, role, wire bytes): inputs both reject with a RemoteProtocolError.
REJECTED = [
    ("cl-and-te", "server", b"POST / HTTP/1.1\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n"),
    ("space-before-colon", "server", b"GET / HTTP/1.1\r\nHost : a\r\n\r\n"),
    ("truncated-body", "server", b"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 9\r\n\r\nshort"),
    ("garbage", "server", b"\x16\x03\x01\x00\xa5\x01\x00\x00\xa1\x03\x03\r\n\r\n"),
]


def _client_records(chunks: list[bytes]) -> tuple[object, ...]:
    """What a client adapter Connection reads from ``chunks`` then EOF (it cannot send a request)."""
    conn = ADAPTER.Connection(ADAPTER.CLIENT)
    records = []
    for chunk in [*chunks, b""]:
        conn.receive_data(chunk)
        while (event := conn.next_event()) is not ADAPTER.NEED_DATA:
            records.append(event_record(event))
            if records[-1] == ("ConnectionClosed",):
                return merge_data(records, chunks=False)
    raise AssertionError("no ConnectionClosed after EOF")


@pytest.mark.parametrize(("role", "wire"), [(r, w) for _, r, w in AGREED], ids=[i for i, _, _ in AGREED])
def test_adapter_events_equal_the_reference_under_every_split(role: str, wire: bytes) -> None:
    """On inputs llhttp and the reference both accept, every split gives the reference's events."""
    expected = merge_data(feed(REFERENCE, role, [wire]).events, chunks=False)
    assert expected  # the reference accepted it
    for name, chunks in split_variants(wire):
        if role == "server":
            trace = feed(ADAPTER, role, chunks)
            assert trace.error is None, name
            assert merge_data(trace.events, chunks=False) == expected, name
        else:  # the reference client reads after sending its own GET; the adapter reads unsolicited
            assert _client_records(chunks) == expected, name


@pytest.mark.parametrize(("role", "wire"), [(r, w) for _, r, w in REJECTED], ids=[i for i, _, _ in REJECTED])
def test_rejected_input_raises_the_adapters_remote_protocol_error(role: str, wire: bytes) -> None:
    """httptools' HttpParserError (or input cut short) is the adapter's RemoteProtocolError, hint 400."""
    assert feed(REFERENCE, role, [wire]).outcome == "reject"
    trace = feed(ADAPTER, role, [wire])
    assert trace.error is not None
    assert trace.error[:2] == ("RemoteProtocolError", 400)


def test_client_side_reads_responses_and_the_eof_of_a_close_delimited_body() -> None:
    """A client Connection yields 1xx, Response, Data, then EndOfMessage at EOF for a body read to close."""
    conn = ADAPTER.Connection(ADAPTER.CLIENT)
    conn.receive_data(b"HTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\nHTTP/1.1 200 OK\r\n\r\nab")
    conn.receive_data(b"")
    events = [conn.next_event() for _ in range(6)]
    assert [type(e).__name__ for e in events] == [
        "InformationalResponse",
        "Response",
        "Data",
        "EndOfMessage",
        "ConnectionClosed",
        "ConnectionClosed",
    ]
    assert events[0].status_code == 103
    assert events[0].headers == ((b"link", b"</a>"),)
    assert events[1].reason == b"OK"


def test_an_error_breaks_the_connection_for_good() -> None:
    """After a RemoteProtocolError every later next_event raises it again, as in h11."""
    conn = ADAPTER.Connection(ADAPTER.SERVER)
    conn.receive_data(b"GET / HTTP/1.1\r\nBad Header: x\r\n\r\n")
    for _ in range(2):
        with pytest.raises(ADAPTER.RemoteProtocolError):
            conn.next_event()


def test_upgrade_pauses_and_keeps_the_trailing_bytes() -> None:
    """After an Upgrade request llhttp stops: PAUSED, and the rest is in trailing_data."""
    conn = ADAPTER.Connection(ADAPTER.SERVER)
    conn.receive_data(b"GET / HTTP/1.1\r\nHost: a\r\nUpgrade: ws\r\nConnection: upgrade\r\n\r\n\x81\x00")
    names = [type(conn.next_event()).__name__ for _ in range(2)]
    assert names == ["Request", "EndOfMessage"]
    assert conn.next_event() is ADAPTER.PAUSED
    assert conn.trailing_data == (b"\x81\x00", False)


def test_misuse_is_refused_like_h11() -> None:
    """A role that is not CLIENT/SERVER is ValueError; data after EOF is RuntimeError."""
    with pytest.raises(ValueError, match="our_role"):
        ADAPTER.Connection("server")
    conn = ADAPTER.Connection(ADAPTER.SERVER)
    conn.receive_data(b"")
    with pytest.raises(RuntimeError):
        conn.receive_data(b"GET")
    assert type(conn.next_event()).__name__ == "ConnectionClosed"


def test_sentinels_are_their_own_type_and_survive_pickling() -> None:
    """The adapter's sentinels satisfy type(X) is X and unpickle to themselves (workers send them)."""
    import pickle

    for sentinel in (ADAPTER.NEED_DATA, ADAPTER.PAUSED, ADAPTER.CLIENT, ADAPTER.SERVER):
        assert type(sentinel) is sentinel
        assert pickle.loads(pickle.dumps(sentinel)) is sentinel
        assert repr(sentinel) == sentinel.__name__


def test_events_before_a_parse_error_come_out_first_under_every_split() -> None:
    """Events llhttp emitted before the byte it rejects are delivered before the error, whatever the split."""
    wire = b"POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n0x5\r\nhello\r\n0\r\n\r\n"
    traces = {feed(ADAPTER, "server", chunks) for _, chunks in split_variants(wire)}
    assert len(traces) == 1
    (trace,) = traces
    assert [record[0] for record in trace.events] == ["Request"]
    assert trace.error is not None
    assert trace.error[0] == "RemoteProtocolError"
