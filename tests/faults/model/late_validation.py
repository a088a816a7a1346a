"""Planted target (lacks "event-validation"): events that validate nothing, refused by send().

The event classes are the adapter kit's (built from anything); ``send`` builds the reference's event from
them and, when that refuses, puts our side in ERROR and raises (h11's contract for a refused send), as
adapters of libraries without validating constructors do (h11r). The model must grade it as refusing
at send, not at construction; a target claiming "event-validation" that validates this late is caught
by the states invariant (ERROR where the oracle never took the event).
"""

from __future__ import annotations

import dataclasses
from typing import Any

from conformance.targets.adapters import kit
from tests.faults.model._base import BASE, wrap

EVENTS = ("Request", "InformationalResponse", "Response", "Data", "EndOfMessage", "ConnectionClosed")


class Connection(BASE.Connection):  # type: ignore[misc,name-defined]
    def send(self, event: Any) -> Any:
        fields = {f.name: getattr(event, f.name) for f in dataclasses.fields(event)}
        try:
            real = getattr(BASE, type(event).__name__)(**fields)
        except BASE.LocalProtocolError:
            self.send_failed()
            raise
        return super().send(real)


API = wrap(Connection, "late_validation")
for _name in EVENTS:
    setattr(API, _name, getattr(kit, _name))
