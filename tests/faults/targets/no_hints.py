"""Planted adapter: rejects exactly as the reference does, but its RemoteProtocolError has no status hint.

It declares every capability but "status-hints", so the catalog must grade its rejections by class
alone (passing them, saying the hint was not checked) instead of failing every case that pins a status.
"""

from __future__ import annotations

from typing import Any

from conformance.targets.capabilities import ALL_CAPABILITIES, STATUS_HINTS
from tests.faults.targets._base import BASE, reexport

reexport(globals())


class Connection(BASE.Connection):
    """The base Connection whose RemoteProtocolErrors lose their status hint."""

    def next_event(self) -> Any:
        try:
            return super().next_event()
        except BASE.RemoteProtocolError as exc:
            exc.error_status_hint = None
            raise


class Adapter:
    """The namespace the tests name."""

    H11SPEC_CAPABILITIES = ALL_CAPABILITIES - {STATUS_HINTS}


for _name, _value in dict(globals()).items():
    if _name[:1].isupper() and _name not in ("Adapter", "ALL_CAPABILITIES", "STATUS_HINTS"):
        setattr(Adapter, _name, _value)
Adapter.Connection = Connection


class Undeclared(Adapter):
    """The same hintless adapter claiming status hints: its rejections then fail on the hint."""

    H11SPEC_CAPABILITIES = ALL_CAPABILITIES
