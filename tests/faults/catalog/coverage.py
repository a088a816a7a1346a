"""Planted faults for the cases written to cover the requirement table's gaps: each breaks one RFC 9112 rule.

Theory of operation: as in ``tests.faults.catalog.faults`` (whose helpers these reuse), a fault patches a
private copy of the reference or subclasses its ``Connection``; the real modules are never touched. These
faults need the reference (the cases they target are ones h11 also passes, but the patches reach into the
reference's modules).
"""

from __future__ import annotations

import re
from typing import Any

from conformance.targets.load import Target
from tests.faults.catalog.faults import _namespace, base_module, private_copy, target


class _LeadingWhitespaceBlind:
    """A compiled token pattern that does not see leading whitespace."""

    def __init__(self, pattern: re.Pattern[bytes]) -> None:
        self.pattern = pattern

    def fullmatch(self, value: bytes) -> Any:
        return self.pattern.fullmatch(value.lstrip(b" \t"))


def ws_before_first_field() -> Target:
    """Lets a field name that starts with whitespace through, so SP follows the start-line on the wire."""
    mods = private_copy("conformance.reference", "ws_first_field")
    headers = mods["conformance.reference.headers"]
    headers.token_re = _LeadingWhitespaceBlind(headers.token_re)
    return target("fault-ws-before-first-field", mods["conformance.reference"])


def absolute_form_without_host() -> Target:
    """Sends a request in absolute-form without Host ("the target already names the host")."""
    base = base_module()
    from conformance.reference.headers import check_fields

    def request(**kw: Any) -> Any:
        headers = list(kw.get("headers", ()))
        absolute = bytes(kw.get("target", b"")).startswith((b"http://", b"https://"))
        if not absolute or any(bytes(n).lower() == b"host" for n, _ in headers):
            return base.Request(**kw)
        event = base.Request(**{**kw, "headers": [*headers, (b"Host", b"placeholder")]})
        object.__setattr__(event, "headers", check_fields(headers))
        return event

    return target("fault-absolute-form-without-host", _namespace(Request=request))


def any_coding_as_chunked() -> Target:
    """Takes any Transfer-Encoding as chunked framing, so a response with gzip last keeps the connection."""
    mods = private_copy("conformance.reference", "any_coding")
    rules = mods["conformance.reference.headers"]._FramingRules

    def take(self: Any, item: tuple[bytes, bytes, bytes]) -> Any:
        if item[1] == b"transfer-encoding":
            self.seen_te = True
            return item
        return original(self, item)

    original = rules.take
    rules.take = take
    return target("fault-any-coding-as-chunked", mods["conformance.reference"])


def body_until_close_without_length() -> Target:
    """Gives a request with neither Content-Length nor Transfer-Encoding a body delimited by closing."""
    mods = private_copy("conformance.reference", "no_length_body")
    connection = mods["conformance.reference.connection"]
    framing = connection._framing
    request_type = mods["conformance.reference.events"].Request

    def lax(request_method: Any, event: Any, info: Any) -> tuple[str, int]:
        if type(event) is request_type and not info.transfer_encoding and info.content_length is None:
            return ("http/1.0", 0)
        result: tuple[str, int] = framing(request_method, event, info)
        return result

    connection._framing = lax
    return target("fault-body-until-close-without-length", mods["conformance.reference"])


class _ReadsPastTheLastResponse(base_module().Connection):  # type: ignore[misc,name-defined]
    """A client that, having read the response to its only request, reads on as if another was sent."""

    def next_event(self) -> Any:
        base = base_module()
        event = super().next_event()
        done = self.our_state is base.DONE and self.their_state is base.DONE
        if event is base.PAUSED and self.our_role is base.CLIENT and done and self.trailing_data[0]:
            self.start_next_cycle()
            return super().next_event()
        return event


def extra_data_as_response() -> Target:
    """Parses bytes after the final response of the last request as a further response."""
    return target("fault-extra-data-as-response", _namespace(Connection=_ReadsPastTheLastResponse))


def ignores_own_close() -> Target:
    """A server that sends "Connection: close" but keeps the connection for the next request."""
    mods = private_copy("conformance.reference", "own_close")
    connection = mods["conformance.reference.connection"]
    keeps_alive = connection._keeps_alive
    response_type = mods["conformance.reference.events"].Response

    def lax(event: Any, info: Any) -> bool:
        if type(event) is response_type:
            info.close = False
        result: bool = keeps_alive(event, info)
        return result

    connection._keeps_alive = lax
    return target("fault-ignores-own-close", mods["conformance.reference"])


# --- Allowances: implementations that take the other conforming alternative ---------------------------------


class _SpaceRunsAsOne:
    """A compiled status-line pattern that reads runs of SP between the version and the code as one."""

    def __init__(self, pattern: re.Pattern[bytes]) -> None:
        self.pattern = pattern

    def fullmatch(self, line: bytes) -> Any:
        version, sep, rest = bytes(line).partition(b" ")
        return self.pattern.fullmatch(version + sep + rest.lstrip(b" "))


def lenient_status_line() -> Target:
    """Takes the RFC 9112 §4 leniency: whitespace-delimited status-line parsing."""
    mods = private_copy("conformance.reference", "lenient_status_line")
    readers = mods["conformance.reference.readers"]
    readers.status_line_re = _SpaceRunsAsOne(readers.status_line_re)
    return target("allow-lenient-status-line", mods["conformance.reference"])


class _RejectsExtraData(base_module().Connection):  # type: ignore[misc,name-defined]
    """A client that treats bytes after the final response of its last request as an error (RFC 9112 §9.2)."""

    def next_event(self) -> Any:
        base = base_module()
        event = super().next_event()
        done = self.our_state is base.DONE and self.their_state is base.DONE
        if event is base.PAUSED and self.our_role is base.CLIENT and done and self.trailing_data[0]:
            raise base.RemoteProtocolError("data after the final response of the last request")
        return event


def rejects_extra_data() -> Target:
    """Rejects data received when no request is outstanding instead of discarding it."""
    return target("allow-rejects-extra-data", _namespace(Connection=_RejectsExtraData))


class _IgnoresAfterClose(base_module().Connection):  # type: ignore[misc,name-defined]
    """A server that, once it must close, leaves further bytes unread instead of raising."""

    def next_event(self) -> Any:
        base = base_module()
        if self.our_role is base.SERVER and self.our_state is base.MUST_CLOSE:
            return base.PAUSED
        return super().next_event()


def ignores_after_close() -> Target:
    """Leaves a request sent after its own "close" unprocessed without an error."""
    return target("allow-ignores-after-close", _namespace(Connection=_IgnoresAfterClose))
