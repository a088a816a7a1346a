"""Planted adapter: parse-only (no send) and without the request hook, so it lacks "request-context".

It wraps the reference's parser; a client Connection reads responses as if to GET, which is exactly
why the catalog must skip the cases whose request is HEAD or CONNECT instead of grading them.
"""

from __future__ import annotations

from tests.faults.targets._base import BASE, reexport

reexport(globals())


class Connection(BASE.Connection):
    """The base Connection without its sending half (and without h11spec_expect_response_to)."""

    send = None
    send_with_data_passthrough = None


class Adapter:
    """The namespace the tests name: the reference's h11 names with a parse-only Connection."""


for _name, _value in dict(globals()).items():
    if _name[:1].isupper() and _name != "Adapter":
        setattr(Adapter, _name, _value)
Adapter.Connection = Connection
