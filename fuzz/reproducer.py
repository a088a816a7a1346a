"""A fuzz finding as a scenario of API calls, and a standalone reproducer that replays it.

Theory of operation: a fuzz input means nothing outside h11spec (the targets decode split points and
events from it), so a finding is first turned into a *scenario*: the exact API calls the fuzz target made
on the implementation, recorded by running the target's check on a recording proxy of the API
(``record_runs``). Every ``Connection`` the target built is one *run*: its role and the steps it took
(``("recv", bytes)``, ``("eof",)``, ``("new", event)``, ``("send", event)``, ``("cycle",)``,
``("send_failed",)``, with events as ``(class name, keyword arguments)``). Data the target fed is thereby
separated from the harness: the scenario is plain Python literals.

``RUNNER`` is a small, self-contained program text that plays one run on any h11-API namespace and
summarises what happened (events received with adjacent Data merged, bytes sent, the error class that
stopped it, whether the input stalled). The same text is ``exec``-ed here to compute what the reference
does with each run (the *expectation*) and is pasted verbatim into the reproducer, which plays the runs on
the implementation and exits 1 if any run differs from the expectation. So the reproducer needs nothing
but the implementation (``import h11``) and exits 0 exactly when the implementation behaves as the
reference does on this input. A hang is caught by ``signal.alarm`` and is a difference too.

If the implementation itself hangs while recording, the scenario is recorded on the reference instead (the
bytes fed are the same; where the reference stops early, fewer steps are kept).
"""

from __future__ import annotations

import dataclasses
import functools
import pprint
import textwrap
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from conformance.targets.capabilities import RESPONSE_TO_HOOK

EventSpec = tuple[str, dict[str, Any]]
Step = tuple[Any, ...]
Run = tuple[str, tuple[Step, ...]]  # (role, steps)
EVENT_NAMES = ("Request", "InformationalResponse", "Response", "Data", "EndOfMessage", "ConnectionClosed")
# Exit statuses of a reproducer.
EXIT_AGREES, EXIT_BUG, EXIT_CANNOT_RUN = 0, 1, 2
HANG_SECONDS = 10

# The self-contained player shared by the expectation and the reproducer. Keep it standard-library only.
RUNNER = '''
MAX_EVENTS = 10000


def _event_spec(event):
    """(class name, fields) of a received event, header names lowercased, for comparison."""
    name = type(event).__name__
    fields = {}
    for field in ("method", "target", "status_code", "http_version", "reason", "data"):
        if hasattr(event, field):
            value = getattr(event, field)
            fields[field] = value if isinstance(value, int) else bytes(value)
    if hasattr(event, "headers"):
        fields["headers"] = [(bytes(n).lower(), bytes(v)) for n, v in event.headers]
    return (name, fields)


def _build(api, spec):
    name, kwargs = spec
    return getattr(api, name)(**kwargs)


def play(api, role, steps):
    """Play one run; returns a summary dict (events, sent, error, stalled) that compares with ==."""
    events, sent = [], []
    summary = {"events": events, "sent": sent, "error": None, "stalled": False}

    def note(event):
        if type(event).__name__ == "Data" and events and events[-1][0] == "Data":
            events[-1] = ("Data", {"data": events[-1][1]["data"] + bytes(event.data)})
        elif not (type(event).__name__ == "Data" and not event.data):
            events.append(_event_spec(event))

    def drain(eof):
        for _ in range(MAX_EVENTS):
            event = conn.next_event()
            if event is api.NEED_DATA:
                summary["stalled"] = eof
                return
            if event is api.PAUSED:
                return
            note(event)
            if type(event).__name__ == "ConnectionClosed":
                return
        summary["stalled"] = True

    try:
        conn = api.Connection(getattr(api, role.upper()))
        for step in steps:
            kind = step[0]
            if kind == "recv":
                conn.receive_data(step[1])
                drain(False)
            elif kind == "eof":
                conn.receive_data(b"")
                drain(True)
            elif kind == "new":
                _build(api, step[1])
            elif kind == "send":
                data = conn.send(_build(api, step[1]))
                sent.append(None if data is None else bytes(data))
            elif kind == "cycle":
                conn.start_next_cycle()
                drain(False)
            elif kind == "send_failed":
                conn.send_failed()
            elif kind == "expect":  # a parse-only client told its request's method; others send it
                hook = getattr(conn, "h11spec_expect_response_to", None)
                if hook is not None:
                    hook(step[1])
                else:
                    host = b"a:443" if step[1] == b"CONNECT" else b"a"
                    target = host if step[1] == b"CONNECT" else b"/"
                    conn.send(api.Request(method=step[1], target=target, headers=[(b"Host", host)]))
                    conn.send(api.EndOfMessage())
            if summary["stalled"]:
                break
    except Exception as exc:
        kind = type(exc).__name__
        for contract in ("RemoteProtocolError", "LocalProtocolError"):
            if isinstance(exc, getattr(api, contract)):
                kind = contract
        summary["error"] = kind
        summary["message"] = str(exc)[:200]
    return summary


def differs(got, want):
    """The first way ``got`` differs from ``want`` (one line), or None."""
    for key in ("error", "stalled", "events", "sent"):
        if got.get(key) != want.get(key):
            line = f"{key}: expected {want.get(key)!r}, got {got.get(key)!r}"
            if key == "error" and got.get("message"):
                line += f" ({got['message']})"
            if key == "error" and got.get("sent"):
                line += f"; it sent {got['sent']!r}"
            return line
    return None
'''


