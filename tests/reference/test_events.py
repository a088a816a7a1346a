"""Public names, sentinels, exceptions and events: construction, validation, bytesify, dataclass rules, repr.

Spec: docs/h11-behaviour.md §1. Each test runs on h11 and on conformance.reference (the ``api`` fixture).
"""

from __future__ import annotations

import dataclasses
import enum
import pickle
import re
import types
from typing import Any

import h11
import pytest

from tests.reference._util import differs, te_hint

SENTINELS = (
    "NEED_DATA",
    "PAUSED",
    "CLIENT",
    "SERVER",
    "IDLE",
    "SEND_RESPONSE",
    "SEND_BODY",
    "DONE",
    "MUST_CLOSE",
    "CLOSED",
    "SWITCHED_PROTOCOL",
    "ERROR",
    "MIGHT_SWITCH_PROTOCOL",
)


def _examples(api: types.ModuleType) -> dict[str, Any]:
    """One valid instance of each event class."""
    return {
        "Request": api.Request(method="GET", target="/", headers=[("Host", "a")]),
        "InformationalResponse": api.InformationalResponse(status_code=100, headers=[]),
        "Response": api.Response(status_code=200, headers=[]),
        "Data": api.Data(data=b"x"),
        "EndOfMessage": api.EndOfMessage(),
        "ConnectionClosed": api.ConnectionClosed(),
    }


EVENT_NAMES = (
    "Request",
    "InformationalResponse",
    "Response",
    "Data",
    "EndOfMessage",
    "ConnectionClosed",
)

# ---------------------------------------------------------------------------------------------- names


def test_all_h11_public_names_exist(api: types.ModuleType) -> None:
    """Every name in h11.__all__ plus MIGHT_SWITCH_PROTOCOL, PRODUCT_ID and __version__ is importable."""
    missing = set(h11.__all__) | {"MIGHT_SWITCH_PROTOCOL", "PRODUCT_ID", "__version__"}
    assert missing - set(dir(api)) == set()


def test_reference_exports_headers(ref: types.ModuleType) -> None:
    """The reference exports its Headers class (h11 hides it in h11._headers)."""
    assert isinstance(ref.Request(method="GET", target="/", headers=[("Host", "a")]).headers, ref.Headers)


def test_product_id_names_the_version(api: types.ModuleType) -> None:
    """PRODUCT_ID is a product token ending in "/" plus the package version."""
    assert isinstance(api.PRODUCT_ID, str)
    assert api.PRODUCT_ID.endswith("/" + api.__version__)


@pytest.mark.parametrize("name", SENTINELS)
def test_sentinel_is_instance_of_itself(api: types.ModuleType, name: str) -> None:
    """A sentinel is a class whose type is itself, repr is its bare name, and it is hashable."""
    sentinel = getattr(api, name)
    assert type(sentinel) is sentinel
    assert repr(sentinel) == name
    assert {sentinel: 1}[sentinel] == 1


def test_sentinels_are_distinct(api: types.ModuleType) -> None:
    """No two sentinels are the same object."""
    assert len({id(getattr(api, n)) for n in SENTINELS}) == len(SENTINELS)


# ----------------------------------------------------------------------------------------- exceptions


def test_protocol_error_cannot_be_instantiated(api: types.ModuleType) -> None:
    """ProtocolError itself cannot be instantiated (TypeError); only its subclasses can."""
    with pytest.raises(TypeError):
        api.ProtocolError("x")


@pytest.mark.parametrize("name", ["LocalProtocolError", "RemoteProtocolError"])
def test_protocol_error_subclasses(api: types.ModuleType, name: str) -> None:
    """LPE and RPE subclass ProtocolError (an Exception); str is the message; the hint defaults to 400."""
    cls = getattr(api, name)
    assert issubclass(cls, api.ProtocolError)
    assert issubclass(api.ProtocolError, Exception)
    exc = cls("boom")
    assert str(exc) == "boom"
    assert exc.error_status_hint == 400
    assert cls("boom", 431).error_status_hint == 431


# ------------------------------------------------------------------------------------ event basics


@pytest.mark.parametrize("name", EVENT_NAMES)
def test_events_are_frozen(api: types.ModuleType, name: str) -> None:
    """Assigning to any event field raises dataclasses.FrozenInstanceError."""
    event = _examples(api)[name]
    field = {"Data": "data", "EndOfMessage": "headers", "ConnectionClosed": "extra"}.get(name, "headers")
    with pytest.raises(dataclasses.FrozenInstanceError):
        setattr(event, field, None)


