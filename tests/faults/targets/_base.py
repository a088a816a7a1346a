"""The implementation every planted fault wraps: the reference when it imports, else h11."""

from __future__ import annotations

import importlib
from types import ModuleType
from typing import Any

from conformance.targets.probe import H11_NAMES


def _base() -> ModuleType:
    try:
        module = importlib.import_module("conformance.reference")
    except Exception:  # not built yet, or mid-edit: these tests are about isolation, not the reference
        module = None
    if module is None or not hasattr(module, "Connection"):
        module = importlib.import_module("h11")
    return module


BASE = _base()


def reexport(namespace: dict[str, Any]) -> None:
    """Copy every h11 name the base offers into ``namespace`` (a fault module's globals)."""
    for name in (*H11_NAMES, "__version__"):
        if hasattr(BASE, name):
            namespace[name] = getattr(BASE, name)
