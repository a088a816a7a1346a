"""conformance.reference: our own RFC-strict implementation of the h11 0.16 API (the oracle).

Theory of operation: a drop-in ``h11``: the same public names, events, exceptions, Connection and
state machine, written from docs/h11-behaviour.md and RFC 9112/9110. It differs from h11 only
where h11 breaks an RFC MUST; each such place is listed once in ``differences.DIFFERENCES``.
``ls`` shows the architecture: abnf (grammar), errors, sentinels, events, headers, state (the
transition table), readers and writers (keyed by (role, state) and framing), connection.
"""

from __future__ import annotations

from conformance.reference.connection import Connection
from conformance.reference.errors import LocalProtocolError, ProtocolError, RemoteProtocolError
from conformance.reference.events import (
    ConnectionClosed,
    Data,
    EndOfMessage,
    Event,
    InformationalResponse,
    Request,
    Response,
)
from conformance.reference.headers import Headers as Headers  # importable, not in __all__ (h11)
from conformance.reference.sentinels import (
    CLIENT,
    CLOSED,
    DONE,
    ERROR,
    IDLE,
    MUST_CLOSE,
    NEED_DATA,
    PAUSED,
    SEND_BODY,
    SEND_RESPONSE,
    SERVER,
    SWITCHED_PROTOCOL,
)
from conformance.reference.sentinels import (
    MIGHT_SWITCH_PROTOCOL as MIGHT_SWITCH_PROTOCOL,  # importable, not in __all__ (h11)
)

# The h11 release whose behaviour this package reproduces.
__version__ = "0.16.0"
PRODUCT_ID = "python-h11/" + __version__
# What reports show as this implementation's version: ``__version__`` must stay h11's for drop-in use.
H11SPEC_VERSION = "h11spec 0.1.0 (h11 0.16 API)"

__all__ = (
    "CLIENT",
    "CLOSED",
    "DONE",
    "ERROR",
    "IDLE",
    "MUST_CLOSE",
    "NEED_DATA",
    "PAUSED",
    "SEND_BODY",
    "SEND_RESPONSE",
    "SERVER",
    "SWITCHED_PROTOCOL",
    "Connection",
    "ConnectionClosed",
    "Data",
    "EndOfMessage",
    "Event",
    "InformationalResponse",
    "LocalProtocolError",
    "ProtocolError",
    "RemoteProtocolError",
    "Request",
    "Response",
)
