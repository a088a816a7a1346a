"""Planted fault: send writes a LF from a field value onto the wire (header injection).

The reference refuses a field value containing LF when the event is built (LocalProtocolError); this one
accepts it and its send writes the LF out raw, so the bytes parse to other headers than were sent, which
the send target's oracle flags.
"""

from __future__ import annotations

from typing import Any

from tests.faults.fuzz._base import BASE, reexport

FUZZ_TARGET = "send"  # the target that must find this fault (h11spec fuzz --bench --planted)

reexport(globals())

# The event keeps a stand-in byte (a CTL the reference allows in values) where the LF was, and send
# turns it back into a LF on the wire.
_STAND_IN = b"\x1f"


def _hide(value: Any) -> Any:
    return value.replace(b"\n", _STAND_IN) if isinstance(value, (bytes, bytearray)) else value


def _smuggle(kwargs: dict[str, Any]) -> dict[str, Any]:
    headers = kwargs.get("headers")
    if headers is not None:
        kwargs["headers"] = [(name, _hide(value)) for name, value in headers]
    return kwargs


def Request(**kwargs: Any) -> Any:
    """Build a reference Request, letting LF through in field values."""
    return BASE.Request(**_smuggle(kwargs))


def Response(**kwargs: Any) -> Any:
    """Build a reference Response, letting LF through in field values."""
    return BASE.Response(**_smuggle(kwargs))


def InformationalResponse(**kwargs: Any) -> Any:
    """Build a reference InformationalResponse, letting LF through in field values."""
    return BASE.InformationalResponse(**_smuggle(kwargs))


def EndOfMessage(**kwargs: Any) -> Any:
    """Build a reference EndOfMessage, letting LF through in trailer values."""
    return BASE.EndOfMessage(**_smuggle(kwargs))


class Connection(BASE.Connection):
    """The reference Connection with one planted bug."""

    def send(self, event: Any) -> Any:
        data = super().send(event)
        return None if data is None else bytes(data).replace(_STAND_IN, b"\n")
