"""The ProtocolError family: what a caller of the reference may legitimately see.

Theory of operation: ``LocalProtocolError`` means "you (the caller) tried to do something HTTP/1.1
forbids" and comes out of ``send`` and event constructors; ``RemoteProtocolError`` means "the peer
sent something HTTP/1.1 forbids" and comes out of ``next_event``. Each carries
``error_status_hint``, the status a server would answer with (400 by default, 431 for an oversized
head, 501 for an unsupported transfer coding). Code that validates does not know which side it runs
for, so it raises ``LocalProtocolError``; ``next_event`` swaps the class of that very object to
``RemoteProtocolError`` (message, hint and traceback kept), as h11 does.
"""

from __future__ import annotations

from typing import NoReturn

__all__ = ["LocalProtocolError", "ProtocolError", "RemoteProtocolError"]


class ProtocolError(Exception):
    """Base of both protocol errors; abstract, so instantiating it directly is a ``TypeError``."""

    def __init__(self, msg: str, error_status_hint: int = 400) -> None:
        if type(self) is ProtocolError:
            raise TypeError("ProtocolError is abstract: raise LocalProtocolError or RemoteProtocolError")
        Exception.__init__(self, msg)
        self.error_status_hint = error_status_hint


class LocalProtocolError(ProtocolError):
    """Our side (the caller of ``send`` or an event constructor) broke the protocol."""

    def _as_remote_error(self) -> NoReturn:
        # The same object, class swapped: message, hint and traceback survive (h11 behaviour).
        self.__class__ = RemoteProtocolError  # type: ignore[assignment]
        raise self


class RemoteProtocolError(ProtocolError):
    """The peer's bytes broke the protocol."""
