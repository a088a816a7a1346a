"""Strict-h11 on a real client: httpcore fetching from a raw server on 127.0.0.1 that answers as scripted.

Run it as is (httpcore on h11), then as ``h11spec shim -- python examples/strict_h11_httpcore.py`` (httpcore
on h11spec's RFC-strict reference): one line per request, the status and body httpcore returned or the
exception it raised. Loopback only; every socket has a timeout.
"""

from __future__ import annotations

import socket
import threading

import h11
import httpcore

STRICT = h11.Connection.__module__.startswith("conformance.")

# path -> (what the line says, the raw response the server sends)
ANSWERS = {
    "/te-in-http10": (
        "HTTP/1.0 response with Transfer-Encoding: chunked",
        b"HTTP/1.0 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nhi\r\n0\r\n\r\n",
    ),
    "/plain": ("HTTP/1.1 response with Content-Length", b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nhi"),
}


def serve(listener: socket.socket) -> None:
    """Answer each connection with the scripted response for its path, then close it."""
    while True:
        try:
            conn, _ = listener.accept()
        except OSError:
            return
        with conn:
            conn.settimeout(3)
            head = b""
            while b"\r\n\r\n" not in head:
                chunk = conn.recv(4096)
                if not chunk:
                    break
                head += chunk
            path = head.split(b" ")[1].decode() if b" " in head else ""
            conn.sendall(ANSWERS.get(path, ("", b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n"))[1])


def main() -> None:
    """Serve, fetch each path with httpcore, print one line per request."""
    listener = socket.create_server(("127.0.0.1", 0))
    port = listener.getsockname()[1]
    threading.Thread(target=serve, args=(listener,), daemon=True).start()
    try:
        with httpcore.ConnectionPool() as pool:
            for path, (label, _) in ANSWERS.items():
                try:
                    response = pool.request(
                        "GET", f"http://127.0.0.1:{port}{path}", extensions={"timeout": {"read": 3}}
                    )
                    outcome = f"{response.status} {response.content!r}"
                except httpcore.RemoteProtocolError as exc:
                    outcome = f"RemoteProtocolError: {exc}"
                print(f"{'strict' if STRICT else 'h11'}: {label} -> {outcome}")
    finally:
        listener.close()


if __name__ == "__main__":
    main()
