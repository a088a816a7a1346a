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
import re
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


class _TrailersIntoNextRequest(base_module().Connection):  # type: ignore[misc,name-defined]
    """Adds the trailer fields of a chunked request to the header fields of the request after it."""

    _leaked: tuple[tuple[bytes, bytes], ...] = ()

    def next_event(self) -> Any:
        event = super().next_event()
        name = type(event).__name__
        if name == "EndOfMessage" and len(event.headers):
            self._leaked = tuple((bytes(n), bytes(v)) for n, v in event.headers)
        elif name == "Request" and self._leaked:
            headers = [*self._leaked, *((bytes(n), bytes(v)) for n, v in event.headers)]
            event = type(event)(
                method=event.method, target=event.target, headers=headers, http_version=event.http_version
            )
            self._leaked = ()
        return event


def trailers_into_next_request() -> Target:
    """Merges a request's trailer fields into the next pipelined request's header section."""
    return target("fault-trailers-into-next-request", _namespace(Connection=_TrailersIntoNextRequest))


class _DefersRejection(base_module().Connection):  # type: ignore[misc,name-defined]
    """Holds every RemoteProtocolError back until EOF, answering NEED_DATA meanwhile."""

    _held: Exception | None = None
    _eof = False

    def receive_data(self, data: bytes) -> None:
        if not data:
            self._eof = True
        super().receive_data(data)

    def next_event(self) -> Any:
        if self._held is not None:
            if self._eof:
                raise self._held
            return base_module().NEED_DATA
        try:
            return super().next_event()
        except base_module().RemoteProtocolError as exc:
            if self._eof:
                raise
            self._held = exc
            return base_module().NEED_DATA


def defers_rejections() -> Target:
    """Rejects bad bytes only once EOF comes, however early the bytes settled the rejection."""
    return target("fault-defers-rejections", _namespace(Connection=_DefersRejection))


def chunk_end_never_set() -> Target:
    """Never sets Data.chunk_end when reading a chunked body."""
    mods = private_copy("conformance.reference", "chunk_end")
    readers = mods["conformance.reference.readers"]
    real = readers.Data

    def data_without_end(data: Any, chunk_start: bool = False, chunk_end: bool = False) -> Any:
        return real(data, chunk_start, False)

    readers.Data = data_without_end
    return target("fault-chunk-end-never-set", mods["conformance.reference"])


def chunk_start_lost_on_split() -> Target:
    """Sets Data.chunk_start only when the size line and data arrive together (lost when split between)."""
    mods = private_copy("conformance.reference", "chunk_start")
    readers = mods["conformance.reference.readers"]
    reader = readers.ChunkBodyReader
    read = reader.__call__

    def quirky(self: Any, buf: Any) -> Any:
        pending = self._chunk_start  # the size line came in an earlier call
        event = read(self, buf)
        if pending and isinstance(event, readers.Data):
            event = readers.Data(event.data, False, event.chunk_end)
        return event

    reader.__call__ = quirky
    return target("fault-chunk-start-lost-on-split", mods["conformance.reference"])


def content_length_unbounded_int() -> Target:
    """Accepts a Content-Length of any number of digits and converts it with int(), uncaught."""
    mods = private_copy("conformance.reference", "cl_int")
    mods["conformance.reference.headers"].content_length_re = re.compile(rb"[0-9]+")
    return target("fault-content-length-unbounded-int", mods["conformance.reference"])


def chunk_ext_bws_refused() -> Target:
    """Allows BWS before ";" in a chunk extension, refuses it after ";" and around "=" (as httptools does)."""
    mods = private_copy("conformance.reference", "chunk_ext_bws")
    abnf = mods["conformance.reference.abnf"]
    ext = (
        rb"(?:"
        + abnf.OWS
        + rb";"
        + abnf.TOKEN
        + rb"(?:=(?:"
        + abnf.TOKEN
        + rb"|"
        + abnf.QUOTED_STRING
        + rb"))?)*"
    )
    strict = re.compile(rb"(?P<chunk_size>[0-9A-Fa-f]{1,20})" + ext + abnf.OWS + rb"\r\n")
    mods["conformance.reference.readers"].chunk_header_re = strict
    return target("fault-chunk-ext-bws-refused", mods["conformance.reference"])


