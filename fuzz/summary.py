"""The triage summary: one row per (target, implementation, signature), as JSON and Markdown.

Theory of operation: ``write_summary`` merges the rows of one triage into ``summary.json`` (rows of other
targets or implementations already there are kept, so a campaign over every target accumulates one
table) and renders ``summary.md`` from the merged rows; both are written atomically. Measuring is
triage's job, rendering this module's.

Information (``fuzz.oracle.OracleInfo``: an input on which the implementation mixed the alternatives of
one choice point within one connection) is never a finding: a campaign counts it by kind
(``record_infos``), and it is kept in its own list (``infos``) and printed as its own lines
(``info_line``), never as a row of the findings table.
"""

from __future__ import annotations

import dataclasses
import datetime
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from conformance.atomic import write_atomic

Signature = tuple[str, str, str]  # (oracle, exception type, frame)


@dataclasses.dataclass
class TriagedFinding:
    """One signature: how often it was seen, and the regression entry that stands for it."""

    target: str
    impl: str
    impl_version: str
    signature: Signature
    outcome: str
    message: str
    artifacts: list[Path]
    entry: Path | None = None  # the regression input (new or existing)
    new: bool = False  # True when this triage wrote the entry
    minimized: bool = False

    @property
    def oracle(self) -> str:
        """The oracle the finding broke."""
        return self.signature[0]

    @property
    def count(self) -> int:
        """How many artifacts had this signature."""
        return len(self.artifacts)


def _summary_rows(findings: Sequence[TriagedFinding]) -> list[dict[str, Any]]:
    return [
        {
            "target": f.target,
            "impl": f.impl,
            "impl_version": f.impl_version,
            "oracle": f.signature[0],
            "exc_type": f.signature[1],
            "frame": f.signature[2],
            "outcome": f.outcome,
            "count": f.count,
            "new": f.new,
            "minimized": f.minimized,
            "entry": None if f.entry is None else str(f.entry),
            "artifacts": [p.name for p in f.artifacts],
            "message": f.message[:300],
        }
        for f in findings
    ]


# How each kind of information reads, by the part of its kind before ":" (the rest is the argument).
INFO_TEXT: dict[str, str] = {
    "mixed": "{count} input(s) mix alternatives of {arg} within one connection",
}


def info_kind(frame: str) -> str:
    """The kind of an information signature's frame: ``"info:mixed:bare-lf"`` -> ``"mixed:bare-lf"``."""
    return frame.removeprefix("info:")


def info_line(kind: str, count: int) -> str:
    """``"info: 3 input(s) mix alternatives of obs-fold within one connection"`` for ``mixed:obs-fold``."""
    head, _, arg = kind.partition(":")
    text = INFO_TEXT.get(head, "{count} input(s): {kind}")
    return "info: " + text.format(count=count, arg=arg, kind=kind)


def _md_cell(text: object) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def summary_markdown(
    rows: Sequence[dict[str, Any]],
    unreproduced: Sequence[dict[str, Any]],
    infos: Sequence[dict[str, Any]] = (),
) -> str:
    """The Markdown summary: one row per signature, with counts; then information, one line per kind."""
    lines = [
        "# Fuzz findings",
        "",
        "| target | impl | outcome | exception | frame | count | entry | oracle |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for row in rows:
        entry = Path(row["entry"]).name if row["entry"] else "-"
        mark = " (new)" if row["new"] else ""
        lines.append(
            "| "
            + " | ".join(
                _md_cell(x)
                for x in (
                    row["target"],
                    f"{row['impl']} {row['impl_version']}",
                    row["outcome"],
                    row["exc_type"],
                    row["frame"] or "-",
                    row["count"],
                    entry + mark,
                    row["oracle"],
                )
            )
            + " |"
        )
    if not rows:
        lines.append("| - | - | no findings | - | - | 0 | - | - |")
    if unreproduced:
        lines += ["", "Artifacts that did not reproduce (kept where they are):", ""]
        lines += [f"- `{u['artifact']}` ({u['target']}, {u['impl']})" for u in unreproduced]
    if infos:
        lines += ["", "Information (not findings):", ""]
        lines += [f"- {i['target']} on {i['impl']}: {info_line(i['kind'], i['count'])}" for i in infos]
    return "\n".join(lines) + "\n"


def write_summary(
    report_dir: Path, target: str, impl: str, findings: Sequence[TriagedFinding], unreproduced: Sequence[Path]
) -> None:
    """Merge this triage's rows into ``report_dir/summary.{json,md}`` (atomically)."""
    rows = [*_summary_rows(findings)]
    lost = [{"target": target, "impl": impl, "artifact": str(p)} for p in unreproduced]
    _merge(report_dir, target, impl, rows=rows, lost=lost)


def record_infos(report_dir: Path, target: str, impl: str, infos: dict[str, int]) -> None:
    """Put this campaign's information counts (by kind) into ``report_dir/summary.{json,md}``, in place
    of the ones of the same target and implementation; nothing is written when there are none and no
    summary exists yet."""
    if not infos and not (report_dir / "summary.json").exists():
        return
    rows = [{"target": target, "impl": impl, "kind": k, "count": n} for k, n in sorted(infos.items())]
    _merge(report_dir, target, impl, infos=rows)


def _merge(
    report_dir: Path,
    target: str,
    impl: str,
    *,
    rows: list[dict[str, Any]] | None = None,
    lost: list[dict[str, Any]] | None = None,
    infos: list[dict[str, Any]] | None = None,
) -> None:
    """Replace the (target, impl) part of each list given, keep everything else, write both files."""
    path = report_dir / "summary.json"
    try:
        old = json.loads(path.read_text(encoding="utf-8"))
        assert isinstance(old, dict)
    except (OSError, ValueError, AssertionError):
        old = {}  # no summary yet, or a damaged one: start afresh
    lists: dict[str, list[dict[str, Any]]] = {}
    for name, new in (("findings", rows), ("unreproduced", lost), ("infos", infos)):
        kept = [r for r in old.get(name, []) if isinstance(r, dict)]
        if new is not None:
            kept = [r for r in kept if (r.get("target"), r.get("impl")) != (target, impl)] + new
        lists[name] = kept
    lists["findings"].sort(key=lambda r: (r["target"], r["impl"], r["outcome"], r["exc_type"], r["frame"]))
    lists["infos"].sort(key=lambda r: (r["target"], r["impl"], r["kind"]))
    document = {
        "updated": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
        **lists,
    }
    report_dir.mkdir(parents=True, exist_ok=True)
    write_atomic(path, json.dumps(document, indent=2) + "\n")
    write_atomic(
        report_dir / "summary.md", summary_markdown(lists["findings"], lists["unreproduced"], lists["infos"])
    )
