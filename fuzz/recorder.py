"""Findings recorded inside a libFuzzer worker, so that a finding neither stops nor restarts libFuzzer.

Theory of operation: libFuzzer stops at the first input whose ``TestOneInput`` raises; a campaign that
restarted it after each finding paid a Python start-up (imports, instrumentation, corpus reload) per
finding. Under ``h11spec fuzz`` the worker's ``TestOneInput`` is ``Recorder.test_one_input`` instead: it
runs the input through ``fuzz.targets.observe_one`` (which turns an oracle violation or an exception of the
implementation into a ``FindingInfo`` with its signature) and returns normally, so libFuzzer goes on.

- A signature not seen before (neither in this worker nor in ``KNOWN_FILE``, the signatures the campaign
  already has regression entries for) is saved at once: the input as ``crash-<sha1>`` in the artifacts
  directory, written atomically (so triage, which replays and minimizes every ``crash-*`` file afterwards,
  works on it exactly as on one of libFuzzer's own artifacts), and a line ``FINDING_MARK <path>`` on
  stderr for the campaign's live view.
- An input the target skipped (``fuzz.targets.SKIPPED``) is counted too, in a row ``{"skipped": n}`` of the
  same file (``read_skipped``); the last second of a worker's skips may go unwritten.
- A known signature is only counted. The counts of this worker (signature, count, first artifact, first
  message) are in ``.findings-<pid>.json`` in the same directory, rewritten atomically on every new
  signature and at most every ``FLUSH_SECONDS`` otherwise; the campaign adds them up at the end.

- Information (an ``OracleInfo``, level "info": one implementation mixing the alternatives of a choice
  point within one connection) is only ever counted, in rows marked ``"level": "info"``: no artifact, so
  triage never stores it as a finding (``read_counts(directory, level="info")`` adds them up).

Hangs, out-of-memory and crashes of the interpreter itself still end the libFuzzer process (they cannot be
caught inside it); the campaign restarts the worker for those.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
import time
from pathlib import Path
from typing import Any

from conformance.atomic import write_atomic

KNOWN_FILE = ".known-signatures.json"  # written by the campaign: [[oracle, exc_type, frame], ...]
COUNTS_PREFIX = ".findings-"
FINDING_MARK = "h11spec: finding written to"
FLUSH_SECONDS = 1.0

Signature = tuple[str, str, str]


def read_known(directory: Path) -> set[Signature]:
    """The signatures listed in ``directory/KNOWN_FILE`` (none when it is missing or damaged)."""
    try:
        rows = json.loads((directory / KNOWN_FILE).read_text())
    except (OSError, ValueError):
        return set()
    return {(str(r[0]), str(r[1]), str(r[2])) for r in rows if isinstance(r, list) and len(r) == 3}


def write_known(directory: Path, signatures: set[Signature]) -> None:
    """Write ``KNOWN_FILE`` for the workers of a campaign."""
    write_atomic(directory / KNOWN_FILE, json.dumps(sorted(list(s) for s in signatures)) + "\n")


def read_counts(directory: Path, level: str = "violation") -> dict[Signature, int]:
    """Every worker's counts in ``directory`` of one ``level`` ("violation" or "info"), added up by
    signature."""
    total: dict[Signature, int] = {}
    for path in sorted(directory.glob(f"{COUNTS_PREFIX}*.json")):
        try:
            rows = json.loads(path.read_text())
        except (OSError, ValueError):
            continue
        for row in rows if isinstance(rows, list) else ():
            if row.get("level", "violation") != level:
                continue
            sig = tuple(str(part) for part in row.get("signature", ()))
            if len(sig) == 3:
                key = (sig[0], sig[1], sig[2])
                total[key] = total.get(key, 0) + int(row.get("count", 0))
    return total


def read_skipped(directory: Path) -> int:
    """How many inputs every worker in ``directory`` skipped (their ``{"skipped": n}`` rows)."""
    total = 0
    for path in sorted(directory.glob(f"{COUNTS_PREFIX}*.json")):
        try:
            rows = json.loads(path.read_text())
        except (OSError, ValueError):
            continue
        total += sum(int(r.get("skipped", 0)) for r in (rows if isinstance(rows, list) else ()))
    return total


class Recorder:
    """The ``TestOneInput`` of a campaign worker: run, record a finding, never raise (module docstring)."""

    def __init__(self, api: Any, target: str, directory: Path) -> None:
        from fuzz.targets import SKIPPED, observe_one

        self.observe = observe_one
        self.skipped = SKIPPED
        self.api = api
        self.target = target
        self.directory = directory
        self.known = read_known(directory)
        self.rows: dict[Signature, dict[str, Any]] = {}
        self.counts_path = directory / f"{COUNTS_PREFIX}{os.getpid()}.json"
        self.flushed = time.monotonic()

    def test_one_input(self, data: bytes) -> None:
        """Run ``data``; save a new finding, count a known one or information; return normally."""
        finding = self.observe(self.api, (self.target, data))
        if finding is None:
            if self.skipped[self.target] and time.monotonic() - self.flushed > FLUSH_SECONDS:
                self.flush()
            return
        sig: Signature = (finding.oracle, finding.exc_type, finding.frame)
        row = self.rows.get(sig)
        if row is not None:
            row["count"] += 1
            if time.monotonic() - self.flushed > FLUSH_SECONDS:
                self.flush()
            return
        row = self.rows[sig] = {"signature": list(sig), "count": 1, "message": finding.message}
        if finding.is_info:
            row["level"] = "info"
        elif sig not in self.known:
            path = self.directory / f"crash-{hashlib.sha1(data).hexdigest()}"
            write_atomic(path, data)
            row["artifact"] = path.name
            print(f"{FINDING_MARK} {path}", file=sys.stderr, flush=True)
        self.flush()

    def flush(self) -> None:
        """Rewrite this worker's counts file."""
        rows = [*self.rows.values(), {"skipped": self.skipped[self.target]}]
        write_atomic(self.counts_path, json.dumps(rows, indent=1) + "\n")
        self.flushed = time.monotonic()
