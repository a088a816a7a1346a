"""Probe a namespace for the h11 API: which names exist, their shapes, and the capabilities that follow.

Theory of operation: the h11 API is a fixed set of names (``H11_NAMES``) and ``Connection`` members
(``CONNECTION_MEMBERS``). ``probe_api`` looks each one up without calling anything but
``Connection(SERVER)`` (to see instance attributes that a class does not show), records signatures,
event fields, whether the sentinels are their own type (``type(X) is X``) and whether the exceptions
form the ProtocolError hierarchy, then derives the capabilities: a capability is present when every
name ``CAPABILITY_NEEDS`` lists for it is present (a top-level name when it is not None, a
Connection method when it is callable, a Connection attribute when it exists at all, since
``their_http_version`` starts as None; so ``send = None`` withdraws "serialize"). The table is
the single source of truth for "why is this check skipped": ``ProbeReport.missing[capability]``
lists the absent names.

A capability says what is *offered*, never whether it is correct. Shape problems (a sentinel that is
not its own type, an LPE that is not a ProtocolError) are listed in ``ProbeReport.problems`` for the
user to see, but do not remove a capability: the checks that rely on that shape fail loudly instead
of being silently skipped.

Probing imports nothing new and runs in process; a target whose import or ``Connection(SERVER)``
hangs hangs the probe. Everything else (the checks) runs through an executor.
"""

from __future__ import annotations

import dataclasses
import inspect
from typing import Any

from conformance.targets.capabilities import (
    DATA_PASSTHROUGH,
    EVENT_SIZE_LIMIT,
    EVENT_VALIDATION,
    EXPECT_100,
    PARSE_REQUESTS,
    PARSE_RESPONSES,
    PROTOCOL_SWITCH,
    REQUEST_CONTEXT,
    RESPONSE_TO_HOOK,
    SEND_FAILED,
    SERIALIZE,
    SIZE_LIMIT_PARAMETER,
    STATE_MACHINE,
    STATUS_HINTS,
)

EVENTS = (
    "Event",
    "Request",
    "InformationalResponse",
    "Response",
    "Data",
    "EndOfMessage",
    "ConnectionClosed",
)
SENTINELS = (
    "NEED_DATA",
    "PAUSED",
    "CLIENT",
    "SERVER",
    "IDLE",
    "SEND_RESPONSE",
    "SEND_BODY",
    "DONE",
    "MUST_CLOSE",
    "CLOSED",
    "MIGHT_SWITCH_PROTOCOL",
    "SWITCHED_PROTOCOL",
    "ERROR",
)
EXCEPTIONS = ("ProtocolError", "LocalProtocolError", "RemoteProtocolError")
H11_NAMES = ("Connection", *EVENTS, *SENTINELS, *EXCEPTIONS, "PRODUCT_ID")

CONNECTION_METHODS = (
    "receive_data",
    "next_event",
    "send",
    "send_with_data_passthrough",
    "send_failed",
    "start_next_cycle",
)
CONNECTION_ATTRIBUTES = (
    "our_role",
    "their_role",
    "our_state",
    "their_state",
    "states",
    "their_http_version",
    "client_is_waiting_for_100_continue",
    "they_are_waiting_for_100_continue",
    "trailing_data",
)
# Optional adapter hooks: not h11 names, but what a parse-only adapter offers the driver in their place
# (conformance.targets.adapters describes each).
CONNECTION_HOOKS = (RESPONSE_TO_HOOK,)
CONNECTION_MEMBERS = CONNECTION_METHODS + CONNECTION_ATTRIBUTES + CONNECTION_HOOKS

_STATES = ("IDLE", "SEND_RESPONSE", "SEND_BODY", "DONE", "MUST_CLOSE", "CLOSED", "ERROR", "PAUSED")
_PARSE = ("Connection", "NEED_DATA", "Data", "EndOfMessage", "RemoteProtocolError")
_RECV = ("Connection.receive_data", "Connection.next_event")