@pytest.mark.parametrize("name", EVENT_NAMES)
def test_events_hashable_only_connection_closed(api: types.ModuleType, name: str) -> None:
    """Events are unhashable, except ConnectionClosed."""
    event = _examples(api)[name]
    if name == "ConnectionClosed":
        assert hash(event) == hash(api.ConnectionClosed())
    else:
        with pytest.raises(TypeError):
            hash(event)


@pytest.mark.parametrize("name", EVENT_NAMES)
def test_events_equal_by_class_and_fields(api: types.ModuleType, name: str) -> None:
    """Two events are equal iff they have exactly the same class and equal fields."""
    assert _examples(api)[name] == _examples(api)[name]
    others = [e for n, e in _examples(api).items() if n != name]
    assert all(_examples(api)[name] != other for other in others)
    sub = type("Sub", (getattr(api, name),), {})
    kwargs = {f.name: getattr(_examples(api)[name], f.name) for f in dataclasses.fields(sub)}
    if name == "EndOfMessage":
        kwargs["headers"] = []
    assert sub(**kwargs) != _examples(api)[name]


@pytest.mark.parametrize("name", ["Request", "InformationalResponse", "Response", "EndOfMessage"])
def test_constructors_are_keyword_only(api: types.ModuleType, name: str) -> None:
    """Request, responses and EndOfMessage refuse positional arguments (TypeError)."""
    with pytest.raises(TypeError):
        getattr(api, name)([])


def test_data_takes_positional_arguments(api: types.ModuleType) -> None:
    """Data accepts (data, chunk_start, chunk_end) positionally, flags defaulting to False."""
    assert api.Data(b"x", True, False) == api.Data(data=b"x", chunk_start=True)
    event = api.Data(b"y")
    assert (event.chunk_start, event.chunk_end) == (False, False)


def test_data_does_not_validate(api: types.ModuleType) -> None:
    """Data accepts any object as its payload, unchanged (a str, a list)."""
    assert api.Data(data="str").data == "str"
    assert api.Data(data=[1, 2]).data == [1, 2]


def test_event_base_instantiable(api: types.ModuleType) -> None:
    """Event() can be instantiated and is the base of every event class."""
    assert isinstance(api.Event(), api.Event)
    assert all(issubclass(getattr(api, n), api.Event) for n in EVENT_NAMES)


# (construct, expected repr) rows.
REPRS: list[tuple[str, str]] = [
    (
        "Request(method='GET', target='/', headers=[('Host', 'a')])",
        "Request(method=b'GET', headers=<Headers([(b'host', b'a')])>, target=b'/', http_version=b'1.1')",
    ),
    (
        "InformationalResponse(status_code=101, headers=[('Upgrade', 'x')], reason='Go')",
        "InformationalResponse(headers=<Headers([(b'upgrade', b'x')])>, http_version=b'1.1', "
        "reason=b'Go', status_code=101)",
    ),
    (
        "Response(status_code=200, headers=[], http_version='1.0')",
        "Response(headers=<Headers([])>, http_version=b'1.0', reason=b'', status_code=200)",
    ),
    ("Data(data=b'ab', chunk_end=True)", "Data(data=b'ab', chunk_start=False, chunk_end=True)"),
    ("EndOfMessage()", "EndOfMessage(headers=<Headers([])>)"),
    ("ConnectionClosed()", "ConnectionClosed()"),
]


@pytest.mark.parametrize(("source", "expected"), REPRS)
def test_event_repr(api: types.ModuleType, source: str, expected: str) -> None:
    """Event repr is the dataclass repr with h11's field order and Headers as <Headers([...])>."""
    event = eval(source, {n: getattr(api, n) for n in EVENT_NAMES})
    assert repr(event) == expected


# ------------------------------------------------------------------------------------------ bytesify