def obs_fold_tab_kept() -> Target:
    """Replaces a fold's CRLF with SP but keeps the HTAB after it (all of OWS CRLF RWS must go)."""
    mods = private_copy("conformance.reference", "obs_fold_tab")
    readers = mods["conformance.reference.readers"]
    readers._unfold = lambda buf, line, more, request: line + b" " + more.lstrip(b" ")
    return target("fault-obs-fold-tab-kept", mods["conformance.reference"])


def _rewrite_fault(tag: str, rewrite: Callable[[Any, Callable[..., Any], Any, bytes, Any], Any]) -> Target:
    """A reference copy whose response rewrite calls ``rewrite(mods, real, headers, name, values)``."""
    mods = private_copy("conformance.reference", tag)
    connection = mods["conformance.reference.connection"]
    real = connection.replace_field
    connection.replace_field = lambda headers, name, values: rewrite(mods, real, headers, name, values)
    return target(f"fault-{tag}", mods["conformance.reference"])


def chunked_to_http10() -> Target:
    """Keeps (or adds) Transfer-Encoding: chunked on a response to an HTTP/1.0 peer."""
    return _rewrite_fault(
        "chunked-to-http10",
        lambda mods, real, headers, name, values: real(
            headers, name, [b"chunked"] if name == b"transfer-encoding" else values
        ),
    )


def close_not_written() -> Target:
    """Never rewrites the Connection field: no close added, keep-alive left in place."""
    return _rewrite_fault(
        "close-not-written",
        lambda mods, real, headers, name, values: (
            headers if name == b"connection" else real(headers, name, values)
        ),
    )


_REWRITTEN = frozenset({b"content-length", b"transfer-encoding", b"connection", b"host"})


def rewrite_drops_fields() -> Target:
    """The response rewrite keeps only the framing and Connection fields, dropping every other one."""

    def drop(mods: Any, real: Callable[..., Any], headers: Any, name: bytes, values: Any) -> Any:
        new = real(headers, name, values)
        kept = [item for item in new._full_items if item[1] in _REWRITTEN]
        return mods["conformance.reference.headers"].Headers(kept)

    return _rewrite_fault("rewrite-drops-fields", drop)


def trailers_dropped() -> Target:
    """Drops trailers silently where the framing cannot carry them (Content-Length, close-delimited)."""
    mods = private_copy("conformance.reference", "trailers-dropped")
    writers = mods["conformance.reference.writers"]
    end = mods["conformance.reference.events"].EndOfMessage
    for cls in (writers.LengthBodyWriter, writers.UntilCloseWriter):
        write = cls.__call__

        def bare(self: Any, event: Any, out: Any, write: Callable[..., Any] = write) -> None:
            write(self, end() if type(event) is end else event, out)

        cls.__call__ = bare
    return target("fault-trailers-dropped", mods["conformance.reference"])


def empty_data_ends_chunked() -> Target:
    """Writes an empty Data as a zero-size chunk, which ends the chunked body early."""
    mods = private_copy("conformance.reference", "empty-data-chunk")
    writer = mods["conformance.reference.writers"].ChunkBodyWriter
    write = writer.__call__

    def eager(self: Any, event: Any, out: Any) -> None:
        if type(event).__name__ == "Data" and not event.data:
            out.append(b"0\r\n\r\n")
            return
        write(self, event, out)

    writer.__call__ = eager
    return target("fault-empty-data-ends-chunked", mods["conformance.reference"])


def length_not_enforced() -> Target:
    """Sends Data past the declared (or implied zero) length instead of refusing it."""
    mods = private_copy("conformance.reference", "length-not-enforced")
    writer = mods["conformance.reference.writers"].LengthBodyWriter
    write = writer.__call__

    def lax(self: Any, event: Any, out: Any) -> None:
        if type(event).__name__ == "Data":
            out.append(event.data)
            return
        write(self, event, out)

    writer.__call__ = lax
    return target("fault-length-not-enforced", mods["conformance.reference"])