# capability -> every name it needs ("Connection.x" is a member of Connection). One table, read by
# probe_api and shown by `h11spec probe` as the reason a capability is missing.
CAPABILITY_NEEDS: dict[str, tuple[str, ...]] = {
    PARSE_REQUESTS: (*_PARSE, "SERVER", "Request", *_RECV),
    PARSE_RESPONSES: (*_PARSE, "CLIENT", "Response", "InformationalResponse", *_RECV),
    SERIALIZE: (
        "Connection",
        "Request",
        "Response",
        "Data",
        "EndOfMessage",
        "LocalProtocolError",
        "Connection.send",
    ),
    STATE_MACHINE: (
        *_STATES,
        "Connection.our_state",
        "Connection.their_state",
        "Connection.states",
        "Connection.start_next_cycle",
    ),
    PROTOCOL_SWITCH: (
        *_STATES,
        "MIGHT_SWITCH_PROTOCOL",
        "SWITCHED_PROTOCOL",
        "Connection.our_state",
        "Connection.their_state",
        "Connection.trailing_data",
    ),
    EXPECT_100: (
        "InformationalResponse",
        "Connection.client_is_waiting_for_100_continue",
        "Connection.they_are_waiting_for_100_continue",
    ),
    EVENT_VALIDATION: ("Request", "Response", "InformationalResponse", "EndOfMessage", "LocalProtocolError"),
    DATA_PASSTHROUGH: ("Data", "Connection.send_with_data_passthrough"),
    SEND_FAILED: ("ERROR", "Connection.our_state", "Connection.send_failed"),
    REQUEST_CONTEXT: ("Connection", "CLIENT", f"Connection.{RESPONSE_TO_HOOK}"),
    STATUS_HINTS: ("Connection", "SERVER", "RemoteProtocolError", *_RECV),
    EVENT_SIZE_LIMIT: ("Connection", "SERVER", *_RECV, f"Connection({SIZE_LIMIT_PARAMETER})"),
}
# capability -> another capability that provides it just as well when its own names are missing: a
# Connection that sends its requests knows what its responses answer without the hook.
PROVIDED_BY: dict[str, str] = {REQUEST_CONTEXT: SERIALIZE}


@dataclasses.dataclass(frozen=True)
class ProbeReport:
    """What ``probe_api`` found in one namespace."""

    names: dict[str, bool]  # every H11_NAMES entry and "Connection.<member>": present?
    signatures: dict[str, str]  # event constructors and Connection methods: "(*, method, ...)"
    fields: dict[str, tuple[str, ...]]  # event class -> field names
    sentinels: dict[str, str]  # sentinel name -> "ok" or what is wrong with it
    exceptions: dict[str, str]  # exception name -> its bases, or what is wrong
    version: str
    capabilities: frozenset[str]
    missing: dict[str, tuple[str, ...]]  # capability -> the names it lacks (only for absent ones)
    problems: tuple[str, ...]  # shape problems worth a user's attention

    @property
    def compatible(self) -> bool:
        """False when the namespace offers neither a Connection nor any event class."""
        return self.names["Connection"] or any(self.names[e] for e in EVENTS if e != "Event")

    def to_json(self) -> dict[str, Any]:
        """A JSON-able dict (sets as sorted lists)."""
        row = dataclasses.asdict(self)
        row["capabilities"] = sorted(self.capabilities)
        row["fields"] = {k: list(v) for k, v in self.fields.items()}
        row["missing"] = {k: list(v) for k, v in self.missing.items()}
        row["problems"] = list(self.problems)
        return row


def _get(obj: Any, name: str) -> Any:
    """``getattr`` that turns any failure (a raising property included) into None."""
    try:
        return getattr(obj, name, None)
    except Exception:
        return None


def _signature(obj: Any) -> str:
    """The call signature without annotations (they are long and implementation-specific)."""
    try:
        sig = inspect.signature(obj)
    except (TypeError, ValueError):
        return "(signature unavailable)"
    bare = [p.replace(annotation=inspect.Parameter.empty) for p in sig.parameters.values()]
    return str(sig.replace(parameters=bare, return_annotation=inspect.Signature.empty))


