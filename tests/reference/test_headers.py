"""Header normalisation (names, values, Content-Length, Transfer-Encoding) and the Headers sequence API.

Spec: docs/h11-behaviour.md §1.3. Headers are built through Request, so the same code path runs on both APIs.
"""

from __future__ import annotations

import collections.abc
import re
import types
from typing import Any

import pytest

from tests.reference._util import client_after, get, server, te_hint


def _headers(api: types.ModuleType, *pairs: tuple[Any, Any]) -> Any:
    """The Headers of a Request carrying Host plus ``pairs``."""
    return api.Request(method="GET", target="/", headers=[("Host", "a"), *pairs]).headers


BAD_NAMES: list[Any] = ["", " X", "X ", "X:", ":x", "a b", "a\tb", "a\r\nb", b"\xc3\xa9", "(x)", "a@b"]


@pytest.mark.parametrize("name", BAD_NAMES)
def test_header_name_must_be_token(api: types.ModuleType, name: Any) -> None:
    """A header name that is not an RFC token (empty, spaces, colon, separators, non-ASCII) is an LPE."""
    with pytest.raises(api.LocalProtocolError, match=r"^Illegal header name") as info:
        _headers(api, (name, "v"))
    assert info.value.error_status_hint == 400


GOOD_VALUES: list[bytes] = [
    b"",
    b"v",
    b"a b",
    b"a  \t b",
    b"a\x01b",
    b"\x08",
    b"a\x0eb\x1fc",
    b"\x7f",
    b"\x80\xff",
    b'"quoted, with comma"',
]
BAD_VALUES: list[bytes] = [
    b" a",
    b"a ",
    b"\ta",
    b"a\t",
    b" ",
    b"a\x00b",
    b"a\rb",
    b"a\nb",
    b"a\r\nb",
    b"a\x0bb",
    b"a\x0cb",
    b"a\r\n b",
]


@pytest.mark.parametrize("value", GOOD_VALUES)
def test_header_value_accepted(api: types.ModuleType, value: bytes) -> None:
    """A value of field bytes (anything but NUL and ASCII whitespace) joined by SP/HTAB runs is kept as is."""
    assert _headers(api, (b"X", value))[-1] == (b"x", value)


@pytest.mark.parametrize("value", BAD_VALUES)
def test_header_value_rejected(api: types.ModuleType, value: bytes) -> None:
    """Leading/trailing whitespace, NUL, CR, LF, VT and FF anywhere in a value are an LPE."""
    with pytest.raises(api.LocalProtocolError, match=r"^Illegal header value"):
        _headers(api, (b"X", value))


def test_header_names_lowercased_raw_kept(api: types.ModuleType) -> None:
    """Iteration yields lowercased names; raw_items() keeps the original casing, in order."""
    headers = _headers(api, ("X-MiXed", "V"), ("accept", "*/*"))
    assert list(headers) == [(b"host", b"a"), (b"x-mixed", b"V"), (b"accept", b"*/*")]
    assert list(headers.raw_items()) == [(b"Host", b"a"), (b"X-MiXed", b"V"), (b"accept", b"*/*")]


CONTENT_LENGTH: list[tuple[list[Any], bytes | str]] = [
    (["5"], b"5"),
    (["005"], b"005"),
    (["5, 5"], b"5"),
    (["5,5 , 5"], b"5"),
    (["5", "5"], b"5"),
    (["1" * 20], b"1" * 20),
    (["5", "6"], "conflicting Content-Length headers"),
    (["5, 6"], "conflicting Content-Length headers"),
    (["1, ,1"], "conflicting Content-Length headers"),
    ([""], "bad Content-Length"),
    (["+5"], "bad Content-Length"),
    (["-1"], "bad Content-Length"),
    (["0x5"], "bad Content-Length"),
    (["1_0"], "bad Content-Length"),
    (["5a"], "bad Content-Length"),
    (["1" * 21], "bad Content-Length"),
    ([b"\xd9\xa5"], "bad Content-Length"),
]


@pytest.mark.parametrize(("values", "expected"), CONTENT_LENGTH)
def test_content_length_rules(api: types.ModuleType, values: list[Any], expected: bytes | str) -> None:
    """Content-Length lists must be identical and 1-20 ASCII digits; repeats collapse to the first."""
    pairs = [(b"Content-Length", v if isinstance(v, bytes) else v.encode()) for v in values]
    if isinstance(expected, bytes):
        headers = _headers(api, *pairs)
        assert [v for n, v in headers if n == b"content-length"] == [expected]
    else:
        with pytest.raises(api.LocalProtocolError, match="^" + re.escape(expected)) as info:
            _headers(api, *pairs)
        assert info.value.error_status_hint == 400


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        (["chunked"], b"chunked"),
        (["Chunked"], b"chunked"),
        (["CHUNKED"], b"chunked"),
        (["gzip"], "Only Transfer-Encoding: chunked is supported"),
        (["gzip, chunked"], "Only Transfer-Encoding: chunked is supported"),
        (["identity"], "Only Transfer-Encoding: chunked is supported"),
        ([""], "Only Transfer-Encoding: chunked is supported"),
        (["chunked", "chunked"], "multiple Transfer-Encoding headers"),
    ],
)
def test_transfer_encoding_rules(api: types.ModuleType, values: list[str], expected: bytes | str) -> None:
    """Transfer-Encoding is lowercased and must be exactly one `chunked`, else LPE (hint 501 in h11)."""
    pairs = [("Transfer-Encoding", v) for v in values]
    if isinstance(expected, bytes):
        headers = _headers(api, *pairs)
        assert headers[-1] == (b"transfer-encoding", expected)
        assert headers.raw_items()[-1] == (b"Transfer-Encoding", expected)
    else:
        with pytest.raises(api.LocalProtocolError, match="^" + re.escape(expected)) as info:
            _headers(api, *pairs)
        hint = te_hint(api, ", ".join(values), received_request=False)
        assert info.value.error_status_hint == hint


