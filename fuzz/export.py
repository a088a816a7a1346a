"""Turning a fuzz finding into things a user can file upstream: a scenario, a bug report, a reproducer.

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
import json
import pprint
import textwrap
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from conformance.results import escape_bytes

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

    def send(self, event: Any) -> Any:
        self._steps.append(("send", _spec_of(event, self._recorder.specs)))
        return self._conn.send(event)

    def start_next_cycle(self) -> None:
        self._steps.append(("cycle",))
        self._conn.start_next_cycle()

    def send_failed(self) -> None:
        self._steps.append(("send_failed",))
        self._conn.send_failed()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._conn, name)


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
# The reproducer script and the bug report


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


def raw_bytes(meta: Mapping[str, Any]) -> bytes | None:
    """The HTTP bytes the first run of a finding received, as triage recorded them, or None."""
    ref = meta.get("reference_outcome")
    raw = ref.get("raw") if isinstance(ref, Mapping) else None
    return raw.encode("latin-1") if isinstance(raw, str) else None


@functools.cache
def _catalog_index() -> tuple[tuple[str, str, Any], ...]:
    """(role, reference rejection class, case) for every catalog byte case the reference rejects."""
    from conformance.catalog.cases import CATALOG
    from conformance.drive import feed, message_class
    from conformance.targets.load import reference_api

    index = []
    for case in CATALOG:
        if case.wire is None:
            continue
        trace = feed(reference_api(), case.role, [case.wire], eof=case.eof)
        if trace.outcome == "reject" and trace.error is not None:
            index.append((case.role, message_class(trace.error[2]), case))
    return tuple(index)


def catalog_case(raw: bytes) -> Any | None:
    """The catalog case closest to ``raw``: same role, same rejection by the reference, most similar bytes.

    Returns:
        A ``conformance.catalog.Case``, or None when the reference accepts ``raw`` or no case rejects alike.
    """
    import difflib

    from conformance.drive import feed, message_class
    from conformance.targets.load import reference_api
    from fuzz.splits import parse_role

    role = parse_role(raw)
    trace = feed(reference_api(), role, [raw])
    if trace.outcome != "reject" or trace.error is None:
        return None
    wanted = message_class(trace.error[2])
    alike = [case for r, cls, case in _catalog_index() if r == role and cls == wanted]
    if not alike:
        return None
    return max(alike, key=lambda case: difflib.SequenceMatcher(None, case.wire, raw).ratio())


def rfc_context(meta: Mapping[str, Any], known: str | None = None) -> tuple[str, str] | None:
    """(RFC section, sentence) for a finding, when one applies.

    A finding names a documented difference when its oracle message does (the differential target says
    which difference it would mask); otherwise the HTTP bytes it fed are matched to the catalog case the
    reference rejects the same way (``catalog_case``), and that case's sentence is quoted.
    """
    from conformance.reference.differences import DIFFERENCES

    text = known or " ".join(str(meta.get(key, "")) for key in ("message", "oracle"))
    for diff in DIFFERENCES:
        if diff.name in text:
            return diff.rfc, diff.sentence
    wire = raw_bytes(meta)
    case = None if wire is None else catalog_case(wire)
    if case is None:
        return None
    return f"{case.rfc} (catalog case `{case.id}`, {case.level.value})", case.sentence


def bug_report(
    meta: Mapping[str, Any],
    data: bytes,
    *,
    input_name: str,
    reproducer_name: str,
    difference: str | None,
    known: str | None = None,
) -> str:
    """The Markdown bug report for one regression entry (``known``: the documented difference it is)."""
    signature = meta.get("signature", ["", "", ""])
    lines = [
        f"# {meta.get('impl')} {meta.get('impl_version', '')}: {meta.get('oracle', 'fuzz finding')}",
        "",
        f"- **Implementation**: `{meta.get('impl')}` version `{meta.get('impl_version', '?')}`",
        f"- **Found by**: h11spec fuzz target `{meta.get('target')}`"
        + (f" (artifact `{meta['artifact']}`)" if meta.get("artifact") else ""),
        f"- **Signature**: oracle `{signature[0]}`, exception `{signature[1]}`, frame `{signature[2]}`",
        f"- **Minimized**: {'yes' if meta.get('minimized') else 'no'}; found {meta.get('date', '?')}",
        "",
        "## What the oracle saw",
        "",
        str(meta.get("message") or meta.get("oracle") or "(no detail recorded)"),
        "",
    ]
    if difference:
        lines += [
            "How it differs from an RFC 9112-strict implementation on the same calls:",
            "",
            difference,
            "",
        ]
    context = rfc_context(meta, known)
    if context is not None:
        lines += ["## The requirement", "", f"{context[0]}:", "", f"> {context[1]}", ""]
    if known is not None:
        from conformance.reference.differences import difference as documented

        doc = documented(known)
        lines += [
            f"h11spec documents this as the difference `{known}` between h11 0.16 and an RFC-strict",
            f"implementation. h11 0.16: {doc.h11} RFC-strict: {doc.reference}",
            "",
        ]
    ref = meta.get("reference_outcome")
    if ref:
        lines += ["## What a correct implementation does", "", f"`{json.dumps(ref, sort_keys=True)}`", ""]
    lines += [
        "## Input",
        "",
        f"{len(data)} bytes, in the file `{input_name}` (libFuzzer format: the raw input). Escaped:",
        "",
        "```",
        escape_bytes(data),
        "```",
        "",
    ]
    raw = raw_bytes(meta)
    if raw is not None and raw != data:
        lines += ["The HTTP bytes the fuzz target fed (decoded from the input):", ""]
        lines += ["```", escape_bytes(raw), "```", ""]
    lines += [
        "## Reproduce",
        "",
        f"`python {reproducer_name}` uses only the implementation's own API; it exits 1 while the bug is",
        "present and 0 once it behaves like the reference.",
        "",
    ]
    return "\n".join(lines)


def export_dir_name(entry: Path) -> str:
    """The directory an entry is exported into: ``<target>-<sha256[:16]>``."""
    return f"{entry.parent.name}-{entry.name}"


# ------------------------------------------------------------------------------------------------
# Exporting the corpus


@dataclasses.dataclass(frozen=True)
class Exported:
    """One exported finding: where its files went and whether the reproducer was built on a recording."""

    entry: Path
    directory: Path
    impl: str
    recorded_on: str  # "implementation", "reference" or "" (no scenario could be recorded)


def scenario_on(
    api: Any, arg: tuple[str, bytes]
) -> tuple[tuple[Run, ...], list[dict[str, Any]], str | None, str | None]:
    """Record a finding's runs on ``api``, what the reference does with them, how ``api`` differs, and
    which documented difference the finding is, if any.

    Module-level so that an executor runs it in the implementation's worker: one call does it all.
    Returns:
        (runs, expected summaries, first difference or None); no runs when the check built no Connection.
    """
    from conformance.targets.load import reference_api

    recording = record_runs(api, arg)
    expected = expectations(reference_api(), recording.runs)
    return (
        recording.runs,
        expected,
        first_difference(api, recording.runs, expected),
        known_difference(api, arg),
    )


def known_difference(api: Any, arg: tuple[str, bytes]) -> str | None:
    """The documented difference (``conformance.reference.differences``) a differential finding is, if any.

    The differential target's masks say which disagreements are documented differences; here they are
    asked regardless of the profile, so that a report can say "this is the known difference X".
    """
    from conformance.drive import DEFAULT_REQUEST, feed
    from conformance.targets.load import reference_api
    from fuzz.masks import MASKS
    from fuzz.splits import client_request, parse_role, plan

    target, data = arg
    if target != "differential":
        return None
    role = parse_role(data)
    request = client_request(data) if role == "client" else DEFAULT_REQUEST
    _, chunks = plan(data)
    impl = feed(api, role, chunks, request=request)
    ref = feed(reference_api(), role, chunks, request=request)
    for name, predicate in MASKS.items():
        if predicate(data, impl, ref):
            return name
    return None


def export_entry(
    entry: Any, out_dir: Path, executor: Any | None, *, timeout: float = HANG_SECONDS
) -> Exported:
    """Write one regression entry's bug report, reproducer and libFuzzer input under ``out_dir``.

    ``entry`` is a ``fuzz.corpus.Entry``; ``executor`` runs its implementation (isolated), or is None
    when the implementation cannot be imported here. The scenario is recorded on the implementation;
    when that hangs or is impossible it is recorded on the reference instead (the bytes fed are the same).
    """
    from conformance.atomic import write_atomic
    from conformance.targets.executor import Hung, InProcessExecutor, Ok
    from conformance.targets.load import load_target

    meta = entry.meta
    name = str(meta.get("impl", "?"))
    module = name.partition(":")[0] if executor is None else str(executor.target.module)
    arg = (entry.target, entry.data)
    runs: tuple[Run, ...] = ()
    expected: list[dict[str, Any]] = []
    difference: str | None = None
    known: str | None = None
    recorded_on = ""
    if executor is not None:
        (result,) = executor.map(scenario_on, [arg], timeout=timeout)
        if isinstance(result, Ok):
            runs, expected, difference, known = result.value
            recorded_on = "implementation" if runs else ""
        elif isinstance(result, Hung):
            difference = f"the implementation does not return within {timeout:g} s (hang)"
        else:
            difference = f"the implementation's process died: {result.reason}"
    if not runs:
        (fallback,) = InProcessExecutor(load_target("reference")).map(scenario_on, [arg])
        if isinstance(fallback, Ok) and fallback.value[0]:
            runs, expected = fallback.value[0], fallback.value[1]
            recorded_on = "reference"
    directory = out_dir / export_dir_name(entry.path)
    input_name = entry.path.name
    title = f"{meta.get('oracle', 'fuzz finding')} ({entry.target}, {name})"
    write_atomic(directory / input_name, entry.data)
    write_atomic(out_dir / "corpus" / entry.target / input_name, entry.data)
    write_atomic(
        directory / "reproduce.py",
        reproducer_source(impl=name, module=module, title=title, runs=runs, expected=expected),
    )
    report = bug_report(
        meta,
        entry.data,
        input_name=input_name,
        reproducer_name="reproduce.py",
        difference=difference,
        known=known,
    )
    write_atomic(directory / "report.md", report)
    return Exported(entry.path, directory, name, recorded_on)


def export_findings(
    corpus_dir: Path,
    out_dir: Path,
    *,
    impl: str | None = None,
    log: Callable[[str], None] = print,
    timeout: float = HANG_SECONDS,
) -> list[Exported]:
    """Export every regression entry (of ``impl``, if given) and every model finding under ``out_dir``.

    Damaged corpus files are reported through ``log`` and skipped.

    Returns:
        One ``Exported`` per regression entry written (model findings are logged).
    """
    from conformance.errors import UsageError
    from conformance.targets.isolation import executor_for
    from conformance.targets.load import Target, load_target
    from fuzz.corpus import MODEL, load_regressions

    loaded = load_regressions(corpus_dir)
    for problem in loaded.problems:
        log(f"skipped {problem}")
    by_impl: dict[str, list[Any]] = {}
    for entry in loaded.entries:
        name = str(entry.meta.get("impl", ""))
        if impl is None or name == impl:
            by_impl.setdefault(name, []).append(entry)
    done: list[Exported] = []
    for name, entries in by_impl.items():
        try:
            target: Target | None = load_target(name)
        except UsageError as exc:
            log(f"{name}: {exc}; recording its scenarios on the reference instead")
            target = None
        if target is None:
            done.extend(export_entry(entry, out_dir, None, timeout=timeout) for entry in entries)
            continue
        with executor_for(target, isolated=True, jobs=1) as executor:
            done.extend(export_entry(entry, out_dir, executor, timeout=timeout) for entry in entries)
    _export_model(corpus_dir / MODEL, out_dir, impl, log)
    return done


def _export_model(model_dir: Path, out_dir: Path, impl: str | None, log: Callable[[str], None]) -> None:
    """Model-checker findings, through ``conformance.model.replay.model_entry_report`` when it exists."""
    import importlib

    from conformance.atomic import write_atomic
    from conformance.errors import UsageError

    if not model_dir.is_dir():
        return
    try:
        replay = importlib.import_module("conformance.model.replay")
    except ImportError:
        log("model findings not exported: conformance.model.replay is not available")
        return
    for entry in sorted(model_dir.glob("*.json")):
        try:
            meta = json.loads(entry.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            log(f"skipped {entry}: cannot read model finding ({exc}); restore or delete it")
            continue
        name = impl or (str(meta.get("impl")) if isinstance(meta, dict) and meta.get("impl") else "reference")
        if impl is not None and isinstance(meta, dict) and meta.get("impl") not in (None, impl):
            continue
        try:
            report, script = replay.model_entry_report(entry, name)
        except (UsageError, OSError, ValueError, KeyError) as exc:
            log(f"skipped {entry}: {exc}")
            continue
        directory = out_dir / f"model-{entry.stem}"
        write_atomic(directory / "report.md", report)
        write_atomic(directory / "reproduce.py", script)
        write_atomic(directory / entry.name, entry.read_bytes())
        log(f"{directory}: report.md, reproduce.py, {entry.name} (model finding)")
