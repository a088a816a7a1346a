"""The fuzz targets, by name, and running one input through one of them.

Theory of operation: ``TARGETS`` maps each target's name to its ``FuzzTarget``: ``server-parse``,
``client-parse``, ``send`` and ``differential`` (the checks are in ``fuzz.checks``, what a target is in
``fuzz.oracle``). ``run_one`` runs one input through one target and returns a picklable ``FindingInfo``
or None; it is module-level so that executors can call it in worker processes, and replay, triage and
the libFuzzer entry point all go through it. ``observe_one`` is the same but also returns information
(a ``FindingInfo`` of level "info", from ``OracleInfo``), which ``run_one`` leaves out: the campaign's
recorder counts it and triage tells it apart from a finding.

Each target needs only what it uses: the parse targets what their role reads (``fuzz.splits.ROLE_NEEDS``),
the differential what reading requests needs, since most inputs are requests. A differential input whose
role the target cannot read (a response stream on a target without parse-responses or request-context)
raises ``SkippedInput`` in the check: ``run_one`` returns None for it (no finding) and counts it in
``SKIPPED``, which a campaign worker writes next to its findings (``fuzz.recorder``).
"""

from __future__ import annotations

import collections
from typing import Any

from conformance.errors import HarnessError
from conformance.targets.capabilities import SERIALIZE, STATE_MACHINE
from conformance.targets.executor import describe_exception, harness_origin
from fuzz.checks import (
    CLIENT_PARSE_ORACLE,
    DIFFERENTIAL_ORACLE,
    SEND_ORACLE,
    SERVER_PARSE_ORACLE,
    check_client_parse,
    check_differential,
    check_send,
    check_server_parse,
)
from fuzz.oracle import FindingInfo, FuzzTarget, OracleInfo, OracleViolation, SkippedInput
from fuzz.signatures import innermost_frame
from fuzz.splits import ROLE_NEEDS

_SERVER, _CLIENT = ROLE_NEEDS["server"], ROLE_NEEDS["client"]
TARGETS: dict[str, FuzzTarget] = {
    "server-parse": FuzzTarget("server-parse", SERVER_PARSE_ORACLE, check_server_parse, _SERVER),
    "client-parse": FuzzTarget("client-parse", CLIENT_PARSE_ORACLE, check_client_parse, _CLIENT),
    "send": FuzzTarget("send", SEND_ORACLE, check_send, frozenset({SERIALIZE, STATE_MACHINE})),
    "differential": FuzzTarget("differential", DIFFERENTIAL_ORACLE, check_differential, _SERVER),
}
# Inputs each target skipped in this process (``SkippedInput``): no finding, counted for campaign stats.
SKIPPED: collections.Counter[str] = collections.Counter()


def skip_reason(target: Any, name: str) -> str | None:
    """Why fuzz target ``name`` cannot run on ``target`` (a ``conformance.targets.load.Target``), or None."""
    reason: str | None = target.skip_reason(TARGETS[name].needs)
    return reason


def run_one(api: Any, arg: tuple[str, bytes]) -> FindingInfo | None:
    """Run target ``arg[0]`` on input ``arg[1]``; module-level so executors can call it in workers.

    Returns:
        None when the oracle holds (information included) or the input is skipped (counted in
        ``SKIPPED``), else a ``FindingInfo`` (an oracle violation or a crash).
    Raises:
        HarnessError: no target has that name, or the harness's own code raised (never a finding).
    """
    found = observe_one(api, arg)
    return None if found is None or found.is_info else found


def observe_one(api: Any, arg: tuple[str, bytes]) -> FindingInfo | None:
    """Like ``run_one``, but information the check reported is returned too (level "info").

    Raises:
        HarnessError: as ``run_one``.
    """
    name, data = arg
    target = TARGETS.get(name)
    if target is None:
        raise HarnessError(f"unknown fuzz target {name!r}; known: {', '.join(TARGETS)}")
    try:
        target.check(api, data)
    except OracleInfo as info:
        return FindingInfo(name, info.oracle, "OracleInfo", f"info:{info.kind}", info.detail, level="info")
    except SkippedInput:
        SKIPPED[name] += 1
        return None
    except OracleViolation as violation:
        return FindingInfo(
            name, violation.oracle, "OracleViolation", f"oracle:{violation.kind}", violation.detail
        )
    except Exception as exc:  # any other exception of the implementation is the crash being reported
        if harness_origin(exc, api):  # ... unless our own code raised it: a harness error, no finding
            raise HarnessError(f"fuzz target {name}: {describe_exception(exc)}") from exc
        message = str(exc).splitlines()[0][:300] if str(exc) else ""
        return FindingInfo(name, target.oracle, type(exc).__name__, innermost_frame(exc, api), message)
    return None