def _fields(cls: Any) -> tuple[str, ...]:
    if dataclasses.is_dataclass(cls):
        return tuple(f.name for f in dataclasses.fields(cls))
    slots = _get(cls, "__slots__")
    if isinstance(slots, (tuple, list)):
        return tuple(str(s) for s in slots)
    try:
        params = inspect.signature(cls).parameters.values()
    except (TypeError, ValueError):
        return ()
    return tuple(p.name for p in params if p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD))


def _sentinel_shape(value: Any) -> str:
    if value is None:
        return "missing"
    try:
        if type(value) is value:
            return "ok"
    except Exception:  # a metaclass with a broken __eq__/__class__ is still "not a sentinel"
        pass
    return f"not its own type (type is {type(value).__name__})"


def _exception_shape(name: str, value: Any, base: Any) -> str:
    if value is None:
        return "missing"
    if not (isinstance(value, type) and issubclass(value, Exception)):
        return "not an Exception subclass"
    if name != "ProtocolError" and isinstance(base, type) and not issubclass(value, base):
        return "not a subclass of ProtocolError"
    return "(" + ", ".join(b.__name__ for b in value.__bases__) + ")"


def _version(api: Any, module: Any) -> str:
    for holder in (api, module):
        for attr in ("H11SPEC_VERSION", "__version__"):
            value = _get(holder, attr)
            if isinstance(value, str) and value:
                return value
    import importlib.metadata  # lazily: it costs more than the rest of a worker's start-up

    top = str(_get(module, "__name__") or "").split(".")[0]
    try:
        return importlib.metadata.version(top)
    except (importlib.metadata.PackageNotFoundError, ValueError):
        return "unknown"


def _takes(callable_: Any, parameter: str) -> bool:
    """True when ``callable_`` (a class: its constructor) accepts the keyword ``parameter``."""
    try:
        params = inspect.signature(callable_).parameters
    except (TypeError, ValueError):
        return False
    return parameter in params or any(p.kind is inspect.Parameter.VAR_KEYWORD for p in params.values())


def _has_member(obj: Any, member: str) -> bool:
    """A method must be callable; an attribute must exist (None is a fine value: their_http_version)."""
    try:
        value = getattr(obj, member)
    except AttributeError:
        return False
    except Exception:  # a property that raises on a fresh instance still exists
        return member in CONNECTION_ATTRIBUTES
    return callable(value) if member in CONNECTION_METHODS + CONNECTION_HOOKS else True


def _connection_members(api: Any, connection: Any) -> dict[str, bool]:
    present = {m: _has_member(connection, m) for m in CONNECTION_MEMBERS}
    if all(present.values()) or _get(api, "SERVER") is None:
        return present
    try:  # instance attributes (set in __init__) do not show on the class
        instance = connection(_get(api, "SERVER"))
    except Exception:
        return present
    return {m: ok or _has_member(instance, m) for m, ok in present.items()}


def probe_api(api: Any, module: Any = None) -> ProbeReport:
    """Look up every h11 name in ``api`` (a module or an adapter object) and derive its capabilities.

    ``module`` is the imported module (for the version when ``api`` is an adapter); default ``api``.
    Returns:
        The ``ProbeReport``; probing never raises because of what the namespace contains.
    """
    module = api if module is None else module
    values = {name: _get(api, name) for name in H11_NAMES}
    names = {name: value is not None for name, value in values.items()}
    connection = values["Connection"]
    members = _connection_members(api, connection) if connection is not None else {}
    for member in CONNECTION_MEMBERS:
        names[f"Connection.{member}"] = members.get(member, False)

    names[f"Connection({SIZE_LIMIT_PARAMETER})"] = connection is not None and _takes(
        connection, SIZE_LIMIT_PARAMETER
    )
    signatures: dict[str, str] = {}
    fields: dict[str, tuple[str, ...]] = {}
    for event in EVENTS:
        if values[event] is not None:
            signatures[event] = _signature(values[event])
            fields[event] = _fields(values[event])
    if connection is not None:
        signatures["Connection"] = _signature(connection)
        for method in CONNECTION_METHODS:
            if members.get(method):
                signatures[f"Connection.{method}"] = _signature(_get(connection, method))
        for hook in CONNECTION_HOOKS:
            if members.get(hook):
                signatures[f"Connection.{hook}"] = _signature(_get(connection, hook))

    sentinels = {name: _sentinel_shape(values[name]) for name in SENTINELS}
    base = values["ProtocolError"]
    exceptions = {name: _exception_shape(name, values[name], base) for name in EXCEPTIONS}

    problems = [f"{name} is {shape}" for name, shape in sentinels.items() if shape not in ("ok", "missing")]
    problems += [f"{name} is {shape}" for name, shape in exceptions.items() if shape.startswith("not ")]
    missing = {
        capability: tuple(n for n in needs if not names[n]) for capability, needs in CAPABILITY_NEEDS.items()
    }
    for capability, provider in PROVIDED_BY.items():
        if not missing[provider]:
            missing[capability] = ()
    capabilities = frozenset(c for c, absent in missing.items() if not absent)
    return ProbeReport(
        names=names,
        signatures=signatures,
        fields=fields,
        sentinels=sentinels,
        exceptions=exceptions,
        version=_version(api, module),
        capabilities=capabilities,
        missing={c: absent for c, absent in missing.items() if absent},
        problems=tuple(problems),
    )


