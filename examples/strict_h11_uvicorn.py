"""Strict-h11 on a real dependent: uvicorn serving a tiny ASGI app on 127.0.0.1, probed with raw requests.

Run it as is (uvicorn on h11), then as ``h11spec shim -- python examples/strict_h11_uvicorn.py`` (uvicorn on
h11spec's RFC-strict reference), and compare: one line per request, the status line and the framing
headers of the answer, or what uvicorn logged when it could not answer. Loopback only; every socket has a
timeout, and the server stops at the end.
"""

from __future__ import annotations

import logging
import socket
import threading
import time
from typing import Any

import h11
import uvicorn

STRICT = h11.Connection.__module__.startswith("conformance.")
SHOWN = (b"content-length", b"transfer-encoding", b"connection")

REQUESTS = [
    (
        "GET /no-content (app sets Content-Length: 0 on a 204)",
        b"GET /no-content HTTP/1.1\r\nHost: example\r\n\r\n",
    ),
    (
        "POST / with Content-Length and Transfer-Encoding",
        b"POST / HTTP/1.1\r\nHost: example\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n"
        b"0\r\n\r\n",
    ),
    ("GET / with Host: a b", b"GET / HTTP/1.1\r\nHost: a b\r\n\r\n"),
    ("GET /", b"GET / HTTP/1.1\r\nHost: example\r\n\r\n"),
]


async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
    """204 with a Content-Length for /no-content (an application bug), a short text otherwise."""
    if scope["type"] != "http":
        return
    if scope["path"] == "/no-content":
        await send({"type": "http.response.start", "status": 204, "headers": [(b"content-length", b"0")]})
        await send({"type": "http.response.body", "body": b""})
        return
    await send({"type": "http.response.start", "status": 200, "headers": [(b"content-type", b"text/plain")]})
    await send({"type": "http.response.body", "body": b"hello"})


class Remember(logging.Handler):
    """Keeps the exceptions uvicorn logs."""

    def __init__(self) -> None:
        super().__init__()
        self.errors: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.exc_info and record.exc_info[1] is not None:
            exc = record.exc_info[1]
            self.errors.append(f"{type(exc).__name__}: {exc}")


def exchange(port: int, raw: bytes) -> bytes:
    """Send ``raw``, read until the server closes or is quiet for 0.5 s (3 s at most)."""
    with socket.create_connection(("127.0.0.1", port), timeout=3) as sock:
        sock.sendall(raw)
        data = b""
        deadline = time.monotonic() + 3
        sock.settimeout(0.5)
        while time.monotonic() < deadline:
            try:
                chunk = sock.recv(65536)
            except TimeoutError:
                break
            if not chunk:
                break
            data += chunk
        return data


def describe(answer: bytes, errors: list[str]) -> str:
    """The status line and the framing headers, or what uvicorn logged."""
    if not answer:
        return "no response; uvicorn logged " + (errors[-1] if errors else "nothing")
    head = answer.split(b"\r\n\r\n", 1)[0].split(b"\r\n")
    fields = [line for line in head[1:] if line.split(b":", 1)[0].strip().lower() in SHOWN]
    lines = [head[0].decode("latin-1"), *(f.decode("latin-1").lower() for f in fields)]
    return " | ".join(lines)


def main() -> None:
    """Serve, probe, print one line per request, stop."""
    remember = Remember()
    log = logging.getLogger("uvicorn.error")
    log.addHandler(remember)
    log.setLevel(logging.ERROR)
    log.propagate = False  # kept, not printed: the line per request says what happened
    config = uvicorn.Config(app, host="127.0.0.1", port=0, http="h11", lifespan="off", log_config=None)
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    port = server.servers[0].sockets[0].getsockname()[1]
    try:
        for label, raw in REQUESTS:
            answer = describe(exchange(port, raw), remember.errors)
            print(f"{'strict' if STRICT else 'h11'}: {label} -> {answer}")
    finally:
        server.should_exit = True
        thread.join(10)


if __name__ == "__main__":
    main()
