"""summary.md: the counts, then every non-pass row as a table, for people and PR comments."""

from __future__ import annotations

from typing import TYPE_CHECKING

from conformance.reports.junit import xml_text
from conformance.verdict import Verdict

if TYPE_CHECKING:
    from conformance.results import RunResult


def cell(text: str, limit: int = 200) -> str:
    """``text`` made safe for one Markdown table cell: one line, pipes, backticks and controls escaped."""
    line = " ".join(xml_text(text).split())
    if len(line) > limit:
        line = line[: limit - 1] + "…"
    return line.replace("\\", "\\\\").replace("|", "\\|").replace("`", "\\`").replace("<", "&lt;")


def _fingerprint(run: RunResult) -> list[str]:
    """The behaviour fingerprint: the alternative each implementation took at each choice point."""
    from conformance.reports.fingerprint import cell_text, fingerprint_rows

    rows = fingerprint_rows(run)
    if not rows:
        return []
    out = [
        "## Behaviour fingerprint (choice points)",
        "",
        "| choice point | RFC | level | h11 | " + " | ".join(cell(i.name) for i in run.impls) + " |",
        "|---|---|---|---|" + "---|" * len(run.impls),
    ]
    for row in rows:
        cells = " | ".join(cell(cell_text(c)) for c in row["cells"])
        out.append(f"| {row['id']} | {row['rfc']} | {row['level']} | {row['h11']} | {cells} |")
    return [*out, ""]


def render(run: RunResult) -> str:
    """The summary.md text."""
    from conformance.results import VERDICT_ORDER, counted_problems

    meta = run.meta
    out = [
        "# h11spec conformance summary",
        "",
        f"Profile `{meta.get('profile', '?')}`, h11spec {meta.get('version', '?')}, "
        f"model depth `{meta.get('model_depth', '?')}`.",
        "",
        "| implementation | version | " + " | ".join(v.value for v in VERDICT_ORDER) + " |",
        "|---|---|" + "---:|" * len(VERDICT_ORDER),
    ]
    for impl in run.impls:
        counts = run.counts(impl.name)
        out.append(
            f"| {cell(impl.name)} | {cell(impl.version)} | "
            + " | ".join(str(counts[v]) for v in VERDICT_ORDER)
            + " |"
        )
    counted = counted_problems(run)
    out += ["", f"**{'FAILED' if counted else 'OK'}**: {len(counted)} MUST-level fail/crash/hang counted"]
    known = sum(1 for r in run.results if run.is_known(r))
    if known:
        out[-1] += f", {known} known from the baseline not counted"
    out.append("")
    out += _fingerprint(run)
    problems = [r for r in run.results if r.verdict is not Verdict.PASS]
    if not problems:
        out += ["Every case passed.", ""]
        return "\n".join(out)
    order = {v: i for i, v in enumerate(VERDICT_ORDER)}
    problems.sort(key=lambda r: (r.impl, order[r.verdict], r.case_id))
    out += [
        "## Not passed",
        "",
        "| implementation | verdict | level | case | message |",
        "|---|---|---|---|---|",
    ]
    for r in problems:
        mark = " (known)" if run.is_known(r) else ""
        out.append(
            f"| {cell(r.impl)} | {r.verdict.value}{mark} | {r.level.value} | {cell(r.case_id)} "
            f"| {cell(r.message)} |"
        )
    out.append("")
    return "\n".join(out)
