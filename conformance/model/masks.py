"""Named masks for the documented differences between the reference and h11 (profile ``h11``).

Theory of operation: the reference departs from h11 only where h11 breaks an RFC MUST, each departure
named once in ``conformance/reference/differences.py``. When the model checker runs h11 (or an h11 fork)
against the reference under the ``h11`` profile, those departures are expected, not findings. Each
difference gets one *predicate* here, keyed by its name, that says from an action (and the oracle's state
just before it) whether the action steps into the difference's territory; ``Flags.note`` collects the
names of every predicate that fired so far in an example. When an invariant then breaks, ``explainer``
blames the first flagged difference and the example stops comparing (the worlds have legitimately
diverged). Under ``rfc9112`` nothing is masked. The predicates are deliberately coarse (a superset of
the real territory): a mask only ever hides a divergence that comes *after* its trigger, and the
rfc9112 run still reports everything.

Adding a difference to ``DIFFERENCES`` without a predicate here is caught by a test.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from conformance.drive import state_name

if TYPE_CHECKING:
    from conformance.model.actions import Action, InvariantViolation

Context = Any  # a LockStep, or None for a bare byte stream
Predicate = Callable[["Action", Context], bool]

_HOST_OK = re.compile(rb"^([A-Za-z0-9._~!$&'()*+,;=%-]*|\[[0-9A-Fa-f:.]+\])(:[0-9]*)?$")


def _headers(action: Action) -> list[tuple[bytes, bytes]]:
    if action[0] != "send":
        return []
    return [(bytes(n).lower(), bytes(v)) for n, v in action[2][1].get("headers", ())]


def _event(action: Action) -> str:
    return str(action[2][0]) if action[0] == "send" else ""


def _status(action: Action) -> int:
    status = action[2][1].get("status_code", 0) if action[0] == "send" else 0
    return status if isinstance(status, int) else 0


def _names(action: Action) -> set[bytes]:
    return {n for n, _ in _headers(action)}


def _injected(action: Action) -> bytes:
    return bytes(action[2]).lower() if action[0] == "inject" else b""


def _old_version(data: bytes) -> bool:
    return re.search(rb"http/(0\.\d|1\.0)", data) is not None


def _state(ctx: Context, side: str, which: str = "our") -> str:
    if ctx is None:
        return ""
    conn = ctx.ref.conns[side]
    return state_name(getattr(conn, f"{which}_state"))


def _cl_te(action: Action, ctx: Context) -> bool:
    data = _injected(action)
    if data:
        return b"content-length" in data and b"transfer-encoding" in data
    return {b"content-length", b"transfer-encoding"} <= _names(action)


def _not_idle(action: Action, ctx: Context) -> bool:
    if _event(action) == "Response" and action[1] == "server":
        return _state(ctx, "server") == "IDLE"
    if _event(action) == "Request" and action[1] == "client":
        return _state(ctx, "client", "their") != "IDLE"
    if action[0] in ("deliver", "eof") and action[1] == "client":
        return _state(ctx, "server") in ("ERROR", "CLOSED", "MUST_CLOSE")
    return action[0] == "inject" and action[1] == "server" and _state(ctx, "server") != "IDLE"


def _reason_ctl(action: Action, ctx: Context) -> bool:
    reason = action[2][1].get("reason", b"") if action[0] == "send" else b""
    return any((c < 0x20 and c != 0x09) or c == 0x7F for c in bytes(reason))


def _te_http10(action: Action, ctx: Context) -> bool:
    data = _injected(action)
    return _old_version(data) and b"transfer-encoding" in data


def _host_invalid(action: Action, ctx: Context) -> bool:
    data = _injected(action)
    if data:
        return any(not _HOST_OK.match(m.strip()) for m in re.findall(rb"\nhost:([^\r\n]*)", data))
    return any(n == b"host" and not _HOST_OK.match(v) for n, v in _headers(action))


def _chunk_ext(action: Action, ctx: Context) -> bool:
    return b";" in _injected(action)


def _send_cl_te(action: Action, ctx: Context) -> bool:
    return _event(action) in ("Request", "InformationalResponse") and _cl_te(action, ctx)


def _framing_names(action: Action) -> bool:
    return bool(_names(action) & {b"content-length", b"transfer-encoding"})


def _framing_1xx_204(action: Action, ctx: Context) -> bool:
    kind = _event(action)
    return (kind == "InformationalResponse" or (kind == "Response" and _status(action) == 204)) and (
        _framing_names(action)
    )


def _framing_connect(action: Action, ctx: Context) -> bool:
    return _event(action) == "Response" and 200 <= _status(action) < 300 and _framing_names(action)


def _te_not_final(action: Action, ctx: Context) -> bool:
    return any(
        v.strip() != b"chunked" for v in re.findall(rb"transfer-encoding:([^\r\n]*)", _injected(action))
    )


def _upgrade_http10(action: Action, ctx: Context) -> bool:
    data = _injected(action)
    return _old_version(data) and b"upgrade:" in data


def _101_no_upgrade(action: Action, ctx: Context) -> bool:
    return (
        _event(action) == "InformationalResponse"
        and _status(action) == 101
        and (not any(n == b"upgrade" and v for n, v in _headers(action)))
    )


def _framing_trailer(action: Action, ctx: Context) -> bool:
    return _event(action) == "EndOfMessage" and bool(
        _names(action) & {b"content-length", b"transfer-encoding", b"host"}
    )


def _oversized(action: Action, ctx: Context) -> bool:
    """A head, chunk-size line or trailer section that could exceed the 16 KiB incomplete-event limit."""
    if action[0] == "inject":
        return len(action[2]) > 16_384
    return sum(len(n) + len(v) + 4 for n, v in _headers(action)) > 16_000


PREDICATES: dict[str, Predicate] = {
    "cl-te-keepalive": _cl_te,
    "request-when-server-not-idle": _not_idle,
    "reason-phrase-injection": _reason_ctl,
    "te-in-http10": _te_http10,
    "host-value-invalid": _host_invalid,
    "chunk-ext-bare-cr": _chunk_ext,
    "chunk-ext-bws": _chunk_ext,
    "send-cl-with-te": _send_cl_te,
    "send-framing-on-1xx-204": _framing_1xx_204,
    "send-framing-on-connect-2xx": _framing_connect,
    "te-chunked-not-final": _te_not_final,
    "upgrade-in-http10": _upgrade_http10,
    "send-101-without-upgrade": _101_no_upgrade,
    "send-framing-trailer": _framing_trailer,
    "size-limit-split-invariant": _oversized,
}


def documented() -> tuple[str, ...]:
    """The names in ``conformance.reference.differences.DIFFERENCES`` (empty if it cannot be read)."""
    try:
        from conformance.reference.differences import DIFFERENCES
    except ImportError:  # pragma: no cover - the differences module is committed
        return ()
    return tuple(d.name for d in DIFFERENCES)


class Flags:
    """The differences an example has stepped into so far."""

    def __init__(self) -> None:
        self.names: set[str] = set()

    def note(self, action: Action, ctx: Context) -> None:
        """Run every predicate on ``action`` (before the oracle runs it) and remember those that fire."""
        for name, predicate in PREDICATES.items():
            if name not in self.names and predicate(action, ctx):
                self.names.add(name)


def flags_for_bytes(side: str, data: bytes) -> set[str]:
    """The differences a raw byte stream fed to ``side`` may step into."""
    flags = Flags()
    flags.note(("inject", side, data, ()), None)
    return flags.names


def explainer(profile: str) -> Callable[[set[str], InvariantViolation], str | None]:
    """The masking rule of ``profile``: under "h11", the first flagged documented difference; else None."""
    known = set(documented())

    def explain(flags: set[str], violation: InvariantViolation) -> str | None:
        if profile != "h11":
            return None
        hits = sorted(flags & known)
        return hits[0] if hits else None

    return explain