# ------------------------------------------------------------------------------------------------
# Exercising the capabilities: a tiny call per capability, so that a claim is more than a name.
#
# Names say what is offered; one call says whether it can be used as the h11 API uses it. An exercise
# whose call raises one of SHAPE_ERRORS (events that cannot be constructed, a send without h11's
# signature, a RemoteProtocolError without a status hint) means the capability is not there at all:
# "cannot". Anything else that goes wrong is behaviour, for the checks to grade ("odd"): the capability
# stays, so a buggy parser fails its cases instead of having them skipped.

SHAPE_ERRORS = (TypeError, AttributeError, NotImplementedError)
EXERCISE_OK, EXERCISE_CANNOT, EXERCISE_ODD = "ok", "cannot", "odd"
_GET = b"GET / HTTP/1.1\r\nHost: a\r\n\r\n"
_OK_RESPONSE = b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"
_GARBAGE = b"\x00\x01 / HTTP/1.1\r\n\r\n"


class _Odd(Exception):
    """The call worked but returned something the h11 API would not."""


def _request(api: Any, method: bytes = b"GET", headers: tuple[tuple[bytes, bytes], ...] = ()) -> Any:
    return api.Request(method=method, target=b"/", headers=[(b"Host", b"a"), *headers])


def _want(ok: bool, what: str) -> None:
    if not ok:
        raise _Odd(what)


def _ex_parse_requests(api: Any) -> None:
    conn = api.Connection(api.SERVER)
    conn.receive_data(_GET)
    event = conn.next_event()
    _want(getattr(event, "method", None) == b"GET", f"a minimal GET gave {event!r}")


def _tell_request(api: Any, conn: Any) -> None:
    """Let a client Connection know its request: send it, or call the adapter's hook."""
    if callable(getattr(conn, "send", None)):
        conn.send(_request(api))
        conn.send(api.EndOfMessage())
    elif callable(getattr(conn, RESPONSE_TO_HOOK, None)):
        getattr(conn, RESPONSE_TO_HOOK)(b"GET")


def _ex_parse_responses(api: Any) -> None:
    conn = api.Connection(api.CLIENT)
    _tell_request(api, conn)
    conn.receive_data(_OK_RESPONSE)
    event = conn.next_event()
    _want(getattr(event, "status_code", None) == 200, f"a minimal 200 gave {event!r}")


def _ex_serialize(api: Any) -> None:
    wire = api.Connection(api.CLIENT).send(_request(api))
    _want(bytes(wire or b"").startswith(b"GET / HTTP/1.1\r\n"), f"sending GET / gave {wire!r}")


def _ex_state_machine(api: Any) -> None:
    conn = api.Connection(api.SERVER)
    _want(conn.our_state is api.IDLE and conn.their_state is api.IDLE, "a new Connection is not IDLE")
    _want(len(conn.states) == 2, f"states is {conn.states!r}")