def _namespace() -> dict[str, Any]:
    namespace: dict[str, Any] = {}
    exec(compile(RUNNER, "<h11spec runner>", "exec"), namespace)  # our own fixed program text
    return namespace


_RUNNER_NS = _namespace()


def play(api: Any, role: str, steps: Sequence[Step]) -> dict[str, Any]:
    """Play one run on ``api`` with ``RUNNER``; see the module docstring.

    Returns:
        The summary: ``events`` (merged), ``sent`` (bytes per send), ``error`` (class name or None),
        ``stalled`` and, on error, ``message``.
    """
    result: dict[str, Any] = _RUNNER_NS["play"](api, role, steps)
    return result


def differs(got: Mapping[str, Any], want: Mapping[str, Any]) -> str | None:
    """The first difference between two run summaries, or None."""
    result: str | None = _RUNNER_NS["differs"](got, want)
    return result


# ------------------------------------------------------------------------------------------------
# Recording the calls a fuzz target makes


def _spec_of(event: Any, kwargs: Mapping[int, EventSpec]) -> EventSpec:
    """The spec an event was built from, or one rebuilt from its fields."""
    known = kwargs.get(id(event))
    if known is not None:
        return known
    from conformance.drive import event_record

    record = event_record(event)
    name = record[0]
    table: dict[str, Callable[[tuple[Any, ...]], dict[str, Any]]] = {
        "Request": lambda r: {"method": r[1], "target": r[2], "headers": list(r[3]), "http_version": r[4]},
        "Response": lambda r: {
            "status_code": r[1],
            "headers": list(r[2]),
            "http_version": r[3],
            "reason": r[4],
        },
        "Data": lambda r: {"data": r[1]},
        "EndOfMessage": lambda r: {"headers": list(r[1])},
        "ConnectionClosed": lambda r: {},
    }
    table["InformationalResponse"] = table["Response"]
    return (name, table[name](record)) if name in table else (name, {})


class _Recorder:
    """Shared log of one recording: the runs, and the specs of events built through the proxy."""

    def __init__(self) -> None:
        self.runs: list[tuple[str, list[Step]]] = []
        self.specs: dict[int, EventSpec] = {}
        self.keep: list[Any] = []  # built events stay alive so their ids stay unique
        self.pending: list[Step] = []  # events built before any Connection


