"""Planted fault: an importable module that offers nothing of the h11 API."""

from __future__ import annotations


def parse(data: bytes) -> bytes:
    """Not an h11 API: there is no Connection and no event class in this module."""
    return data
