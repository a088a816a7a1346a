"""The triage summary: one row per (target, implementation, signature), as JSON and Markdown.

Theory of operation: ``write_summary`` merges the rows of one triage into ``summary.json`` (rows of other
targets or implementations already there are kept, so a campaign over every target accumulates one
table) and renders ``summary.md`` from the merged rows; both are written atomically. Measuring is
triage's job, rendering this module's.
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


def _md_cell(text: object) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def summary_markdown(rows: Sequence[dict[str, Any]], unreproduced: Sequence[dict[str, Any]]) -> str:
    """The Markdown summary: one row per signature, with counts."""
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
    return "\n".join(lines) + "\n"


def write_summary(
    report_dir: Path, target: str, impl: str, findings: Sequence[TriagedFinding], unreproduced: Sequence[Path]
) -> None:
    """Merge this triage's rows into ``report_dir/summary.{json,md}`` (atomically)."""
    path = report_dir / "summary.json"
    rows: list[dict[str, Any]] = []
    lost: list[dict[str, Any]] = []
    try:
        old = json.loads(path.read_text(encoding="utf-8"))
        rows = [r for r in old.get("findings", []) if (r.get("target"), r.get("impl")) != (target, impl)]
        lost = [u for u in old.get("unreproduced", []) if (u.get("target"), u.get("impl")) != (target, impl)]
    except (OSError, ValueError, AttributeError):
        pass  # no summary yet, or a damaged one: start afresh
    rows += _summary_rows(findings)
    lost += [{"target": target, "impl": impl, "artifact": str(p)} for p in unreproduced]
    rows.sort(key=lambda r: (r["target"], r["impl"], r["outcome"], r["exc_type"], r["frame"]))
    document = {
        "updated": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
        "findings": rows,
        "unreproduced": lost,
    }
    write_atomic(path, json.dumps(document, indent=2) + "\n")
    write_atomic(report_dir / "summary.md", summary_markdown(rows, lost))
