"""Finding signatures: where in the implementation a crash happened, stable across inputs.

Theory of operation: two findings with the same (oracle, exception type, frame) are the same bug. The
frame is the innermost frame of the implementation's own top-level package ("module:function"),
skipping the harness's frames; ``pick_frame`` applies the same rule to a live stack (a hang located by
sampling) and ``innermost_frame`` to a traceback, so crashes and hangs fold alike.
"""

from __future__ import annotations

import traceback
import types
from collections.abc import Sequence
from typing import Any

# Frames of the harness and of the interpreter's machinery: never a finding's location. The reference's
# own frames (conformance.reference) are an implementation's frames like any other.
_HARNESS_PREFIXES = (
    "fuzz.",
    "conformance.drive",
    "conformance.targets.",
    "threading",
    "importlib",
    "__main__",
)

Frame = tuple[str, str]  # (module, function)


def api_package(api: Any) -> str:
    """The top-level package the implementation ``api`` comes from (a module, an adapter class or object)."""
    if isinstance(api, types.ModuleType):
        name = api.__name__
    elif isinstance(api, type):
        name = api.__module__
    else:
        name = type(api).__module__
    return name.split(".")[0]


def pick_frame(frames: Sequence[Frame], package: str) -> str:
    """The finding's location among ``frames`` (outermost first), as "module:function".

    Harness frames are skipped; among the rest the innermost one in the implementation's own top-level
    ``package`` wins, else the innermost one at all.
    """
    candidates = [f for f in frames if not f[0].startswith(_HARNESS_PREFIXES)] or list(frames)
    own = [f for f in candidates if f[0].split(".")[0] == package]
    module, function = (own or candidates or [("?", "?")])[-1]
    return f"{module}:{function}"


def traceback_frames(tb: types.TracebackType | None) -> list[Frame]:
    """The frames of a traceback, outermost first."""
    return [
        (str(frame.f_globals.get("__name__", "?")), frame.f_code.co_name)
        for frame, _ in traceback.walk_tb(tb)
    ]


def stack_frames(frame: types.FrameType | None) -> list[Frame]:
    """The frames of a live stack, from its bottom (outermost) to ``frame``."""
    stack: list[Frame] = []
    while frame is not None:
        stack.append((str(frame.f_globals.get("__name__", "?")), frame.f_code.co_name))
        frame = frame.f_back
    return stack[::-1]


def innermost_frame(exc: BaseException, api: Any) -> str:
    """Where ``exc`` was raised inside the implementation ``api`` (``pick_frame`` of its traceback)."""
    return pick_frame(traceback_frames(exc.__traceback__), api_package(api))
