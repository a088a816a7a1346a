"""Shared plumbing for the model checker's planted faults: an h11-API namespace with one class swapped.

Each fault module builds ``API`` with ``wrap(...)``: every public name of the base implementation (the
reference, or h11 while the reference cannot be imported) plus a faulty ``Connection`` subclass. The
module's docstring names the invariant the fault breaks; tests/model/test_planted_faults.py asserts the
"ci" depth finds exactly that invariant.
"""

from __future__ import annotations

import types
from typing import Any

from conformance.targets.load import reference_api

BASE: Any = reference_api()


def wrap(connection: type, name: str) -> types.SimpleNamespace:
    """``BASE``'s public names with ``Connection`` replaced by ``connection``."""
    names = {n: getattr(BASE, n) for n in dir(BASE) if not n.startswith("_")}
    names["Connection"] = connection
    names["__name__"] = name
    names["__version__"] = getattr(BASE, "__version__", "0")
    return types.SimpleNamespace(**names)
