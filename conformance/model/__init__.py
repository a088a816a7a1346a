"""The model checker: Hypothesis stateful cross-checks of an implementation against the reference.

This is the package's face; the engine is ``conformance.model.check`` (``run_model``), the rule machine
``machine``, the lock-step worlds ``world``, the byte-stream property ``bytestream``, and the corpus
entries ``entries`` and ``replay``.
"""

from __future__ import annotations

from conformance.model.check import (
    DEPTHS,
    INVARIANT_TEXT,
    Finding,
    ModelReport,
    render,
    resolve_depth,
    run_model,
)

__all__ = [
    "DEPTHS",
    "INVARIANT_TEXT",
    "Finding",
    "ModelReport",
    "render",
    "resolve_depth",
    "run_model",
]