@pytest.mark.parametrize(
    ("value", "expected"),
    [(b"GET", b"GET"), ("GET", b"GET"), (bytearray(b"GET"), b"GET"), (memoryview(b"GET"), b"GET")],
)
def test_bytesify_accepts_bytes_like_and_ascii_str(
    api: types.ModuleType, value: Any, expected: bytes
) -> None:
    """bytes are kept, str is ASCII-encoded, bytearray and memoryview become bytes."""
    req = api.Request(method=value, target=value, headers=[(value, value), ("Host", "a")])
    assert type(req.method) is bytes
    assert req.method == expected
    assert type(req.target) is bytes
    assert req.target == expected
    name, val = req.headers.raw_items()[0]
    assert (type(name), type(val), name, val) == (bytes, bytes, expected, expected)
    resp = api.Response(status_code=200, headers=[], reason=value, http_version=value)
    assert (type(resp.reason), resp.reason, resp.http_version) == (bytes, expected, expected)


@pytest.mark.parametrize("field", ["method", "target", "http_version", "name", "value", "reason"])
def test_bytesify_rejects_int_and_non_ascii(api: types.ModuleType, field: str) -> None:
    """An int field raises TypeError; a non-ASCII str raises UnicodeEncodeError (not an LPE)."""

    def build(value: Any) -> Any:
        if field == "reason":
            return api.Response(status_code=200, headers=[], reason=value)
        fields: dict[str, Any] = {"method": "GET", "target": "/", "http_version": "1.1"}
        headers: list[tuple[Any, Any]] = [("Host", "a")]
        if field == "name":
            headers.append((value, "v"))
        elif field == "value":
            headers.append(("X", value))
        else:
            fields[field] = value
        return api.Request(headers=headers, **fields)

    with pytest.raises(TypeError):
        build(7)
    with pytest.raises(UnicodeEncodeError):
        build("é")


# ------------------------------------------------------------------------------------ Request rules


REQUEST_ERRORS: list[tuple[dict[str, Any], str]] = [
    ({"headers": []}, "Missing mandatory Host: header"),
    ({"headers": [("Host", "a"), ("host", "a")]}, "Found multiple Host: headers"),
    ({"headers": [("Host", ""), ("Host", "")], "http_version": "1.0"}, "Found multiple Host"),
    ({"method": "G T"}, "Illegal method characters"),
    ({"method": ""}, "Illegal method characters"),
    ({"method": "GET\r\n"}, "Illegal method characters"),
    ({"method": b"G\x80T"}, "Illegal method characters"),
    ({"target": ""}, "Illegal target characters"),
    ({"target": "/ x"}, "Illegal target characters"),
    ({"target": "/\x7f"}, "Illegal target characters"),
    ({"target": b"/\x80"}, "Illegal target characters"),
    ({"target": "/\r\nX: y"}, "Illegal target characters"),
    # Order: headers, then Host, then method, then target.
    ({"headers": [("a b", "c")], "method": "G T", "target": ""}, "Illegal header name"),
    ({"headers": [], "method": "G T", "target": ""}, "Missing mandatory Host"),
    ({"method": "G T", "target": ""}, "Illegal method characters"),
]


@pytest.mark.parametrize(("change", "message"), REQUEST_ERRORS)
def test_request_validation(api: types.ModuleType, change: dict[str, Any], message: str) -> None:
    """Request checks headers, Host (missing for 1.1, duplicated always), method token, target, in order."""
    fields: dict[str, Any] = {"method": "GET", "target": "/", "headers": [("Host", "a")]}
    fields.update(change)
    with pytest.raises(api.LocalProtocolError, match="^" + re.escape(message)) as info:
        api.Request(**fields)
    assert info.value.error_status_hint == 400


@pytest.mark.parametrize(
    "change",
    [
        {"http_version": "1.0", "headers": []},
        {"http_version": "abc"},
        {"headers": [("Host", "")]},
        {"method": "get"},
        {"method": "M-SEARCH!#$%&'*+.^_`|~"},
        {"target": "*"},
        {"target": "http://a/~x?y#z"},
    ],
)
def test_request_accepts(api: types.ModuleType, change: dict[str, Any]) -> None:
    """Request accepts no Host for non-1.1, any http_version, an empty Host, any token method as given."""
    fields: dict[str, Any] = {"method": "GET", "target": "/", "headers": [("Host", "a")]}
    fields.update(change)
    req = api.Request(**fields)
    assert req.method == fields["method"].encode()
    assert req.http_version == fields.get("http_version", "1.1").encode()


# ---------------------------------------------------------------------------------- response rules


class Status(enum.IntEnum):
    """An IntEnum status, as http.HTTPStatus is."""

    CONTINUE = 100
    OK = 200


