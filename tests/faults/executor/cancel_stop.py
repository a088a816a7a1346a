"""Planted fault: the in-process executor withdraws an undelivered stop by cancelling it.

``PyThreadState_SetAsyncExc(ident, NULL)`` is the obvious way to take back a pending asynchronous
exception, and the one the executor used to take. On CPython 3.11 it leaves the interpreter's
"asynchronous exception pending" signal up; under a tracer the thread then spins at its next traced
function entry. Install it only in a throwaway process: it patches the imported executor module.
"""

from __future__ import annotations

import ctypes
import threading

import conformance.targets.executor as executor


def _cancel() -> None:
    """Cancel whatever asynchronous exception is pending in the calling thread (the planted bug)."""
    ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(threading.get_ident()), None)


def install() -> None:
    """Make the executor cancel instead of withdrawing."""
    executor._withdraw_stop = _cancel
