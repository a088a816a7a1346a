"""Planted-fault implementations for the catalog's self-tests: each breaks exactly one rule.

Theory of operation: a fault must not leak into other tests running in the same process, so the ones that
change h11's internals patch a *private copy* of the installed h11 package, loaded again under its own module
name (``h11_copy``); the real ``h11`` module is never touched. The others wrap ``Connection`` only. Each
fault is exposed as a ``Target`` for ``conformance.runner.run_catalog``.

Until ``conformance.reference`` imports these wrap h11; the fault each adds is independent of the base, and
the tests also assert that the unfaulted base passes the same cases.
"""

from __future__ import annotations

import importlib
import sys
import types
from collections.abc import Callable, Iterable
from typing import Any

import h11

from conformance.target import ALL_CAPABILITIES, Target

_COPIES: dict[str, dict[str, types.ModuleType]] = {}


def _is_h11(name: str) -> bool:
    return name == "h11" or name.startswith("h11.")


def h11_copy(tag: str) -> dict[str, types.ModuleType]:
    """A fresh, private import of the installed h11 package: its modules by name ("h11", "h11._events"...).

    The real h11 modules are put back in ``sys.modules`` at once, so only code holding the copy sees it.
    """
    if tag not in _COPIES:
        saved = {k: v for k, v in sys.modules.items() if _is_h11(k)}
        for k in saved:
            del sys.modules[k]
        try:
            importlib.import_module("h11")
            _COPIES[tag] = {k: v for k, v in sys.modules.items() if _is_h11(k)}
        finally:
            for k in [k for k in sys.modules if _is_h11(k)]:
                del sys.modules[k]
            sys.modules.update(saved)
    return _COPIES[tag]


def target(name: str, api: Any, capabilities: Iterable[str] = ALL_CAPABILITIES) -> Target:
    """A hand-built Target for ``api``."""
    return Target(name, api, f"tests.faults.catalog:{name}", "0", frozenset(capabilities))


def two_content_lengths() -> Target:
    """Accepts a request with two different Content-Length values (the first one wins)."""
    mods = h11_copy("two_cl")
    api = mods["h11"]
    original = mods["h11._events"].normalize_and_validate

    def lenient(headers: Any, _parsed: bool = False) -> Any:
        kept, seen = [], False
        for name, value in headers:
            if bytes(name).lower() == b"content-length":
                if seen:
                    continue
                seen, value = True, bytes(value).split(b",")[0].strip()
            kept.append((name, value))
        return original(kept, _parsed=_parsed)

    mods["h11._events"].normalize_and_validate = lenient
    return target("fault-two-content-lengths", api)


def obs_fold_in_te() -> Target:
    """Accepts obs-fold inside Transfer-Encoding: drops the continuation line instead of folding it in."""
    mods = h11_copy("obs_fold_te")
    api = mods["h11"]
    original = mods["h11._readers"]._obsolete_line_fold

    def drop_te_continuations(lines: Iterable[bytes]) -> Iterable[bytes]:
        kept: list[bytes] = []
        in_te = False
        for line in lines:
            if line[:1] in (b" ", b"\t") and in_te:
                continue
            in_te = bytes(line).lower().startswith(b"transfer-encoding:")
            kept.append(line)
        return original(kept)

    mods["h11._readers"]._obsolete_line_fold = drop_te_continuations
    return target("fault-obs-fold-in-te", api)


def cr_in_header_value() -> Target:
    """Lets a bare CR inside a header value through validation, so it reaches the wire."""
    mods = h11_copy("cr_value")
    api = mods["h11"]
    original: Callable[..., Any] = mods["h11._headers"].validate

    def lax(regex: Any, data: bytes, msg: str = "malformed data", *args: Any) -> Any:
        if msg.startswith("Illegal header value"):
            data = data.replace(b"\r", b"")
        return original(regex, data, msg, *args)

    mods["h11._headers"].validate = lax
    return target("fault-cr-in-header-value", api)


def stays_in_send_body() -> Target:
    """Stays in SEND_BODY after EndOfMessage (both roles)."""
    mods = h11_copy("send_body")
    api = mods["h11"]
    table = mods["h11._state"].EVENT_TRIGGERED_TRANSITIONS
    for role in (api.CLIENT, api.SERVER):
        table[role][api.SEND_BODY][api.EndOfMessage] = api.SEND_BODY
    return target("fault-stays-in-send-body", api)


def _namespace(**overrides: Any) -> types.SimpleNamespace:
    names = {k: getattr(h11, k) for k in dir(h11) if not k.startswith("__")}
    names.update(overrides)
    return types.SimpleNamespace(**names)


class _LosesLfAfterCr(h11.Connection):
    """Drops the LF that starts a chunk when the previous chunk ended in CR."""

    _last = b""

    def receive_data(self, data: bytes) -> None:
        if data and self._last.endswith(b"\r") and data.startswith(b"\n"):
            data = data[1:]
            if not data:  # a lone LF: lost entirely
                self._last = b"\n"
                return
        self._last = bytes(data) if data else self._last
        super().receive_data(data)


def loses_byte_between_cr_lf() -> Target:
    """Loses the LF of a CRLF split between two receive_data calls."""
    return target("fault-loses-byte-between-cr-lf", _namespace(Connection=_LosesLfAfterCr))


class _Stalls(h11.Connection):
    """Never produces an event: NEED_DATA forever, even after EOF."""

    def next_event(self) -> Any:
        return h11.NEED_DATA


class _Explodes(h11.Connection):
    """Raises an exception the contract does not allow from next_event."""

    def next_event(self) -> Any:
        raise ValueError("planted crash")


def stalls() -> Target:
    """A target whose next_event stalls on complete input."""
    return target("fault-stalls", _namespace(Connection=_Stalls))


def crashes() -> Target:
    """A target whose next_event raises ValueError."""
    return target("fault-crashes", _namespace(Connection=_Explodes))
