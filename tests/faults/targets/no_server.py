"""Planted fault for the harness: the h11 API without the SERVER sentinel, so a driver that assumes it
fails in the harness's own code (a harness error, never the target's crash)."""

from __future__ import annotations

from tests.faults.targets._base import reexport

reexport(globals())
del globals()["SERVER"]
