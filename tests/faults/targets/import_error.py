"""Planted fault: a module that raises as soon as it is imported."""

from __future__ import annotations

raise RuntimeError("planted fault: this implementation cannot be imported")
