"""Planted fault for the harness: the reference's names without the PAUSED sentinel.

It still reads requests (parse-requests needs no PAUSED), so the fuzz targets run on it, and the driver,
which compares next_event's result with ``api.PAUSED``, fails in the harness's own code: a harness error,
never the target's crash or a finding.
"""

from __future__ import annotations

from tests.faults.fuzz._base import reexport

reexport(globals())
del globals()["PAUSED"]
