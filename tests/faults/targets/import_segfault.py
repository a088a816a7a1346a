"""Planted fault: a module that segfaults as soon as it is imported."""

from __future__ import annotations

import ctypes

ctypes.string_at(0)
