"""The differential target grades every allowed alternative at a choice point as conforming, nothing else."""

from __future__ import annotations

import importlib
import types
from typing import Any

import pytest

from conformance import drive
from conformance.oracle import feed_outcomes
from conformance.reference import choices
from fuzz import checks
from fuzz.checks import OracleViolation
from fuzz.corpus import SEEDS_DIR
from fuzz.targets import run_one
from tests.faults.choices._base import FLIPPED, LENIENT, NEAR_MISSES, PROBES, flipped, rewriting

SEEDS = SEEDS_DIR / "differential"
INPUTS = [
    *(p.read_bytes() for p in sorted(SEEDS.iterdir())),
    *(data for _, data in PROBES.values()),
    *(data for _, data, _ in LENIENT.values()),
]


def _api(name: str) -> Any:
    return importlib.import_module(f"tests.faults.choices.{name}")


@pytest.mark.parametrize("name", FLIPPED)
def test_a_flipped_choice_gives_no_differential_finding(name: str) -> None:
    """The reference with a choice point switched agrees with the set oracle on the seeds and probes."""
    api = _api(name)
    found = [f.message for data in INPUTS if (f := run_one(api, ("differential", data))) is not None]
    assert found == []


@pytest.mark.parametrize("name", NEAR_MISSES)
def test_a_near_miss_is_a_differential_finding_naming_the_choice_points(name: str) -> None:
    """An alternative the RFC does not allow is a finding, and it says which choice points were considered."""
    api = _api(name)
    found = [f.message for data in INPUTS if (f := run_one(api, ("differential", data))) is not None]
    assert found
    assert any("choice points considered" in message for message in found)


class _RejectsTrailers:
    """The reference, but any received trailer section is rejected (every alternative accepts it)."""

    def __init__(self) -> None:
        import conformance.reference as ref

        for name in ref.__all__:
            setattr(self, name, getattr(ref, name))
        base = ref.Connection
        remote = ref.RemoteProtocolError
        end = ref.EndOfMessage

        class Connection(base):  # type: ignore[misc,valid-type]
            def next_event(self) -> Any:
                event = super().next_event()
                if type(event) is end and event.headers:
                    raise remote("no trailers here")
                return event

        self.Connection = Connection


def test_rejecting_what_every_allowed_alternative_accepts_is_a_finding() -> None:
    """Where the input reached a choice point and every alternative accepts, rejecting is not 'stricter'."""
    impl = drive.feed(_RejectsTrailers(), "server", [PROBES["trailer-fields"][1]])
    conf = feed_outcomes("server", [PROBES["trailer-fields"][1]], lambda ref: checks._exact(impl, ref))
    problem = checks.differential_problem(impl, conf)
    assert problem is not None
    assert problem[0].startswith("rejects-what-every-choice-accepts")
    assert "trailer-fields" in problem[1]


def test_the_oracle_costs_one_reference_run_when_the_default_agrees() -> None:
    """The set oracle runs the alternatives only on disagreement."""
    data = PROBES["obs-fold"][1]
    ref = drive.feed(importlib.import_module("conformance.reference"), "server", [data])
    conf = feed_outcomes("server", [data], lambda trace: trace == ref)
    assert len(conf.outcomes) == 1
    assert conf.considered == {"obs-fold"}
    every = feed_outcomes("server", [data])
    assert len(every.outcomes) == 2


def test_the_h11_profile_expects_h11s_choices(monkeypatch: pytest.MonkeyPatch) -> None:
    """Under the h11 profile the differential target compares with h11's alternative only."""
    monkeypatch.setenv("H11SPEC_PROFILE", "h11")
    api = _api("flip_leading_empty_lines")
    finding = run_one(api, ("differential", PROBES["leading-empty-lines"][1]))
    assert finding is not None
    assert run_one(api, ("differential", PROBES["bare-lf"][1])) is None


@pytest.mark.parametrize("name", sorted(LENIENT))
def test_a_library_style_input_is_no_finding_under_the_alternative_it_takes(name: str) -> None:
    """An input the ecosystem campaigns reported, read as the library read it, is a finding of the reference's
    default alone and none of the set oracle (the alternative the library takes is allowed)."""
    role, data, assignment = LENIENT[name]
    namespace: dict[str, Any] = {}
    flipped(namespace, assignment)
    api = types.SimpleNamespace(**namespace)
    ref = importlib.import_module("conformance.reference")
    with choices.assign(assignment):
        taken = drive.feed(ref, role, [data])
    assert taken != drive.feed(ref, role, [data])  # the input tells the alternative from the default
    every = feed_outcomes(role, [data])
    assert set(assignment) <= every.considered
    assert taken in [o.result for o in every.outcomes]
    if taken.outcome == "accept":  # rejecting earlier than the reference is never a finding of the default
        with pytest.raises(OracleViolation):
            checks.single_outcome_differential(api, data)
    assert run_one(api, ("differential", data)) is None


def _rewriting_flip(assignment: dict[str, str], old: bytes, new: bytes) -> Any:
    """A flipped reference that reads ``old`` in a head as ``new``: an alternative taken past its place."""
    namespace: dict[str, Any] = {}
    rewriting(namespace, lambda head: head.replace(old, new), assignment)
    return types.SimpleNamespace(**namespace)


@pytest.mark.parametrize(
    ("assignment", "old", "new", "data"),
    [
        (  # framed by chunked although chunked is not the final coding (RFC 9112 §6.3: read until close)
            {"te-final-chunked-response": "frame"},
            b"chunked, gzip",
            b"gzip, chunked",
            b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked, gzip\r\n\r\n1\r\nx\r\n0\r\n\r\n",
        ),
        (  # a CONNECT request's tunnel taken for a POST's body
            {"connect-request-content": "tunnel"},
            b"POST a:443",
            b"CONNECT a:443",
            b"POST a:443 HTTP/1.1\r\nHost: a:443\r\nContent-Length: 3\r\n\r\nabc",
        ),
        (  # 21 significant digits read by value: past the limit either alternative keeps
            {"long-numeral": "value"},
            b"Content-Length: 100000000000000000000",
            b"Content-Length: 0000000000000000000001",
            b"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 100000000000000000000\r\n\r\nx",
        ),
    ],
)
def test_stretching_an_allowed_alternative_is_a_differential_finding(
    assignment: dict[str, str], old: bytes, new: bytes, data: bytes
) -> None:
    """An implementation taking an allowed alternative where the RFC does not offer it is still a finding."""
    assert (
        run_one(
            importlib.import_module("tests.faults.choices." + _flip_name(assignment)), ("differential", data)
        )
        is None
    )
    assert run_one(_rewriting_flip(assignment, old, new), ("differential", data)) is not None


def _flip_name(assignment: dict[str, str]) -> str:
    (cid,) = assignment
    return "flip_" + cid.replace("-", "_")
