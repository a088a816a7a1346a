"""Loaded by every Python started under ``h11spec shim``: install strict-h11, then the usual sitecustomize.

When ``$H11SPEC_STRICT_H11`` is set, ``import h11`` in this process gives the RFC-strict reference
(``conformance.commands.strict_h11``). If this Python cannot import h11spec (another virtualenv), the
directory h11spec lives in is appended to ``sys.path``, last, so that it shadows nothing; the reference
needs only the standard library. Because this module shadows any other ``sitecustomize`` on the
path, it then runs the next one, if there is one, so a distribution's or a virtualenv's still applies.
"""

from __future__ import annotations

import importlib.machinery
import importlib.util
import os
import sys

_here = os.path.dirname(os.path.abspath(__file__))

if os.environ.get("H11SPEC_STRICT_H11", "").strip() not in ("", "0"):
    try:
        from conformance.commands.strict_h11 import install
    except ImportError:
        sys.path.append(os.path.dirname(os.path.dirname(os.path.dirname(_here))))
        from conformance.commands.strict_h11 import install

    install()

_rest = [p for p in sys.path if os.path.abspath(p or ".") != _here]
_spec = importlib.machinery.PathFinder.find_spec("sitecustomize", _rest)
if _spec is not None and _spec.loader is not None:
    _next = importlib.util.module_from_spec(_spec)
    _spec.loader.exec_module(_next)
