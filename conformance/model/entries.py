"""Model-checker findings as corpus entries: ``corpus/model/<id>.json``, the action list as data.

Theory of operation: a finding is stored as the shrunk action list (``conformance.model.world.Action``,
JSON-encoded: bytes as ``{"$b": "<latin-1 text>"}``, tuples as lists), the invariant it broke, the
implementation and version, the profile, the oracle, and the Hypothesis ``@reproduce_failure`` blob when
Hypothesis printed one. Replaying an entry needs no Hypothesis at all: the actions go straight into a
``LockStep`` (``conformance.model.replay``). The id is the invariant plus a hash of the actions, so the
same finding found twice is one file. Files are written with ``write_atomic``.
"""

from __future__ import annotations

import datetime
import hashlib
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from conformance.atomic import write_atomic
from conformance.errors import CorpusError
from conformance.model.actions import Action

FORMAT = "h11spec-model-entry/1"


def encode(value: Any) -> Any:
    """A JSON-able copy of an action (or any part of one)."""
    if isinstance(value, (bytes, bytearray)):
        return {"$b": bytes(value).decode("latin-1")}
    if isinstance(value, (list, tuple)):
        return [encode(v) for v in value]
    if isinstance(value, dict):
        return {k: encode(v) for k, v in value.items()}
    return value


def decode(value: Any) -> Any:
    """Inverse of ``encode`` (lists come back as tuples)."""
    if isinstance(value, dict):
        if set(value) == {"$b"}:
            return str(value["$b"]).encode("latin-1")
        return {k: decode(v) for k, v in value.items()}
    if isinstance(value, list):
        return tuple(decode(v) for v in value)
    return value


def _show(value: Any) -> str:
    if isinstance(value, dict):
        return ", ".join(f"{k}={_show(v)}" for k, v in value.items())
    if isinstance(value, (list, tuple)):
        return (
            "[" + ", ".join(_show(v) for v in value) + "]"
            if isinstance(value, list)
            else ("(" + ", ".join(_show(v) for v in value) + ")")
        )
    return repr(value)


def render_action(action: Action) -> str:
    """One line per action, for people: ``send client Request(method=b'GET', ...)``."""
    kind, side = action[0], action[1]
    if kind == "send":
        name, kwargs = action[2]
        return f"send {side} {name}({_show(dict(kwargs))})"
    if kind == "deliver":
        return f"deliver {side} -> peer cuts={tuple(action[2])}"
    if kind == "inject":
        return f"inject -> {side} {bytes(action[2])!r} cuts={tuple(action[3])}"
    return f"{kind} {side}"


def render_script(actions: Sequence[Action]) -> str:
    """The whole action list, one numbered line each."""
    return "\n".join(f"{i + 1:>3}. {render_action(a)}" for i, a in enumerate(actions))


def entry_id(invariant: str, actions: Sequence[Action]) -> str:
    """A stable id: the invariant and the first 12 hex digits of the actions' SHA-256."""
    digest = hashlib.sha256(json.dumps(encode(list(actions)), sort_keys=True).encode()).hexdigest()
    return f"{invariant}-{digest[:12]}"


def write_entry(directory: Path, fields: dict[str, Any], actions: Sequence[Action]) -> Path:
    """Write one finding; returns its path (an existing identical finding is rewritten in place)."""
    ident = entry_id(str(fields["invariant"]), actions)
    entry = {
        "format": FORMAT,
        "id": ident,
        **fields,
        "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "script": render_script(actions),
        "steps": encode(list(actions)),
    }
    return write_atomic(directory / f"{ident}.json", json.dumps(entry, indent=1, sort_keys=False) + "\n")


def read_entry(path: Path) -> tuple[dict[str, Any], list[Action]]:
    """The entry's fields and its decoded actions.

    Raises:
        CorpusError: the file is unreadable, not JSON or not a model entry (the message names it).
    """
    try:
        entry = json.loads(path.read_text())
        if not isinstance(entry, dict) or entry.get("format") != FORMAT:
            raise ValueError(f"not a {FORMAT} file")
        actions = [tuple(decode(step)) for step in entry["steps"]]
        for action in actions:
            if not action or action[0] not in ("send", "deliver", "eof", "inject", "cycle", "send_failed"):
                raise ValueError(f"unknown action {action!r:.80}")
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise CorpusError(f"{path}: not a readable model-checker entry ({exc}); fix or delete it") from None
    return entry, actions