class _ConnectionProxy:
    def __init__(self, recorder: _Recorder, conn: Any, role: str) -> None:
        self._recorder = recorder
        self._conn = conn
        self._steps: list[Step] = list(recorder.pending)
        recorder.pending.clear()
        recorder.runs.append((role, self._steps))

    def receive_data(self, data: bytes) -> None:
        self._steps.append(("recv", bytes(data)) if data else ("eof",))
        self._conn.receive_data(data)

    def __getattr__(self, name: str) -> Any:
        # Only what the implementation has: a parse-only Connection has no send, and the driver then
        # uses the request hook instead, so the proxy must not offer one either.
        real = getattr(self._conn, name)
        step = _RECORDED_CALLS.get(name)
        if step is None or not callable(real):
            return real

        def recorded(*args: Any) -> Any:
            self._steps.append(step(self._recorder, *args))
            return real(*args)

        return recorded


# Connection methods recorded as steps: name -> the step, from the recorder and the call's arguments.
_RECORDED_CALLS: dict[str, Callable[..., Step]] = {
    "send": lambda recorder, event: ("send", _spec_of(event, recorder.specs)),
    "start_next_cycle": lambda recorder: ("cycle",),
    "send_failed": lambda recorder: ("send_failed",),
    RESPONSE_TO_HOOK: lambda recorder, method: ("expect", bytes(method)),
}


def _build_recorded(recorder: _Recorder, name: str, real: Callable[..., Any], *args: Any, **kw: Any) -> Any:
    """Build an event with the real constructor, recording keyword-built ones as a "new" step."""
    spec: EventSpec = (name, dict(kw))
    if not args:
        (recorder.runs[-1][1] if recorder.runs else recorder.pending).append(("new", spec))
    event = real(*args, **kw)
    if not args:
        recorder.specs[id(event)] = spec
        recorder.keep.append(event)
    return event


class _EventClassMeta(type):
    """Calling a proxy event class builds a real event and records its arguments; isinstance still works."""

    _real: type
    _recorder: _Recorder

    def __call__(cls, *args: Any, **kwargs: Any) -> Any:
        return _build_recorded(cls._recorder, cls._real.__name__, cls._real, *args, **kwargs)

    def __instancecheck__(cls, obj: Any) -> bool:
        return isinstance(obj, cls._real)

    def __subclasscheck__(cls, sub: type) -> bool:
        return issubclass(sub, cls._real)


class _ApiProxy:
    """The implementation's namespace, with Connection and the event classes recording."""

    def __init__(self, api: Any, recorder: _Recorder) -> None:
        self._api = api
        self._recorder = recorder
        self._classes: dict[str, Any] = {}
        for name in EVENT_NAMES:
            real = getattr(api, name, None)
            if isinstance(real, type):
                self._classes[name] = _EventClassMeta(name, (), {"_real": real, "_recorder": recorder})
            elif callable(real):  # a factory function instead of a class: record it the same way
                self._classes[name] = functools.partial(_build_recorded, recorder, name, real)

    def Connection(self, our_role: Any, *args: Any, **kwargs: Any) -> Any:
        conn = self._api.Connection(our_role, *args, **kwargs)
        role = "server" if our_role is self._api.SERVER else "client"
        return _ConnectionProxy(self._recorder, conn, role)

    def __getattr__(self, name: str) -> Any:
        if name in self._classes:
            return self._classes[name]
        return getattr(self._api, name)


@dataclasses.dataclass(frozen=True)
class Recording:
    """The runs one check made, and how the check ended (None, or "Type: message")."""

    runs: tuple[Run, ...]
    ended: str | None


def record_runs(api: Any, arg: tuple[str, bytes]) -> Recording:
    """Run fuzz target ``arg[0]``'s check on ``arg[1]`` through a recording proxy of ``api``.

    Module-level so that an executor can call it in a worker. Never raises for the implementation.
    """
    from fuzz.targets import TARGETS

    name, data = arg
    recorder = _Recorder()
    ended: str | None = None
    try:
        TARGETS[name].check(_ApiProxy(api, recorder), data)
    except Exception as exc:  # the recording up to the failure is what we want
        ended = f"{type(exc).__name__}: {str(exc)[:200]}"
    runs = tuple((role, tuple(steps)) for role, steps in recorder.runs)
    return Recording(runs, ended)