def _ex_protocol_switch(api: Any) -> None:
    trailing = api.Connection(api.SERVER).trailing_data
    _want(tuple(trailing) == (b"", False), f"a new Connection has trailing_data {trailing!r}")


def _ex_expect_100(api: Any) -> None:
    waiting = api.Connection(api.SERVER).they_are_waiting_for_100_continue
    _want(waiting is False, f"a new Connection says they are waiting: {waiting!r}")
    _want(api.Connection(api.CLIENT).client_is_waiting_for_100_continue is False, "client waits at start")


def _ex_event_validation(api: Any) -> None:
    _request(api)
    api.Response(status_code=200, headers=[])
    api.InformationalResponse(status_code=100, headers=[])
    api.EndOfMessage()


def _ex_data_passthrough(api: Any) -> None:
    conn = api.Connection(api.CLIENT)
    conn.send(_request(api, b"POST", ((b"Content-Length", b"1"),)))
    parts = conn.send_with_data_passthrough(api.Data(data=b"x"))
    _want(isinstance(parts, list), f"send_with_data_passthrough gave {parts!r}, not a list")


def _ex_send_failed(api: Any) -> None:
    conn = api.Connection(api.CLIENT)
    conn.send_failed()
    _want(conn.our_state is api.ERROR, f"our_state after send_failed is {conn.our_state!r}")


def _ex_request_context(api: Any) -> None:
    conn = api.Connection(api.CLIENT)
    hook = getattr(conn, RESPONSE_TO_HOOK, None)
    if callable(hook):
        hook(b"HEAD")
    else:
        conn.send(_request(api, b"HEAD"))


def _ex_status_hints(api: Any) -> None:
    conn = api.Connection(api.SERVER)
    conn.receive_data(_GARBAGE)
    try:
        event = conn.next_event()
    except api.RemoteProtocolError as exc:
        hint = getattr(exc, "error_status_hint", None)
        if not isinstance(hint, int):
            raise NotImplementedError(f"its RemoteProtocolError has error_status_hint {hint!r}") from None
        return
    raise _Odd(f"a request line of control bytes gave {event!r}, not RemoteProtocolError")


def _ex_event_size_limit(api: Any) -> None:
    """A limit of 64 bytes refuses a longer incomplete head."""
    conn = api.Connection(api.SERVER, **{SIZE_LIMIT_PARAMETER: 64})
    conn.receive_data(b"GET / HTTP/1.1\r\nX-Pad: " + b"p" * 100)
    try:
        event = conn.next_event()
    except api.RemoteProtocolError:
        return
    raise _Odd(f"a 120-byte incomplete head under a 64-byte limit gave {event!r}")


EXERCISES: dict[str, Any] = {
    PARSE_REQUESTS: _ex_parse_requests,
    PARSE_RESPONSES: _ex_parse_responses,
    SERIALIZE: _ex_serialize,
    STATE_MACHINE: _ex_state_machine,
    PROTOCOL_SWITCH: _ex_protocol_switch,
    EXPECT_100: _ex_expect_100,
    EVENT_VALIDATION: _ex_event_validation,
    DATA_PASSTHROUGH: _ex_data_passthrough,
    SEND_FAILED: _ex_send_failed,
    REQUEST_CONTEXT: _ex_request_context,
    STATUS_HINTS: _ex_status_hints,
    EVENT_SIZE_LIMIT: _ex_event_size_limit,
}


def exercise(api: Any, capability: str) -> tuple[str, str]:
    """Make the one call that shows ``capability`` in use (module-level: executors call it in workers).

    Returns:
        ("ok", ""), ("cannot", why) when the API cannot do it (see SHAPE_ERRORS), or ("odd", what)
        when the call misbehaved in a way the checks grade.
    """
    try:
        EXERCISES[capability](api)
    except _Odd as exc:
        return (EXERCISE_ODD, str(exc)[:300])
    except SHAPE_ERRORS as exc:
        return (EXERCISE_CANNOT, f"{type(exc).__name__}: {exc}"[:300])
    except Exception as exc:
        return (EXERCISE_ODD, f"raised {type(exc).__name__}: {exc}"[:300])
    return (EXERCISE_OK, "")
