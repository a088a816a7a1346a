"""The behaviour fingerprint table the report writers share: one row per choice point, one cell per
implementation (README "Choice points").

Theory of operation: ``RunResult.fingerprint`` says which alternative each implementation took at each
choice point the catalog observed; this module adds what the reports print beside it (the RFC section,
the requirement level, h11's alternative) and marks a SHOULD point's non-recommended alternative as a
warn, so every format shows the same table.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from conformance.reference.choices import CHOICES

if TYPE_CHECKING:
    from conformance.results import RunResult


def fingerprint_rows(run: RunResult) -> list[dict[str, Any]]:
    """One dict per choice point any implementation was seen at, in the table's order.

    Returns:
        ``{"id", "rfc", "level", "h11", "cells": [{"impl", "alternative", "warn"} | None, ...]}``.
    """
    prints = {impl.name: run.fingerprint(impl.name) for impl in run.impls}
    rows = []
    for point in CHOICES:
        cells = []
        for impl in run.impls:
            taken = prints[impl.name].get(point.id)
            warn = taken is not None and point.recommended is not None and taken != point.recommended
            cells.append(None if taken is None else {"impl": impl.name, "alternative": taken, "warn": warn})
        if any(cells):
            rows.append(
                {"id": point.id, "rfc": point.rfc, "level": point.level, "h11": point.h11, "cells": cells}
            )
    return rows


def cell_text(cell: dict[str, Any] | None) -> str:
    """A fingerprint cell for plain-text formats: the alternative, "(warn)" after a SHOULD shortfall."""
    if cell is None:
        return "-"
    return f"{cell['alternative']} (warn)" if cell["warn"] else str(cell["alternative"])
