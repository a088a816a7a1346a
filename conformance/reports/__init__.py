"""Report writers: results.json, junit.xml, summary.md and report.html from one ``RunResult``.

Theory of operation: every writer is a pure ``render(run) -> str`` (easy to test, deterministic for the
same ``RunResult``) plus the shared ``write_reports`` below, which writes each file atomically
(``conformance.atomic.write_atomic``) so a report directory never holds a half-written file. The writers
read only ``RunResult``: they do not know whether a row came from the catalog or the
model checker.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from conformance.atomic import write_atomic

if TYPE_CHECKING:
    from conformance.results import RunResult

REPORT_FILES = ("results.json", "junit.xml", "summary.md", "report.html")


def write_reports(run: RunResult, report_dir: str | Path) -> list[Path]:
    """Write the four reports of ``run`` under ``report_dir`` (created if needed).

    Returns:
        The paths written, in ``REPORT_FILES`` order.
    Raises:
        OSError: the directory cannot be written; files already there are left whole.
    """
    from conformance.reports import html, junit, markdown
    from conformance.reports import json as json_report

    directory = Path(report_dir)
    rendered = {
        "results.json": json_report.render(run),
        "junit.xml": junit.render(run),
        "summary.md": markdown.render(run),
        "report.html": html.render(run),
    }
    return [write_atomic(directory / name, rendered[name]) for name in REPORT_FILES]
