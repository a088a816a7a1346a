"""Planted-fault implementations for the catalog's self-tests: each breaks exactly one rule.

Theory of operation: a fault must not leak into other tests running in the same process, so the ones that
change internals patch a *private copy* of the base package, imported again and then taken out of
``sys.modules`` (``private_copy``); the real modules are never touched. The others subclass ``Connection``.
Each fault is exposed as a ``Target`` for ``conformance.catalog.grade.run_catalog``.

They wrap ``conformance.reference`` (graded under rfc9112), or h11 (graded under the h11 profile) while the
reference does not import; each unfaulted base passes the whole catalog under its profile, so a failure is
the planted bug. ``BASE`` and ``PROFILE`` say which.
"""

from __future__ import annotations

import importlib
import sys
import types
from collections.abc import Callable, Iterable
from typing import Any

from conformance.targets.capabilities import ALL_CAPABILITIES
from conformance.targets.load import Target

_COPIES: dict[tuple[str, str], dict[str, types.ModuleType]] = {}
_UNBOUND = object()


def _in(package: str, name: str) -> bool:
    return name == package or name.startswith(package + ".")


def private_copy(package: str, tag: str) -> dict[str, types.ModuleType]:
    """A fresh, private import of ``package`` ("h11" or "conformance.reference"): its modules by name.

    The real modules are put back in ``sys.modules`` at once, and the parent package's attribute
    (``conformance.reference``) is rebound to the real one, so only code holding the copy sees it.
    """
    key = (package, tag)
    if key not in _COPIES:
        saved = {k: v for k, v in sys.modules.items() if _in(package, k)}
        # Importing a submodule also binds it as an attribute of its parent package, which
        # ``import conformance.reference as x`` reads before sys.modules: put that back too.
        parent_name, _, child = package.rpartition(".")
        parent = sys.modules.get(parent_name) if parent_name else None
        binding = parent.__dict__.get(child, _UNBOUND) if parent is not None else _UNBOUND
        for k in saved:
            del sys.modules[k]
        try:
            importlib.import_module(package)
            _COPIES[key] = {k: v for k, v in sys.modules.items() if _in(package, k)}
        finally:
            for k in [k for k in sys.modules if _in(package, k)]:
                del sys.modules[k]
            sys.modules.update(saved)
            if parent is not None:
                if binding is _UNBOUND:
                    parent.__dict__.pop(child, None)
                else:
                    setattr(parent, child, binding)
    return _COPIES[key]


BASE = "reference"
PROFILE = "rfc9112"
"""The implementation the faults wrap, and the profile under which that base passes the whole catalog."""


def base_module() -> types.ModuleType:
    """The unfaulted base implementation."""
    return importlib.import_module("conformance.reference" if BASE == "reference" else "h11")


def target(name: str, api: Any, capabilities: Iterable[str] = ALL_CAPABILITIES) -> Target:
    """A hand-built Target for ``api``."""
    return Target(name, api, f"tests.faults.catalog:{name}", "0", frozenset(capabilities))


def two_content_lengths() -> Target:
    """Accepts a request with two different Content-Length values (the first one wins)."""
    if BASE == "reference":
        mods = private_copy("conformance.reference", "two_cl")
        rules = mods["conformance.reference.headers"]._FramingRules
        take = rules.take

        def first_wins(self: Any, item: tuple[bytes, bytes, bytes]) -> Any:
            if item[1] == b"content-length":
                if self.seen_cl is not None:
                    return None
                item = (item[0], item[1], item[2].split(b",")[0].strip())
            return take(self, item)

        rules.take = first_wins
        return target("fault-two-content-lengths", mods["conformance.reference"])
    mods = private_copy("h11", "two_cl")
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
    return target("fault-two-content-lengths", mods["h11"])


def _drop_te_continuations(lines: Iterable[bytes]) -> list[bytes]:
    kept: list[bytes] = []
    in_te = False
    for line in lines:
        if line[:1] in (b" ", b"\t") and in_te:
            continue
        in_te = bytes(line).lower().startswith(b"transfer-encoding:")
        kept.append(line)
    return kept


