"""Planted fault: an adapter that claims every capability but has only the httptools adapter's names."""

from __future__ import annotations

from conformance.targets.adapters.httptools import Adapter as _Parser
from conformance.targets.capabilities import ALL_CAPABILITIES


class Adapter(_Parser):
    """Declares serialize, state-machine... without the names they need."""

    H11SPEC_CAPABILITIES = ALL_CAPABILITIES


class Misspelt(_Parser):
    """Declares a capability that does not exist."""

    H11SPEC_CAPABILITIES = frozenset({"parse-requests", "parse-everything"})
