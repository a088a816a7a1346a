"""The targets layer: load, probe and call the implementation under test.

This is the package's face. ``load`` resolves ``--impl`` into a ``Target``; ``probe`` finds which h11
names it has and the ``capabilities`` that follow; ``executor`` is the in-process way to call it and
``isolation`` the worker-process one (``executor_for`` picks); ``adapters`` hold the adapter kit and the
adapters we ship; ``bench`` measures what isolation costs.
"""

from __future__ import annotations

from conformance.targets.capabilities import ALL_CAPABILITIES
from conformance.targets.executor import CallResult, Crashed, Executor, Hung, InProcessExecutor, Ok
from conformance.targets.isolation import IsolatedExecutor, executor_for
from conformance.targets.load import Target, load_target, resolve_impls

__all__ = [
    "ALL_CAPABILITIES",
    "CallResult",
    "Crashed",
    "Executor",
    "Hung",
    "InProcessExecutor",
    "IsolatedExecutor",
    "Ok",
    "Target",
    "executor_for",
    "load_target",
    "resolve_impls",
]
