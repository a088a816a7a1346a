"""The model checker under the h11 profile: the oracle is the reference modelling h11, no masks.

Each documented difference (conformance/reference/differences.py) is switched to h11's behaviour at its
rule in the oracle under the ``h11`` profile (``conformance.oracle.as_profile``). h11 on a script that
steps into a difference is a violation under rfc9112 and none under h11; a planted fault that looks like
a difference but is not it is still a violation under h11.
"""

from __future__ import annotations

import types
from typing import Any

import h11
import pytest

from conformance.model import run_model
from conformance.model.actions import Action, InvariantViolation
from conformance.model.lockstep import LockStep
from conformance.targets.load import load_target, reference_api

GET = ("Request", {"method": b"GET", "target": b"/", "headers": [(b"Host", b"a")]})
EOM: Action = ("send", "client", ("EndOfMessage", {}))
ASKED: list[Action] = [("send", "client", GET), EOM, ("deliver", "client", ())]
CHUNKED = b"POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
AFTER_408: list[Action] = [
    ("send", "server", ("Response", {"status_code": 408, "headers": [(b"Content-Length", b"0")]})),
    ("send", "server", ("EndOfMessage", {})),
    ("deliver", "server", ()),
    ("send", "client", GET),
]


def _inject(data: bytes) -> list[Action]:
    return [("inject", "server", data, ())]


def _respond(kind: str, status: int, headers: list[tuple[bytes, bytes]], **more: Any) -> Action:
    return ("send", "server", (kind, {"status_code": status, "headers": headers, **more}))


# Difference -> a script on which h11 shows it (te-chunked-not-final differs only in error_status_hint,
# which no invariant compares, so it has none).
SCRIPTS: dict[str, list[Action]] = {
    "request-when-server-not-idle": AFTER_408,
    "reason-phrase-injection": [
        *ASKED,
        _respond("Response", 200, [(b"Content-Length", b"0")], reason=b"O\r\nX: 1"),
    ],
    "host-value-invalid": [
        ("send", "client", ("Request", {"method": b"GET", "target": b"/", "headers": [(b"Host", b"a b")]}))
    ],
    "cl-te-keepalive": _inject(
        b"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"
    ),
    "te-in-http10": _inject(b"POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"),
    "chunk-ext-bare-cr": _inject(CHUNKED + b"1;a\rb\r\nx\r\n0\r\n\r\n"),
    "chunk-ext-bws": _inject(CHUNKED + b"1 ;a\r\nx\r\n0\r\n\r\n"),
    "upgrade-in-http10": _inject(b"GET / HTTP/1.0\r\nUpgrade: x\r\n\r\n"),
    "size-limit-split-invariant": _inject(b"GET / HTTP/1.1\r\nHost: a\r\nX: " + b"a" * 17_000 + b"\r\n\r\n"),
    "send-cl-with-te": [
        ("send", "client", ("Request", {"method": b"POST", "target": b"/", "headers": [
            (b"Host", b"a"), (b"Content-Length", b"1"), (b"Transfer-Encoding", b"chunked")]})),
    ],
    "send-framing-on-1xx-204": [*ASKED, _respond("Response", 204, [(b"Content-Length", b"0")])],
    "send-framing-on-connect-2xx": [
        ("send", "client", ("Request", {"method": b"CONNECT", "target": b"a:1", "headers": [
            (b"Host", b"a")]})),
        EOM,
        ("deliver", "client", ()),
        _respond("Response", 200, [(b"Content-Length", b"0")]),
    ],
    "connect-2xx-framing-ignored": [
        ("send", "client", ("Request", {"method": b"CONNECT", "target": b"a:1", "headers": [
            (b"Host", b"a")]})),
        EOM,
        ("inject", "client", b"HTTP/1.1 200 OK\r\nContent-Length: abc\r\n\r\ntunnel", ()),
    ],
    "send-101-without-upgrade": [
        ("send", "client", ("Request", {"method": b"GET", "target": b"/", "headers": [
            (b"Host", b"a"), (b"Upgrade", b"x"), (b"Connection", b"upgrade")]})),
        EOM,
        ("deliver", "client", ()),
        _respond("InformationalResponse", 101, []),
    ],
    "send-framing-trailer": [
        ("send", "client", ("Request", {"method": b"POST", "target": b"/", "headers": [
            (b"Host", b"a"), (b"Transfer-Encoding", b"chunked")]})),
        ("send", "client", ("EndOfMessage", {"headers": [(b"Content-Length", b"5")]})),
    ],
}  # fmt: skip