def close_option_ignored() -> Target:
    """Keeps the connection alive whatever "close" option a message carries."""
    mods = private_copy("conformance.reference", "close-ignored")
    connection = mods["conformance.reference.connection"]
    keeps = connection._keeps_alive

    def ignoring_close(event: Any, info: Any) -> bool:
        close, info.close = info.close, False
        try:
            return bool(keeps(event, info))
        finally:
            info.close = close

    connection._keeps_alive = ignoring_close
    return target("fault-close-option-ignored", mods["conformance.reference"])


def _connect_switch_range(low: int, high: int) -> type:
    """A Connection whose server reads a Response to CONNECT with a status in [low, high) as a switch."""
    base = base_module().Connection
    switch = importlib.import_module(f"{base.__module__}")._SWITCH_CONNECT

    class _ConnectRange(base):  # type: ignore[misc,valid-type]
        def _server_switch_event(self, event: Any) -> Any:
            if type(event).__name__ == "Response" and switch in self._machine.proposals_pending:
                return switch if low <= event.status_code < high else None
            return super()._server_switch_event(event)

    return _ConnectRange


def connect_switches_on_300() -> Target:
    """Opens the tunnel on a 300 response to CONNECT too (the 2xx range read as 200-300 inclusive)."""
    return target("fault-connect-switches-on-300", _namespace(Connection=_connect_switch_range(200, 301)))


def connect_stays_on_299() -> Target:
    """Keeps a 299 response to CONNECT from opening the tunnel (the 2xx range read as 200-298)."""
    return target("fault-connect-stays-on-299", _namespace(Connection=_connect_switch_range(200, 299)))


def connect_2xx_framing_checked() -> Target:
    """Checks Content-Length and Transfer-Encoding on a 2xx to CONNECT as on any response (h11's order)."""
    mods = private_copy("conformance.reference", "connect-2xx-framing-checked")
    readers = mods["conformance.reference.readers"]
    # The response to CONNECT is read by the ordinary reader, which does not know the request's method.
    readers.CONNECT_READERS[(readers.SERVER, readers.SEND_RESPONSE)] = readers.read_response_head
    return target("fault-connect-2xx-framing-checked", mods["conformance.reference"])


def connect_any_answer_framing_ignored() -> Target:
    """Ignores Content-Length and Transfer-Encoding on every answer to CONNECT, not only on a 2xx."""
    mods = private_copy("conformance.reference", "connect-any-answer-framing-ignored")
    readers = mods["conformance.reference.readers"]
    parse = readers._parse_fields
    answering_connect = [False]

    def parse_fields(block: bytes, buf: Any, **kw: Any) -> Any:
        if answering_connect[0]:
            kw["framing"] = False
        return parse(block, buf, **kw)

    def read_connect_response_head(buf: Any) -> Any:
        answering_connect[0] = True
        try:
            return readers.read_response_head(buf, True)
        finally:
            answering_connect[0] = False

    readers._parse_fields = parse_fields
    readers.CONNECT_READERS[(readers.SERVER, readers.SEND_RESPONSE)] = read_connect_response_head
    return target("fault-connect-any-answer-framing-ignored", mods["conformance.reference"])


def accepts_reason_nul() -> Target:
    """A client recovering a status-line whose reason phrase holds a NUL (grammar only: MAY)."""
    return target("accepts_reason_nul", importlib.import_module("tests.faults.fuzz.accepts_reason_nul"))


def accepts_target_ctl() -> Target:
    """A server accepting control characters in a request-target (grammar only: SHOULD reject)."""
    return target("accepts_target_ctl", importlib.import_module("tests.faults.fuzz.accepts_target_ctl"))


def accepts_bare_cr_value() -> Target:
    """Accepts a bare CR in a field value by dropping it (RFC 9112 §2.2 MUST: invalid, or replaced by SP)."""
    return target("accepts_bare_cr_value", importlib.import_module("tests.faults.fuzz.accepts_bare_cr_value"))