def test_content_length_with_transfer_encoding_allowed(api: types.ModuleType) -> None:
    """Content-Length and Transfer-Encoding may both appear in an event's headers."""
    headers = _headers(api, ("Transfer-Encoding", "chunked"), ("Content-Length", "5"))
    assert [n for n, _ in headers] == [b"host", b"transfer-encoding", b"content-length"]


def test_headers_accept_any_iterable_of_pairs(api: types.ModuleType) -> None:
    """Headers may be given as any iterable of 2-tuples, e.g. a generator, or another Headers."""
    first = _headers(api, *((f"X-{i}", str(i)) for i in range(3)))
    again = api.Request(method="GET", target="/", headers=first).headers
    assert again == first
    assert len(again) == 4


def test_headers_is_a_sequence(api: types.ModuleType) -> None:
    """Headers is a Sequence: len, bool, indexing incl. negative, in, index, count, reversed."""
    headers = _headers(api, ("X-A", "1"), ("X-B", "2"))
    assert isinstance(headers, collections.abc.Sequence)
    assert len(headers) == 3
    assert bool(headers)
    assert headers[-1] == (b"x-b", b"2")
    assert headers[1] == (b"x-a", b"1")
    assert (b"x-a", b"1") in headers
    assert (b"X-A", b"1") not in headers
    assert headers.index((b"x-b", b"2")) == 2
    assert headers.count((b"x-a", b"1")) == 1
    assert next(reversed(headers)) == (b"x-b", b"2")
    assert not api.EndOfMessage().headers


def test_headers_equality(api: types.ModuleType) -> None:
    """Headers compare by lowercased pairs, with each other and with a plain list of tuples."""
    headers = _headers(api, ("X-A", "1"))
    assert headers == [(b"host", b"a"), (b"x-a", b"1")]
    assert headers != [(b"Host", b"a"), (b"X-A", b"1")]
    other = api.Request(method="GET", target="/", headers=[("HOST", "a"), ("x-a", "1")]).headers
    assert headers == other


def test_headers_repr(api: types.ModuleType) -> None:
    """Headers repr is <Headers([...])> over the lowercased pairs."""
    assert repr(_headers(api, ("X", "y"))) == "<Headers([(b'host', b'a'), (b'x', b'y')])>"


def test_headers_slicing_is_broken(api: types.ModuleType) -> None:
    """Slicing Headers raises ValueError (a known h11 quirk kept for compatibility)."""
    # The spec names only the type; h11's message is an accident of its internals.
    with pytest.raises(ValueError):  # noqa: PT011
        _headers(api, ("X", "y"))[0:1]


@pytest.mark.parametrize(
    ("header", "hint"),
    [
        (b"Content-Length: 1, 2", 400),
        (b"Content-Length: x", 400),
        (b"Transfer-Encoding: gzip", 501),
    ],
)
def test_parsed_headers_apply_framing_rules(api: types.ModuleType, header: bytes, hint: int) -> None:
    """Received headers get the Content-Length and Transfer-Encoding rules too (as RPE, same hint)."""
    conn = server(api, b"POST / HTTP/1.1\r\nHost: a\r\n" + header + b"\r\n\r\n")
    with pytest.raises(api.RemoteProtocolError) as info:
        conn.next_event()
    if header.startswith(b"Transfer-Encoding"):
        hint = te_hint(api, header.split(b":")[1].decode(), received_request=True)
    assert info.value.error_status_hint == hint


@pytest.mark.parametrize(
    "lines",
    [
        ("chunked", "gzip"),
        ("gzip", "chunked"),
        ("chunked", "chunked"),
        ("chunked", "chunked, gzip"),
        ("a", "b"),
    ],
)
@pytest.mark.parametrize("role", ["server", "client"])
def test_received_transfer_encoding_lines_combine(
    api: types.ModuleType, lines: tuple[str, str], role: str
) -> None:
    """Two received Transfer-Encoding lines are refused, with the hint of the combined list's final coding."""
    fields = b"".join(b"Transfer-Encoding: " + line.encode() + b"\r\n" for line in lines)
    if role == "server":
        conn = server(api, b"POST / HTTP/1.1\r\nHost: a\r\n" + fields + b"\r\n")
    else:
        conn = client_after(api)
        conn.receive_data(b"HTTP/1.1 200 \r\n" + fields + b"\r\n")
    with pytest.raises(api.RemoteProtocolError) as info:
        conn.next_event()
    combined = ", ".join(lines)
    assert info.value.error_status_hint == te_hint(api, combined, received_request=role == "server")


def test_request_helper_builds_valid_request(api: types.ModuleType) -> None:
    """Sanity: the helper Request used across these tests carries exactly Host plus the extras."""
    assert list(get(api, ("X", "1")).headers) == [(b"host", b"a"), (b"x", b"1")]
