"""Exporting findings: a bug report, a standalone reproducer and the raw input, ready to file upstream.

Theory of operation: each regression entry (and model finding) of the corpus becomes one directory:
the reproducer (``fuzz.reproducer``: the scenario of API calls the fuzz target made, replayed on any
h11-API namespace, exiting 1 while the implementation differs from the reference), a Markdown bug report
with the RFC context (the catalog case that rejects alike, or the documented difference that explains
it), and the libFuzzer input. ``export_findings`` walks the corpus; ``export_entry`` does one entry.
"""

from __future__ import annotations

import dataclasses
import functools
import json
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from conformance.results import escape_bytes
from fuzz.reproducer import HANG_SECONDS, Run, expectations, first_difference, record_runs, reproducer_source


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

    The first difference whose rule, switched alone to h11's behaviour in the reference
    (``differences.h11_mode``), makes the reference agree with the implementation; asked regardless of
    the profile, so that a report can say "this is the known difference X".
    """
    from conformance.drive import DEFAULT_REQUEST, feed
    from conformance.reference import differences
    from conformance.targets.load import reference_api
    from fuzz.checks import disagreement
    from fuzz.splits import client_request, parse_role, plan

    target, data = arg
    if target != "differential":
        return None
    role = parse_role(data)
    request = client_request(data) if role == "client" else DEFAULT_REQUEST
    _, chunks = plan(data)
    impl = feed(api, role, chunks, request=request)
    if disagreement(impl, feed(reference_api(), role, chunks, request=request)) is None:
        return None
    for record in differences.DIFFERENCES:
        with differences.h11_mode([record.name]):
            ref = feed(reference_api(), role, chunks, request=request)
        if disagreement(impl, ref) is None:
            return record.name
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
