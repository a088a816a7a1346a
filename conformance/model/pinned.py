"""Generation that depends only on the seed: Hypothesis without constants harvested from our source.

Theory of operation: since 6.131 Hypothesis sometimes draws a value from the string, bytes and integer
literals of every *local* module (not stdlib, not site-packages, not tests) that happens to be in
``sys.modules`` when an example is generated. The pool therefore depends on which modules the process
imported before (in a test suite: which tests ran first), and on the text of every file of the
project, so a seeded run of the model checker found different things in different processes.

``pinned_generation()`` makes the pool empty for the duration of a run: it swaps the provider's
look-up of local constants for one that returns nothing and clears the cache of permitted constants
(which would otherwise still hold the previous pool) on the way in and on the way out. Hypothesis's own
fixed global constants are kept. This touches Hypothesis internals; on a version without them it does
nothing (such a version has no local constants), and tests/model/test_determinism.py fails if a future
version moves them, since the generated examples then change with what was imported.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

__all__ = ["pinned_generation"]

_PROVIDERS = "hypothesis.internal.conjecture.providers"


@contextmanager
def pinned_generation() -> Iterator[None]:
    """Within the block, Hypothesis draws no constants from local source files (see module docstring)."""
    providers: Any = importlib.import_module(_PROVIDERS)
    lookup = getattr(providers, "_get_local_constants", None)
    cache = getattr(getattr(providers, "CONSTANTS_CACHE", None), "cache", None)
    if lookup is None or cache is None:  # a Hypothesis without local constants
        yield
        return
    empty = type(providers._local_constants)()
    providers._get_local_constants = lambda: empty
    cache.clear()
    try:
        yield
    finally:
        providers._get_local_constants = lookup
        cache.clear()
