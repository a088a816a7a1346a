"""results.json: the machine-readable report, and the baseline format (docs/results-schema.md)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

from conformance.errors import UsageError

if TYPE_CHECKING:
    from conformance.results import RunResult


def render(run: RunResult) -> str:
    """The results.json text: two-space indent, a final newline; anything not JSON-able becomes its str()."""
    return json.dumps(run.to_json(), indent=2, ensure_ascii=False, default=str) + "\n"


def read(path: str | Path) -> RunResult:
    """Load a results.json written by ``render``.

    Returns:
        The ``RunResult`` it holds.
    Raises:
        UsageError: the file cannot be read or is not a results.json of this schema version.
    """
    from conformance.results import RunResult

    path = Path(path)
    try:
        return RunResult.from_json(json.loads(path.read_text(encoding="utf-8")))
    except OSError as exc:
        raise UsageError(f"cannot read {path}: {exc.strerror or exc}") from None
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise UsageError(f"{path} is not a results.json of h11spec ({type(exc).__name__}: {exc})") from None