@pytest.mark.parametrize(
    ("cls", "status", "ok"),
    [
        ("InformationalResponse", 100, True),
        ("InformationalResponse", 199, True),
        ("InformationalResponse", 99, False),
        ("InformationalResponse", 200, False),
        ("InformationalResponse", True, False),
        ("Response", 200, True),
        ("Response", 999, True),
        ("Response", 199, False),
        ("Response", 1000, False),
    ],
)
def test_status_code_range(api: types.ModuleType, cls: str, status: int, ok: bool) -> None:
    """InformationalResponse needs a status in [100, 200), Response one in [200, 1000)."""
    build = getattr(api, cls)
    if ok:
        assert build(status_code=status, headers=[]).status_code == status
    else:
        with pytest.raises(api.LocalProtocolError, match="status_code should be in range"):
            build(status_code=status, headers=[])


@pytest.mark.parametrize("status", [200.0, "200", None])
@pytest.mark.parametrize("cls", ["InformationalResponse", "Response"])
def test_status_code_must_be_int(api: types.ModuleType, cls: str, status: Any) -> None:
    """A non-int status code (float, str, None) is an LPE "status code must be integer"."""
    with pytest.raises(api.LocalProtocolError, match=r"^status code must be integer"):
        getattr(api, cls)(status_code=status, headers=[])


def test_int_enum_status_becomes_int(api: types.ModuleType) -> None:
    """An IntEnum status code is stored as a plain int."""
    assert type(api.Response(status_code=Status.OK, headers=[]).status_code) is int
    info = api.InformationalResponse(status_code=Status.CONTINUE, headers=[])
    assert type(info.status_code) is int


def test_response_defaults(api: types.ModuleType) -> None:
    """Responses default to http_version b"1.1" and reason b""; the reason is kept as given."""
    resp = api.Response(status_code=404, headers=[], reason="Not Found")
    assert (resp.http_version, resp.reason) == (b"1.1", b"Not Found")
    assert api.InformationalResponse(status_code=100, headers=[]).reason == b""


@pytest.mark.parametrize("reason", ["OK\r\nX: y", "a\nb", "a\x00b", "a\rb"])
def test_reason_phrase_with_line_breaks(api: types.ModuleType, reason: str) -> None:
    """h11 stores any reason unvalidated; the reference rejects CR/LF/NUL (reason-phrase-injection)."""
    if differs(api, "reason-phrase-injection"):
        with pytest.raises(api.LocalProtocolError):
            api.Response(status_code=200, headers=[], reason=reason)
    else:
        assert api.Response(status_code=200, headers=[], reason=reason).reason == reason.encode()


# ------------------------------------------------------------------------------- EndOfMessage rules


def test_end_of_message_default_headers(api: types.ModuleType) -> None:
    """EndOfMessage() has empty Headers (None becomes an empty sequence)."""
    eom = api.EndOfMessage()
    assert len(eom.headers) == 0
    assert not eom.headers
    assert api.EndOfMessage(headers=None) == eom


@pytest.mark.parametrize(
    ("trailer", "hint"),
    [
        (("Content-Length", "x"), 400),
        (("Transfer-Encoding", "gzip"), 501),
        (("Bad Name", "x"), 400),
        (("X", "a\r\nb"), 400),
    ],
)
def test_trailers_fully_normalised(api: types.ModuleType, trailer: tuple[str, str], hint: int) -> None:
    """Trailers get full header normalisation, including the Content-Length and Transfer-Encoding rules."""
    with pytest.raises(api.LocalProtocolError) as info:
        api.EndOfMessage(headers=[trailer])
    if trailer[0] == "Transfer-Encoding":
        hint = te_hint(api, trailer[1], received_request=False)
    assert info.value.error_status_hint == hint


def test_connection_closed_equal(api: types.ModuleType) -> None:
    """ConnectionClosed takes no arguments and all instances are equal."""
    assert api.ConnectionClosed() == api.ConnectionClosed()
    with pytest.raises(TypeError):
        api.ConnectionClosed(1)


@pytest.mark.parametrize("name", SENTINELS)
def test_sentinels_pickle_to_themselves(api: types.ModuleType, name: str) -> None:
    """A sentinel survives pickling as the very same object (records cross worker processes)."""
    sentinel = getattr(api, name)
    assert pickle.loads(pickle.dumps(sentinel)) is sentinel
