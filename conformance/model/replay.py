"""Replay model-checker corpus entries, and export one as a bug report with a standalone reproducer.

Theory of operation: an entry (``conformance.model.entries``) is data, so replaying it is running its
actions through a fresh ``LockStep`` (machine findings) or ``check_stream`` (byte-stream findings) with
the target under test against the oracle, under the profile recorded in the entry. No Hypothesis is
involved, so a replay is exact and fast. ``model_entry_report`` turns an entry into Markdown for an issue
tracker and a Python script that reproduces the steps with nothing but the implementation installed.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from conformance.errors import CorpusError, HarnessError
from conformance.model.actions import Action, InvariantViolation
from conformance.model.entries import read_entry, render_script
from conformance.model.lockstep import Guard, LockStep


def replay_actions(
    impl: Any, oracle_api: Any, entry: dict[str, Any], actions: list[Action], validates: bool = True
) -> InvariantViolation | None:
    """Run an entry's actions; returns the violation they cause now, or None.

    ``impl`` is where the implementation runs: a ``lockstep.Guard``, an executor, or a bare h11 API;
    ``validates`` is False for a target without event-validation (``LockStep``).
    Raises:
        HarnessError: the harness's own code failed on the implementation's side.
    """
    from conformance.model.bytestream import check_stream

    profile = str(entry.get("profile", "rfc9112"))
    try:
        if entry.get("kind") == "byte-stream":
            _, side, data, cuts = actions[0]
            check_stream(impl, oracle_api, side, data, tuple(cuts), profile)
            return None
        world = LockStep(impl, oracle_api, profile=profile, validates=validates)
        for action in actions:
            world.apply(action)
    except InvariantViolation as violation:
        return violation
    return None


def replay_model_corpus(directory: Path, target: Any) -> list[tuple[str, bool, str]]:
    """Replay every ``*.json`` entry in ``directory`` against ``target`` (a ``targets.load.Target``).

    Returns:
        (entry path, agrees with the reference now, one-line message) per entry, sorted by path; a corrupt
        entry is reported as not agreeing, with the reason, and the others still run.
    """
    from conformance.model.check import BYTE_STREAM_NEEDS, MACHINE_NEEDS
    from conformance.targets.capabilities import EVENT_VALIDATION
    from conformance.targets.isolation import executor_for
    from conformance.targets.load import reference_api

    oracle = reference_api()
    validates = EVENT_VALIDATION in getattr(target, "capabilities", {EVENT_VALIDATION})
    out: list[tuple[str, bool, str]] = []
    with executor_for(target, jobs=1) as executor:
        guard = Guard(executor)
        for path in sorted(Path(directory).glob("*.json")):
            try:
                entry, actions = read_entry(path)
            except CorpusError as exc:
                out.append((str(path), False, str(exc)))
                continue
            needs = BYTE_STREAM_NEEDS if entry.get("kind") == "byte-stream" else MACHINE_NEEDS
            skip = target.skip_reason(needs) if hasattr(target, "skip_reason") else None
            if skip:
                out.append((str(path), True, f"skipped: {skip}"))
                continue
            try:
                violation = replay_actions(guard, oracle, entry, actions, validates)
            except HarnessError as exc:
                out.append((str(path), False, f"harness error: {exc}"[:300]))
                continue
            guard.fatal = None  # one entry's hang must not stop the next from being replayed
            out.append(_row(path, entry, violation))
    return out


def _row(path: Path, entry: dict[str, Any], violation: InvariantViolation | None) -> tuple[str, bool, str]:
    if violation is None:
        return (str(path), True, f"{entry['invariant']}: agrees with the oracle now")
    return (str(path), False, f"{violation.invariant}: {violation.detail}"[:300])


_DRIVER = '''
def run(api, steps):
    """Client and server Connections of ``api``; bytes each side sent wait in a pipe until delivered."""
    conns = {"client": api.Connection(api.CLIENT), "server": api.Connection(api.SERVER)}
    pipes = {"client": b"", "server": b""}
    peer = {"client": "server", "server": "client"}

    def drain(side):
        while True:
            event = conns[side].next_event()
            print("   ", side, "got", event)
            if event in (api.NEED_DATA, api.PAUSED) or type(event).__name__ == "ConnectionClosed":
                return

    def cut(data, cuts):
        if len(data) < 2:
            return [data] if data else []
        points = sorted({1 + (c - 1) % (len(data) - 1) for c in cuts})
        bounds = [0, *points, len(data)]
        return [data[a:b] for a, b in zip(bounds, bounds[1:]) if b > a]

    for number, (kind, side, *rest) in enumerate(steps, 1):
        print(f"{number}. {kind} {side}")
        try:
            if kind == "send":
                name, kwargs = rest[0]
                data = conns[side].send(getattr(api, name)(**kwargs))
                print("    wrote", data)
                pipes[side] += data or b""
            elif kind in ("deliver", "eof"):
                data, pipes[side] = pipes[side], b""
                for piece in ([data] if kind == "eof" else cut(data, rest[0])):
                    conns[peer[side]].receive_data(piece)
                    drain(peer[side])
                if kind == "eof":
                    conns[peer[side]].receive_data(b"")
                    drain(peer[side])
            elif kind == "inject":
                for piece in cut(rest[0], rest[1]):
                    conns[side].receive_data(piece)
                    drain(side)
            elif kind == "cycle":
                conns[side].start_next_cycle()
            elif kind == "send_failed":
                conns[side].send_failed()
        except Exception as exc:
            print("    raised", type(exc).__name__, exc)
        for s in ("client", "server"):
            print("   ", s, "states", conns[s].our_state, conns[s].their_state)
'''


def _import_line(impl: str) -> str:
    module, _, attr = impl.partition(":")
    module = "conformance.reference" if module == "reference" else module
    if attr:
        return f"import {module}\napi = {module}.{attr}"
    return f"import {module} as api"


def model_entry_report(entry: Path, impl: str) -> tuple[str, str]:
    """A Markdown bug report and a standalone reproducer script for one entry.

    Returns:
        (Markdown, Python source); the script imports only ``impl`` and prints what each step did.
    Raises:
        CorpusError: the entry cannot be read.
    """
    fields, actions = read_entry(entry)
    script = render_script(actions)
    markdown = "\n".join(
        [
            f"## Model checker: `{fields['invariant']}` broken in {impl}",
            "",
            f"- entry: `{entry}` (id `{fields['id']}`)",
            f"- found in: {fields.get('impl', '?')} {fields.get('impl_version', '')}, profile "
            f"`{fields.get('profile', '?')}`, oracle {fields.get('oracle', '?')}",
            f"- verdict: {fields.get('verdict', '?')}",
            "",
            f"**What broke:** {fields.get('message', '')}",
            "",
            "**Steps** (shrunk by Hypothesis):",
            "",
            "```",
            script,
            "```",
            "",
            "Reproduce with the attached script, or `h11spec corpus replay`.",
            *(
                ["", f"Hypothesis blob: `{fields['reproduce_failure']}`"]
                if fields.get("reproduce_failure")
                else []
            ),
        ]
    )
    source = "\n".join(
        [
            f'"""Reproduce h11spec model finding {fields["id"]}: {fields["invariant"]} in {impl}.',
            "",
            f"{str(fields.get('message', '')).replace(chr(34) * 3, '')[:500]}",
            '"""',
            "",
            _import_line(impl),
            _DRIVER,
            f"STEPS = {[list(a) for a in actions]!r}",
            "",
            'if __name__ == "__main__":',
            "    run(api, STEPS)",
            "",
        ]
    )
    return markdown, source