def _run(impl: Any, actions: list[Action], profile: str) -> InvariantViolation | None:
    world = LockStep(impl, reference_api(), profile=profile)
    try:
        for action in actions:
            world.apply(action)
    except InvariantViolation as violation:
        return violation
    return None


def _h11_with(connection: type) -> types.SimpleNamespace:
    api = types.SimpleNamespace(**{name: getattr(h11, name) for name in h11.__all__})
    api.Connection = connection
    return api


def test_every_difference_but_a_hint_has_a_script() -> None:
    """Every documented difference but te-chunked-not-final (a status hint only) has a script here."""
    from conformance.reference.differences import DIFFERENCES

    assert set(SCRIPTS) == {d.name for d in DIFFERENCES} - {"te-chunked-not-final"}


@pytest.mark.parametrize("name", sorted(SCRIPTS))
def test_h11_steps_into_a_difference_only_rfc9112_reports_it(name: str) -> None:
    """h11 on a difference's script breaks an invariant under rfc9112 and none under h11 (no mask)."""
    assert _run(h11, SCRIPTS[name], "rfc9112") is not None
    assert _run(h11, SCRIPTS[name], "h11") is None


class _TypeErrorWhenNotIdle(h11.Connection):  # type: ignore[misc]
    """h11, but the Request it cannot send while the server is not IDLE raises TypeError instead."""

    def send(self, event: Any) -> Any:
        if type(event) is h11.Request and self.their_state is not h11.IDLE:
            raise TypeError("planted")
        return super().send(event)


class _AttributeErrorOnPost(h11.Connection):  # type: ignore[misc]
    """h11, but sending any POST request raises AttributeError (h11's crash type, elsewhere)."""

    def send(self, event: Any) -> Any:
        if type(event) is h11.Request and event.method == b"POST":
            raise AttributeError("planted")
        return super().send(event)


class _ReasonTwice(h11.Connection):  # type: ignore[misc]
    """h11, but a reason phrase with a CR is written twice (near reason-phrase-injection, not it)."""

    def send(self, event: Any) -> Any:
        out = super().send(event)
        reason = getattr(event, "reason", b"")
        if out and b"\r" in reason:
            out = out.replace(reason, reason + reason, 1)
        return out


POST = (
    "Request",
    {"method": b"POST", "target": b"/", "headers": [(b"Host", b"a"), (b"Content-Length", b"0")]},
)
NEAR_MISSES: dict[str, tuple[type, list[Action], str]] = {
    "crash of another type where h11 crashes": (_TypeErrorWhenNotIdle, AFTER_408, "errors"),
    "h11's crash type where h11 does not crash": (
        _AttributeErrorOnPost,
        [("send", "client", POST)],
        "errors",
    ),
    "reason written twice": (_ReasonTwice, SCRIPTS["reason-phrase-injection"], "wire"),
}


@pytest.mark.parametrize("name", sorted(NEAR_MISSES))
def test_a_near_miss_is_still_a_violation_under_h11(name: str) -> None:
    """A fault over h11 on a difference's ground, but not the difference, breaks an invariant under h11."""
    fault, actions, invariant = NEAR_MISSES[name]
    violation = _run(_h11_with(fault), actions, "h11")
    assert violation is not None
    assert violation.invariant == invariant
    assert _run(h11, actions, "h11") is None


@pytest.mark.slow
def test_h11_passes_the_ci_depth_under_the_h11_profile() -> None:
    """h11 under the h11 profile breaks no invariant at the ci depth, tours included (no mask anywhere)."""
    report = run_model(load_target("h11"), profile="h11", depth="ci", corpus_dir=None, isolated=False)
    assert not report.found, [(f.invariant, f.detail) for f in report.found]
