"""Planted fault: a module that calls os._exit(7) as soon as it is imported, skipping all cleanup."""

from __future__ import annotations

import os

os._exit(7)
