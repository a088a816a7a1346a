"""Planted fault: a module whose import never finishes."""

from __future__ import annotations

while True:
    pass
