"""report.html: one static, offline page: a row per case, filters, expandable details, impl matrix.

Theory of operation: the rows are rendered on the server side by Jinja2 with autoescaping on (input bytes
are shown escaped, and may contain ``<script>``), so the page needs no data in JavaScript at all; the small
inline script only hides and shows rows. Cases are grouped by id across implementations: with several
``--impl`` each row has one verdict cell per implementation, and rows where the verdicts differ are marked
(class ``differs``) and can be shown alone. No external resource is referenced (no CDN, fonts or images),
which the browser self-test checks by watching the page's requests.
"""

from __future__ import annotations

import importlib.resources
import json
from typing import TYPE_CHECKING, Any

import jinja2

from conformance.reports.fingerprint import fingerprint_rows
from conformance.results import escape_bytes

if TYPE_CHECKING:
    from conformance.results import CaseResult, RunResult

TEMPLATE = "report.html.j2"


def rows(run: RunResult) -> list[dict[str, Any]]:
    """One dict per case id, in first-seen order, with one cell per implementation (None: not run)."""
    names = [i.name for i in run.impls]
    grouped: dict[str, dict[str, CaseResult]] = {}
    for r in run.results:
        grouped.setdefault(r.case_id, {})[r.impl] = r
    out = []
    for case_id, by_impl in grouped.items():
        first = next(iter(by_impl.values()))
        cells = [by_impl.get(name) for name in names]
        verdicts = sorted({c.verdict.value for c in cells if c is not None})
        out.append(
            {
                "id": case_id,
                "level": first.level.value,
                "rfc": first.rfc,
                "sentence": first.sentence,
                "source": first.source,
                "role": first.role,
                "input": escape_bytes(first.input),
                "has_input": bool(first.input),
                "script": first.script,
                "cells": [
                    None
                    if c is None
                    else {
                        "impl": c.impl,
                        "verdict": c.verdict.value,
                        "known": run.is_known(c),
                        "message": c.message,
                        "expected": c.expected,
                        "observed": c.observed,
                    }
                    for c in cells
                ],
                "verdicts": verdicts,
                "differs": len(names) > 1 and (len(verdicts) > 1 or None in cells),
            }
        )
    return out


def render(run: RunResult) -> str:
    """The report.html text."""
    from conformance.results import VERDICT_ORDER

    source = importlib.resources.files("conformance.reports").joinpath(TEMPLATE).read_text(encoding="utf-8")
    env = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined, keep_trailing_newline=True)
    template = env.from_string(source)
    table = rows(run)
    return template.render(
        meta=run.meta,
        impls=run.impls,
        rows=table,
        verdicts=[v.value for v in VERDICT_ORDER],
        levels=["MUST", "SHOULD", "MAY"],
        counts={i.name: run.counts(i.name) for i in run.impls},
        verdict_order=VERDICT_ORDER,
        differing=sum(1 for r in table if r["differs"]),
        fingerprint=fingerprint_rows(run),
        coverage={
            name: json.dumps(cov, indent=1, sort_keys=True, default=str)
            for name, cov in run.model_coverage.items()
        },
    )
