"""Report writers: results.json, junit.xml, summary.md and report.html from one ``RunResult``.

Theory of operation: every writer is a pure ``render(run) -> str`` (easy to test, deterministic for the
same ``RunResult``) plus the shared ``write_reports`` below, which writes each file atomically
into a staging directory and publishes them as one set (``conformance.atomic.StagedDirectory``): the
report directory holds the old run's files until the instant it holds the new run's, never a mix, and
never a half-written file. The writers read only ``RunResult``: they do not know whether a row came from
the catalog or the model checker.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from conformance.atomic import StagedDirectory, write_atomic

if TYPE_CHECKING:
    from conformance.results import RunResult

REPORT_FILES = ("results.json", "junit.xml", "summary.md", "report.html")
MODEL_FINDINGS = "model-findings"  # the model checker's corpus entries of the run, part of the set
REPORT_SET = (*REPORT_FILES, MODEL_FINDINGS)


def stage_reports(report_dir: str | Path) -> StagedDirectory:
    """A staging directory for one run's reports (cleans what killed runs left; see ``write_reports``).

    Raises:
        OSError: the parent of ``report_dir`` cannot be written.
    """
    return StagedDirectory(report_dir, REPORT_SET)


def write_reports(
    run: RunResult, report_dir: str | Path, staged: StagedDirectory | None = None
) -> list[Path]:
    """Write the four reports of ``run`` and publish them in ``report_dir`` as one set.

    ``staged`` is a staging directory made earlier by ``stage_reports`` (the run wrote its model findings
    there); without it one is made here.
    Returns:
        The paths of the published files, in ``REPORT_FILES`` order.
    Raises:
        OSError: the directory cannot be written; the files already there are left whole, as a set.
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
    stage = staged if staged is not None else stage_reports(directory)
    try:
        for name in REPORT_FILES:
            write_atomic(stage.path / name, rendered[name])
        stage.publish()
    finally:
        stage.discard()
    return [directory / name for name in REPORT_FILES]
