"""What every planted choice implementation is: the reference, with some choice points switched."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

import conformance.reference as BASE
from conformance.reference import choices


def flipped(namespace: dict[str, Any], assignment: Mapping[str, str]) -> None:
    """Fill a module's globals with the reference's names and a Connection taking ``assignment``."""
    for name in (*BASE.__all__, "__version__"):
        namespace[name] = getattr(BASE, name)

    class Connection(BASE.Connection):  # type: ignore[misc,name-defined]
        """The reference Connection with choice points switched (an internal configuration)."""

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            with choices.assign(assignment):
                super().__init__(*args, **kwargs)

    namespace["Connection"] = Connection
    namespace["ASSIGNMENT"] = dict(assignment)


_SECTION_END = re.compile(rb"\r?\n\r?\n")


def rewriting(
    namespace: dict[str, Any], rewrite: Callable[[bytes], bytes], assignment: Mapping[str, str] | None = None
) -> None:
    """Fill a module's globals with the reference's names and a Connection that rewrites each header
    section (bytes up to a blank line) before the reference reads it: a planted near-miss (taking
    ``assignment``'s alternatives, when given, as a flipped reference does)."""
    for name in (*BASE.__all__, "__version__"):
        namespace[name] = getattr(BASE, name)

    def sections(stream: bytes) -> bytes:
        pieces, at = [], 0
        for end in _SECTION_END.finditer(stream):
            pieces.append(rewrite(stream[at : end.end()]))
            at = end.end()
        pieces.append(stream[at:])
        return b"".join(pieces)

    class Connection(BASE.Connection):  # type: ignore[misc,name-defined]
        """The reference Connection reading rewritten header sections."""

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            if assignment is None:
                super().__init__(*args, **kwargs)
            else:
                with choices.assign(assignment):
                    super().__init__(*args, **kwargs)
            self._held = b""

        def receive_data(self, data: bytes) -> None:
            if not data:  # EOF: pass on what was held, then the EOF itself
                held, self._held = self._held, b""
                if held:
                    super().receive_data(sections(held))
                super().receive_data(data)
                return
            stream = self._held + bytes(data)
            ends = list(_SECTION_END.finditer(stream))
            if not ends:
                self._held = stream
                return
            cut = ends[-1].end()
            self._held = stream[cut:]
            super().receive_data(sections(stream[:cut]))

    namespace["Connection"] = Connection


# One input per choice point that reaches it: (role, bytes). The tests feed them to every engine.
PROBES: dict[str, tuple[str, bytes]] = {
    "leading-empty-lines": ("server", b"\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n"),
    "bare-lf": ("server", b"GET / HTTP/1.1\nHost: a\n\n"),
    "bare-cr": ("server", b"GET / HTTP/1.1\r\nHost: a\r\nX-A: 1\rX-B: 2\r\n\r\n"),
    "obs-fold": ("server", b"GET / HTTP/1.1\r\nHost: a\r\nX: a\r\n b\r\n\r\n"),
    "obs-fold-width": ("client", b"HTTP/1.1 200 OK\r\nX: a\r\n   b\r\nContent-Length: 0\r\n\r\n"),
    "whitespace-after-start-line": ("server", b"GET / HTTP/1.1\r\n X: y\r\nHost: a\r\n\r\n"),
    "cl-identical-list": ("server", b"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 1, 1\r\n\r\nx"),
    "cl-te-request": (
        "server",
        b"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
    ),
    "trailer-fields": (
        "server",
        b"POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nX: y\r\n\r\n",
    ),
    "framing-in-trailer": (
        "server",
        b"POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nContent-Length: 5\r\n\r\n",
    ),
    "framing-on-bodyless-response": ("client", b"HTTP/1.1 204 No\r\nContent-Length: 0\r\n\r\n"),
    "other-major-version": ("server", b"GET / HTTP/2.0\r\nHost: a\r\n\r\n"),
    "start-line-whitespace": ("server", b"GET  / HTTP/1.1\r\nHost: a\r\n\r\n"),
    "denied-connect": ("client", b"HTTP/1.1 407 No\r\nContent-Length: 0\r\n\r\n"),
    "ctl-in-field-value": ("server", b"GET / HTTP/1.1\r\nHost: a\r\nX-A: b\x1bc\r\n\r\n"),
    "bytes-after-close": ("server", b"GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\nX"),
    "close-delimited-response": ("client", b"HTTP/1.1 200 OK\r\n\r\nabc"),
    "long-numeral": (
        "server",
        b"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: " + b"0" * 2000 + b"1\r\n\r\nx",
    ),
    "te-final-chunked-response": (
        "client",
        b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunkedx, chunked\r\n\r\n1\r\nx\r\n0\r\n\r\n",
    ),
    "te-not-chunked-response": ("client", b"HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\nabc"),
    "connect-request-content": (
        "server",
        b"CONNECT a:443 HTTP/1.1\r\nHost: a:443\r\nContent-Length: 3\r\n\r\nabcXY",
    ),
}
# Library-style inputs the ecosystem campaigns (httptools, aiohttp) reported although an allowed alternative
# takes them: (role, bytes, the alternative that reads them as the library did). The tests feed them too.
LENIENT: dict[str, tuple[str, bytes, dict[str, str]]] = {
    "obs-fold-keep-width": (
        "server",
        b"GET / HTTP/1.1\r\nHost: a\r\nX: a\r\n   b\r\n\r\n",
        {"obs-fold-width": "keep-width"},
    ),
    "obs-fold-request-trailer": (
        "server",
        b"POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nX: a\r\n b\r\n\r\n",
        {"obs-fold": "reject"},
    ),
    "chunk-size-leading-zeros": (
        "server",
        b"POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
        + b"0" * 3000
        + b"1\r\nx\r\n0\r\n\r\n",
        {"long-numeral": "value"},
    ),
    "content-length-leading-zeros": (
        "client",
        b"HTTP/1.1 200 OK\r\nContent-Length: " + b"0" * 3000 + b"2\r\n\r\nok",
        {"long-numeral": "value"},
    ),
    "te-chunked-twice-response": (
        "client",
        b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked, chunked\r\n\r\n1\r\nx\r\n0\r\n\r\n",
        {"te-final-chunked-response": "frame"},
    ),
    "connect-request-chunked": (
        "server",
        b"CONNECT a:443 HTTP/1.1\r\nHost: a:443\r\nTransfer-Encoding: chunked\r\n\r\n1\r\nx\r\n0\r\n\r\n",
        {"connect-request-content": "tunnel"},
    ),
}
# The request a client probe answers, where a GET does not reach the point (default: GET /).
PROBE_REQUESTS: dict[str, tuple[str, dict[str, Any]]] = {
    "denied-connect": ("Request", {"method": b"CONNECT", "target": b"a:443", "headers": [(b"Host", b"a")]}),
}

# A sender's choice point (what a side writes) is reached by sending, not by bytes: an event script per
# point, (role, steps) for ``conformance.drive.run_script``.
SENDER_PROBES: dict[str, tuple[str, tuple[tuple[Any, ...], ...]]] = {
    "response-without-request": (
        "server",
        (
            ("send", ("Response", {"status_code": 408, "headers": [(b"Content-Length", b"0")]})),
            ("send", ("EndOfMessage", {})),
        ),
    ),
}

FLIPPED = (*(f"flip_{cid.replace('-', '_')}" for cid in (*PROBES, *SENDER_PROBES)), "all_flipped")
NEAR_MISSES = ("near_obs_fold_nothing", "near_bare_cr_line_end")
# Within one connection: an allowed alternative at the first occurrence, another allowed one later
# (reported as information), or a disallowed one later (a near-miss: still a finding). Each with the
# point it mixes and an input reaching that point twice on one connection (pipelined).
MIXED: dict[str, tuple[str, bytes]] = {
    "mixed_obs_fold": ("obs-fold", PROBES["obs-fold"][1] * 2),
    "mixed_trailer_fields": ("trailer-fields", PROBES["trailer-fields"][1] * 2),
}
NEAR_MIXED = {"near_mixed_obs_fold_nothing": MIXED["mixed_obs_fold"]}