def obs_fold_in_te() -> Target:
    """Accepts obs-fold inside Transfer-Encoding: drops the continuation line instead of folding it in."""
    if BASE == "reference":
        mods = private_copy("conformance.reference", "obs_fold_te")
        readers = mods["conformance.reference.readers"]
        parse = readers._parse_field_lines
        readers._parse_field_lines = lambda lines, *rest, **named: parse(
            _drop_te_continuations(lines), *rest, **named
        )
        return target("fault-obs-fold-in-te", mods["conformance.reference"])
    mods = private_copy("h11", "obs_fold_te")
    fold = mods["h11._readers"]._obsolete_line_fold
    mods["h11._readers"]._obsolete_line_fold = lambda lines: fold(_drop_te_continuations(lines))
    return target("fault-obs-fold-in-te", mods["h11"])


class _CrBlind:
    """A compiled pattern that does not see CR bytes."""

    def __init__(self, pattern: Any) -> None:
        self.pattern = pattern

    def fullmatch(self, value: bytes) -> Any:
        return self.pattern.fullmatch(value.replace(b"\r", b""))


def cr_in_header_value() -> Target:
    """Lets a bare CR inside a header value through validation, so it reaches the wire."""
    if BASE == "reference":
        mods = private_copy("conformance.reference", "cr_value")
        headers = mods["conformance.reference.headers"]
        headers.field_value_re = _CrBlind(headers.field_value_re)
        return target("fault-cr-in-header-value", mods["conformance.reference"])
    mods = private_copy("h11", "cr_value")
    original: Callable[..., Any] = mods["h11._headers"].validate

    def lax(regex: Any, data: bytes, msg: str = "malformed data", *args: Any) -> Any:
        if msg.startswith("Illegal header value"):
            data = data.replace(b"\r", b"")
        return original(regex, data, msg, *args)

    mods["h11._headers"].validate = lax
    return target("fault-cr-in-header-value", mods["h11"])


def stays_in_send_body() -> Target:
    """Stays in SEND_BODY after EndOfMessage (both roles)."""
    if BASE == "reference":
        mods = private_copy("conformance.reference", "send_body")
        api, table = mods["conformance.reference"], mods["conformance.reference.state"].TRANSITIONS
        for role in (api.CLIENT, api.SERVER):
            table[(role, api.SEND_BODY, api.EndOfMessage)] = api.SEND_BODY
        return target("fault-stays-in-send-body", api)
    mods = private_copy("h11", "send_body")
    api, table = mods["h11"], mods["h11._state"].EVENT_TRIGGERED_TRANSITIONS
    for role in (api.CLIENT, api.SERVER):
        table[role][api.SEND_BODY][api.EndOfMessage] = api.SEND_BODY
    return target("fault-stays-in-send-body", api)


def _namespace(**overrides: Any) -> types.SimpleNamespace:
    base = base_module()
    names = {k: getattr(base, k) for k in dir(base) if not k.startswith("__")}
    names.update(overrides)
    return types.SimpleNamespace(**names)


class _LosesLfAfterCr(base_module().Connection):  # type: ignore[misc,name-defined]
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


class _Stalls(base_module().Connection):  # type: ignore[misc,name-defined]
    """Never produces an event: NEED_DATA forever, even after EOF."""

    def next_event(self) -> Any:
        return base_module().NEED_DATA


class _Explodes(base_module().Connection):  # type: ignore[misc,name-defined]
    """Raises an exception the contract does not allow from next_event."""

    def next_event(self) -> Any:
        raise ValueError("planted crash")


def stalls() -> Target:
    """A target whose next_event stalls on complete input."""
    return target("fault-stalls", _namespace(Connection=_Stalls))


def crashes() -> Target:
    """A target whose next_event raises ValueError."""
    return target("fault-crashes", _namespace(Connection=_Explodes))