def expectations(reference_api: Any, runs: Sequence[Run]) -> list[dict[str, Any]]:
    """What the reference does with each run: the expected summaries the reproducer compares against."""
    return [play(reference_api, role, steps) for role, steps in runs]


def first_difference(api: Any, runs: Sequence[Run], expected: Sequence[Mapping[str, Any]]) -> str | None:
    """How ``api`` departs from the expectation on these runs (one line), or None if it agrees."""
    for index, ((role, steps), want) in enumerate(zip(runs, expected)):
        diff = differs(play(api, role, steps), want)
        if diff is not None:
            return f"run {index} ({role}): {diff}"
    return None


# ------------------------------------------------------------------------------------------------
# The reproducer script


def _import_lines(impl: str, module: str) -> str:
    """Source that binds ``api`` to the implementation's namespace, without any h11spec import."""
    mod, _, attr = impl.partition(":")
    mod = module if not attr else mod
    if attr:
        return f"from {mod} import {attr.split('.')[0]} as api\n" + "".join(
            f"api = api.{part}\n" for part in attr.split(".")[1:]
        )
    return f"import {mod} as api\n"


def reproducer_source(
    *, impl: str, module: str, title: str, runs: Sequence[Run], expected: Sequence[Mapping[str, Any]]
) -> str:
    """A standalone Python script that exits 1 while ``impl`` still differs from the expectation.

    The script imports only the implementation (and the standard library). Exit 0: it behaves as the
    reference does; 1: the bug is there (the difference is printed); 2: it cannot be imported.
    """
    runs_literal = pprint.pformat([(role, list(steps)) for role, steps in runs], width=100, sort_dicts=True)
    expected_literal = pprint.pformat([dict(e) for e in expected], width=100, sort_dicts=True)
    return (
        "#!/usr/bin/env python3\n"
        f'"""Reproducer: {title}\n\n'
        f"Generated by h11spec for the implementation {impl!r}. It plays the API calls below on the\n"
        "implementation and compares each run with what an RFC 9112-strict implementation does.\n"
        "Exit status: 0 the implementation behaves correctly, 1 the bug is present, 2 cannot import it.\n"
        "A call that does not return within $REPRODUCER_TIMEOUT seconds (default 10) counts as the bug.\n"
        '"""\n\n'
        "import os\nimport signal\nimport sys\n\n"
        "try:\n" + textwrap.indent(_import_lines(impl, module), "    ") + "except Exception as exc:\n"
        '    print(f"cannot import the implementation: {exc}", file=sys.stderr)\n'
        f"    sys.exit({EXIT_CANNOT_RUN})\n"
        f"{RUNNER}\n"
        f"RUNS = {runs_literal}\n\n"
        f"EXPECTED = {expected_literal}\n\n\n"
        f'HANG_SECONDS = int(os.environ.get("REPRODUCER_TIMEOUT", "{HANG_SECONDS}"))\n\n\n'
        "def _hung(signum, frame):\n"
        '    print(f"BUG: the implementation did not return within {HANG_SECONDS} s (hang)")\n'
        f"    sys.exit({EXIT_BUG})\n\n\n"
        "def main():\n"
        "    signal.signal(signal.SIGALRM, _hung)\n"
        "    signal.alarm(HANG_SECONDS)\n"
        "    for index, ((role, steps), want) in enumerate(zip(RUNS, EXPECTED)):\n"
        "        diff = differs(play(api, role, steps), want)\n"
        "        if diff is not None:\n"
        '            print(f"BUG: run {index} ({role}): {diff}")\n'
        f"            return {EXIT_BUG}\n"
        '    print("ok: the implementation behaves as expected")\n'
        f"    return {EXIT_AGREES}\n\n\n"
        'if __name__ == "__main__":\n'
        "    sys.exit(main())\n"
    )
