"""The differential properties can fail: each runs against a planted-fault wrapper of h11 and must find it.

Each fault is a thin wrapper over h11 with exactly one bug; the property compares h11 with the wrapper and
Hypothesis must produce a counterexample (an AssertionError from the comparison) within its example budget.
"""

from __future__ import annotations

import re
import types
from typing import Any

import h11
import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from tests.reference._traffic import joined, mutated, request_bytes, response_bytes, script, splits
from tests.reference.test_differential import CLIENT_REQUESTS, check_feed, check_script, check_split

# Finding is what counts here, not a minimal example: no shrinking, which keeps these tests fast.
FIND = settings(
    max_examples=300,
    deadline=None,
    derandomize=True,
    database=None,
    report_multiple_bugs=False,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=[HealthCheck.too_slow],
)


def _wrap(connection: type) -> types.ModuleType:
    """A module exposing h11's API with ``connection`` in place of h11.Connection."""
    module = types.ModuleType("planted_fault")
    for name in dir(h11):
        if not name.startswith("__") or name == "__version__":
            setattr(module, name, getattr(h11, name))
    module.Connection = connection  # type: ignore[attr-defined]
    return module


class _DropsLastHeader(h11.Connection):  # type: ignore[misc]
    """Fault: a received Request or Response with two or more headers loses its last one."""

    def next_event(self) -> Any:
        event = super().next_event()
        if isinstance(event, (h11.Request, h11.Response)) and len(event.headers) > 1:
            fields = {f: getattr(event, f) for f in ("http_version",)}
            kept = list(event.headers.raw_items())[:-1]
            if isinstance(event, h11.Request):
                return h11.Request(method=event.method, target=event.target, headers=kept, **fields)
            return h11.Response(status_code=event.status_code, reason=event.reason, headers=kept, **fields)
        return event


_SECOND_CL = re.compile(rb"(Content-Length:[^\r\n]*\r?\n(?:.*\r?\n)*?)Content-Length:[^\r\n]*\r?\n", re.I)


class _AcceptsConflictingContentLength(h11.Connection):  # type: ignore[misc]
    """Fault: a second Content-Length line in a received piece is ignored instead of checked."""

    def receive_data(self, data: Any) -> None:
        super().receive_data(_SECOND_CL.sub(rb"\1", bytes(data)) if data else data)


class _ForgetsChunked(h11.Connection):  # type: ignore[misc]
    """Fault: send() leaves out the automatic Transfer-Encoding: chunked of an unframed response."""

    def send(self, event: Any) -> Any:
        data = super().send(event)
        return data.replace(b"Transfer-Encoding: chunked\r\n", b"") if data else data


class _LosesByteAtBoundary(h11.Connection):  # type: ignore[misc]
    """Fault: every received piece after the first loses its first byte."""

    def receive_data(self, data: Any) -> None:
        if data and getattr(self, "_seen_piece", False):
            data = bytes(data)[1:]
        self._seen_piece = True
        super().receive_data(data)


DROPS_LAST_HEADER = _wrap(_DropsLastHeader)
LOSES_BYTE_AT_BOUNDARY = _wrap(_LosesByteAtBoundary)
ACCEPTS_CL_CONFLICT = _wrap(_AcceptsConflictingContentLength)
FORGETS_CHUNKED = _wrap(_ForgetsChunked)


@FIND
@given(data=st.data())
def _server_streams(fault: types.ModuleType, data: st.DataObject) -> None:
    check_feed(h11, fault, "server", [data.draw(mutated(joined(request_bytes())))])


@settings(FIND, max_examples=60)
@given(data=st.data())
def _server_streams_control(fault: types.ModuleType, data: st.DataObject) -> None:
    check_feed(h11, fault, "server", [data.draw(mutated(joined(request_bytes())))])


@FIND
@given(data=st.data())
def _client_streams(fault: types.ModuleType, data: st.DataObject) -> None:
    request = data.draw(CLIENT_REQUESTS)
    check_feed(h11, fault, "client", [data.draw(joined(response_bytes()))], request=request)


@FIND
@given(role=st.sampled_from(["server", "client"]), data=st.data())
def _send_scripts(fault: types.ModuleType, role: str, data: st.DataObject) -> None:
    check_script(h11, fault, role, data.draw(script(role)))


@FIND
@given(data=st.data())
def _splits(fault: types.ModuleType, data: st.DataObject) -> None:
    wire = data.draw(joined(request_bytes()))
    check_split(fault, "server", wire, data.draw(splits(wire)))


def test_split_property_finds_lost_boundary_byte() -> None:
    """The split-invariance property flags an implementation that mishandles piece boundaries."""
    with pytest.raises(AssertionError):
        _splits(LOSES_BYTE_AT_BOUNDARY)


def test_server_property_finds_dropped_header() -> None:
    """The server-stream property flags an implementation that drops the last received header."""
    with pytest.raises(AssertionError):
        _server_streams(DROPS_LAST_HEADER)


def test_server_property_finds_conflicting_content_length() -> None:
    """The server-stream property flags an implementation that accepts two different Content-Lengths."""
    with pytest.raises(AssertionError):
        _server_streams(ACCEPTS_CL_CONFLICT)


def test_client_property_finds_dropped_header() -> None:
    """The client-stream property flags an implementation that drops a response's last header."""
    with pytest.raises(AssertionError):
        _client_streams(DROPS_LAST_HEADER)


def test_send_property_finds_missing_chunked() -> None:
    """The send-script property flags a writer that leaves out the automatic chunked framing."""
    with pytest.raises(AssertionError):
        _send_scripts(FORGETS_CHUNKED)


def test_faultless_wrapper_passes() -> None:
    """Control: the same wrapping without a fault gives no counterexample."""
    _server_streams_control(_wrap(h11.Connection))
