"""Explicit tours: short, hand-written action lists that every run replays before generating.

Theory of operation: Hypothesis's stateful generation (with swarm testing, which disables random
subsets of rules per example) reaches the long legal sequences behind protocol switches only now and
then. These tours walk each of them once, deterministically, through the same ``LockStep`` and
invariants as generated examples, so the "ci" coverage of the reference's transition table never
depends on luck: CONNECT and Upgrade accepted and denied, an early 101, 100-continue, a keep-alive
cycle with a chunked body and trailers, an HTTP/1.0 peer, two keep-alive requests with an obs-fold each
(one implementation mixing the alternatives of that choice point shows there), and closes from every
state.
"""

from __future__ import annotations

from conformance.model.actions import Action

HOST = (b"Host", b"a")
CL0 = (b"Content-Length", b"0")


def _request(method: bytes, *headers: tuple[bytes, bytes], target: bytes = b"/") -> Action:
    return ("send", "client", ("Request", {"method": method, "target": target, "headers": [HOST, *headers]}))


def _send(side: str, name: str, **kwargs: object) -> Action:
    return ("send", side, (name, dict(kwargs)))


EOM_C = _send("client", "EndOfMessage")
EOM_S = _send("server", "EndOfMessage")
UPGRADE = ((b"Upgrade", b"websocket"), (b"Connection", b"upgrade"))

TOURS: dict[str, list[Action]] = {
    "connect-accepted": [
        _request(b"CONNECT", target=b"a:443"),
        EOM_C,
        ("deliver", "client", ()),
        _send("server", "Response", status_code=200, headers=[]),
        ("deliver", "server", ()),
    ],
    "connect-denied": [
        _request(b"CONNECT", target=b"a:443"),
        EOM_C,
        ("deliver", "client", (2,)),
        _send("server", "Response", status_code=407, headers=[CL0]),
        EOM_S,
        ("deliver", "server", ()),
        ("send", "server", ("ConnectionClosed", {})),
        ("eof", "server"),
    ],
    "upgrade-accepted": [
        _request(b"GET", *UPGRADE),
        EOM_C,
        ("deliver", "client", ()),
        _send("server", "InformationalResponse", status_code=101, headers=list(UPGRADE)),
        ("deliver", "server", (3,)),
    ],
    "upgrade-early-101": [
        _request(b"POST", *UPGRADE, (b"Content-Length", b"3")),
        ("deliver", "client", ()),
        _send("server", "InformationalResponse", status_code=101, headers=list(UPGRADE)),
        _send("client", "Data", data=b"abc"),
        EOM_C,
        ("deliver", "client", ()),
        ("deliver", "server", ()),
    ],
    "upgrade-denied": [
        _request(b"GET", *UPGRADE),
        EOM_C,
        ("deliver", "client", ()),
        _send("server", "Response", status_code=200, headers=[CL0]),
        EOM_S,
        ("deliver", "server", ()),
        ("cycle", "client"),
        ("cycle", "server"),
        ("send", "client", ("ConnectionClosed", {})),
        ("send", "client", ("ConnectionClosed", {})),
        ("eof", "client"),
    ],
    "expect-100-keep-alive-chunked-trailers": [
        _request(b"POST", (b"Expect", b"100-continue"), (b"Transfer-Encoding", b"chunked")),
        ("deliver", "client", (1,)),
        _send("server", "InformationalResponse", status_code=100, headers=[]),
        ("deliver", "server", ()),
        _send("client", "Data", data=b"hello"),
        _send("client", "EndOfMessage", headers=[(b"X-Sum", b"1")]),
        ("deliver", "client", (1, 2, 3)),
        _send("server", "Response", status_code=200, headers=[]),
        _send("server", "Data", data=b"0123456789abcdef0"),
        _send("server", "EndOfMessage", headers=[(b"X-Sum", b"2")]),
        ("deliver", "server", (1, 4)),
        ("send", "server", ("ConnectionClosed", {})),
        ("send", "server", ("ConnectionClosed", {})),
        ("eof", "server"),
        ("send", "client", ("ConnectionClosed", {})),
    ],
    "http10-peer": [
        ("inject", "server", b"POST / HTTP/1.0\r\nContent-Length: 2\r\n\r\nhi", (5,)),
        _send("server", "Response", status_code=200, headers=[]),
        _send("server", "Data", data=b"ok"),
        EOM_S,
        ("send", "server", ("ConnectionClosed", {})),
    ],
    "closes-from-idle": [
        ("send", "server", ("ConnectionClosed", {})),
        ("eof", "server"),
        ("send", "client", ("ConnectionClosed", {})),
        ("eof", "client"),
    ],
    "client-closes-when-done": [
        _request(b"GET"),
        EOM_C,
        ("send", "client", ("ConnectionClosed", {})),
        ("eof", "client"),
        _send("server", "Response", status_code=200, headers=[]),
        EOM_S,
        ("deliver", "server", ()),
    ],
    "keep-alive-folded-requests": [  # obs-fold twice on one connection: a mix of its alternatives shows
        ("inject", "server", b"GET / HTTP/1.1\r\nHost: a\r\nX: a\r\n b\r\n\r\n", ()),
        _send("server", "Response", status_code=200, headers=[CL0]),
        EOM_S,
        ("cycle", "server"),
        ("inject", "server", b"GET /2 HTTP/1.1\r\nHost: a\r\nX: c\r\n\td\r\n\r\n", (3,)),
    ],
    "response-from-idle": [
        _send("server", "Response", status_code=408, headers=[CL0]),
        EOM_S,
        ("deliver", "server", ()),
    ],
}
