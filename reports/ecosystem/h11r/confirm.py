"""Hand-confirmation of the non-pass catalog rows of h11r, with h11r's own API (no h11spec code).

Run: python reports/ecosystem/h11r/confirm.py  (one line per input: what h11r did).
"""

from __future__ import annotations

import h11r


def receive(role, wire):
    """Feed ``wire`` then EOF to a fresh Connection; the events (by class name) or the error."""
    conn = h11r.Connection(role)
    if role == h11r.Role.CLIENT:
        conn.send_request("GET", "/", [("Host", "a")])
        conn.end_of_message()
    conn.receive_data(wire)
    events = []
    try:
        for _ in range(20):
            event = conn.next_event()
            events.append(type(event).__name__ if not isinstance(event, h11r.ReceiveStatus) else str(event))
            if isinstance(event, h11r.ReceiveStatus):
                break
    except h11r.RemoteProtocolError as exc:
        return f"rejected ({exc.suggested_status_code}): {exc}"
    return f"accepted {events}, peer_state={conn.peer_state}, trailing_data={conn.trailing_data}"


TE = b"POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: %s\r\n\r\n5\r\nhello\r\n0\r\n\r\n"
for case_id, value in (
    ("9112/6.3/te-identity", b"identity"),
    ("9112/6.3/te-xchunked", b"xchunked"),
    ("9112/6.3/te-chunkedchunked", b"chunkedchunked"),
    ("9112/6.3/te-quoted", b'"chunked"'),
    ("9112/6.3/te-chunked-nbsp", b"chunked\xa0"),
    ("9112/6.3/te-chunked-high-byte", b"chunked\xff"),
):
    print(f"{case_id}: {receive(h11r.Role.SERVER, TE % value)}")

print(
    "9112/9.6/no-request-after-connection-close:",
    receive(
        h11r.Role.SERVER,
        b"GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n",
    ),
)
print(
    "9112/9.6/no-request-after-http10:",
    receive(h11r.Role.SERVER, b"GET / HTTP/1.0\r\n\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n"),
)

server = h11r.Connection(h11r.Role.SERVER)
server.receive_data(b"CONNECT a:443 HTTP/1.1\r\nHost: a:443\r\n\r\n")
server.next_event(), server.next_event()
server.send_response(403, [("Content-Length", "0")])
server.end_of_message()
print(f"9110/9.3.6/connect-denied: after a 403 to CONNECT local_state={server.local_state}")

for case_id, wire in (
    ("9112/3.2/asterisk-form-with-get", b"GET * HTTP/1.1\r\nHost: a\r\n\r\n"),
    ("9112/3.2/authority-form-without-connect", b"GET a:80 HTTP/1.1\r\nHost: a\r\n\r\n"),
):
    print(f"{case_id}: {receive(h11r.Role.SERVER, wire)}")

server = h11r.Connection(h11r.Role.SERVER)
server.receive_data(b"GET / HTTP/1.1\r\nHost: a\r\nUpgrade: websocket\r\nConnection: upgrade\r\n\r\n")
server.next_event(), server.next_event()
try:
    server.send_informational_response(101, [("Upgrade", "websocket")])
except h11r.LocalProtocolError as exc:
    print(f"101 without Connection: upgrade (RFC 9110 §7.8 MUST): refused: {exc}")


# Differential fuzz campaign (5 minutes): where h11r and the reference part, each an RFC-allowed reading
# (h11r ignores the framing fields of a response that has no body; the reference validates them).
def receive_after(method, target, wire):
    """As ``receive`` for a client whose request was ``method`` (HEAD, CONNECT...)."""
    conn = h11r.Connection(h11r.Role.CLIENT)
    conn.send_request(method, target, [("Host", "a")])
    conn.end_of_message()
    conn.receive_data(wire)
    events = []
    try:
        for _ in range(20):
            event = conn.next_event()
            events.append(type(event).__name__ if not isinstance(event, h11r.ReceiveStatus) else str(event))
            if isinstance(event, h11r.ReceiveStatus):
                break
    except h11r.RemoteProtocolError as exc:
        return f"rejected ({exc.suggested_status_code}): {exc}"
    return f"accepted {events}, peer_state={conn.peer_state}"


for case_id, method, target, wire in (
    # RFC 9110 §9.3.6: a client MUST ignore Content-Length / Transfer-Encoding in a 2xx to CONNECT.
    (
        "fuzz: connect-2xx-bad-te",
        "CONNECT",
        "a:443",
        b"HTTP/1.1 200 OK\r\nConnection: close\r\ntransfer-encoding: chunk\xc3\xa9d\r\n\r\nbody",
    ),
    # RFC 9112 §6.3 rule 1: a response to HEAD and a 304 end at the blank line whatever the fields say.
    ("fuzz: head-conflicting-cl", "HEAD", "/", b"HTTP/1.1 200 OK\r\nContent-Length:  0\r\n 3, 3\r\n\r\n"),
    ("fuzz: 304-bad-content-length", "GET", "/", b"HTTP/1.1 304 Not Modified\r\nContent-Length: -0\r\n\r\n"),
    # RFC 9110 §8.6: an identical Content-Length repeated may be read as one value.
    (
        "fuzz: cl-identical-lines",
        "GET",
        "/",
        b"HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 1\r\n\r\nb",
    ),
):
    print(f"{case_id}: {receive_after(method, target, wire)}")
