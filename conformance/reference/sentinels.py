"""Sentinels: roles, states, next_event results and switch proposals.

Theory of operation: a sentinel is a class that is an instance of itself (``type(X) is X``), so it
prints as its bare name, compares by identity, hashes, pickles by name and can be used both as a value
and in ``type(...)`` dispatch, exactly like h11's. The names live here, apart from the state machine,
so that readers, writers and events can import them without a cycle.
"""

from __future__ import annotations

from typing import Any, cast

__all__ = [
    "CLIENT",
    "CLOSED",
    "DONE",
    "ERROR",
    "IDLE",
    "MIGHT_SWITCH_PROTOCOL",
    "MUST_CLOSE",
    "NEED_DATA",
    "PAUSED",
    "SEND_BODY",
    "SEND_RESPONSE",
    "SERVER",
    "SWITCHED_PROTOCOL",
    "Sentinel",
]


class Sentinel(type):
    """Metaclass of every sentinel; each sentinel is its own class and its own instance."""

    def __repr__(cls) -> str:
        return cls.__name__

    def __reduce__(cls) -> str:
        return cls.__name__


def _sentinel(name: str) -> Sentinel:
    cls: Any = Sentinel(name, (Sentinel,), {"__module__": __name__})
    cls.__class__ = cls
    return cast(Sentinel, cls)


# Roles.
CLIENT = _sentinel("CLIENT")
SERVER = _sentinel("SERVER")

# States (RFC 9112 has no names for them; these are h11's).
IDLE = _sentinel("IDLE")
SEND_RESPONSE = _sentinel("SEND_RESPONSE")
SEND_BODY = _sentinel("SEND_BODY")
DONE = _sentinel("DONE")
MUST_CLOSE = _sentinel("MUST_CLOSE")
CLOSED = _sentinel("CLOSED")
MIGHT_SWITCH_PROTOCOL = _sentinel("MIGHT_SWITCH_PROTOCOL")
SWITCHED_PROTOCOL = _sentinel("SWITCHED_PROTOCOL")
ERROR = _sentinel("ERROR")

# next_event results that are not events.
NEED_DATA = _sentinel("NEED_DATA")
PAUSED = _sentinel("PAUSED")

# Switch proposals / acceptances (private, but they appear in error messages).
_SWITCH_UPGRADE = _sentinel("_SWITCH_UPGRADE")
_SWITCH_CONNECT = _sentinel("_SWITCH_CONNECT")
# The server machine's view of the client's Request (a server never sends a Request itself).
_CLIENT_REQUEST = _sentinel("_CLIENT_REQUEST")
