"""What every planted fuzz fault wraps: the reference implementation, every public name re-exported."""

from __future__ import annotations

from typing import Any

import conformance.reference as BASE

__all__ = ["BASE", "reexport"]


def reexport(namespace: dict[str, Any]) -> None:
    """Copy the reference's public names (and version) into a fault module's globals."""
    for name in (*BASE.__all__, "__version__"):
        namespace[name] = getattr(BASE, name)
