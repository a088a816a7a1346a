"""The model checker's byte-stream and lock-step invariants accept every allowed alternative, nothing else."""

from __future__ import annotations

import importlib
from typing import Any

import pytest

from conformance.model.bytestream import ByteStreamViolation, check_stream
from conformance.model.lockstep import LockStep
from conformance.targets.load import reference_api
from tests.faults.choices._base import FLIPPED, NEAR_MISSES, PROBES


def _api(name: str) -> Any:
    return importlib.import_module(f"tests.faults.choices.{name}")


@pytest.mark.parametrize("name", FLIPPED)
def test_a_flipped_choice_holds_the_stream_invariants(name: str) -> None:
    """Every probe, whole and in pieces, fed to a flipped reference matches one allowed alternative."""
    for role, data in PROBES.values():
        for cuts in ((), (1, 5, len(data) - 2)):
            check_stream(_api(name), reference_api(), role, data, cuts, "rfc9112")
            step = LockStep(_api(name), reference_api())
            side = "server" if role == "server" else "client"
            if side == "client":
                continue  # an injected response needs a request first; the byte-stream check covers it
            step.apply(("inject", side, data, cuts))


@pytest.mark.parametrize("name", NEAR_MISSES)
def test_a_near_miss_breaks_the_stream_invariant(name: str) -> None:
    """A near-miss is a byte-stream violation that names the choice points considered."""
    messages = []
    for role, data in PROBES.values():
        try:
            check_stream(_api(name), reference_api(), role, data, (), "rfc9112")
        except ByteStreamViolation as exc:
            messages.append(str(exc))
    assert messages
    assert any("choice points considered" in m for m in messages)


@pytest.mark.parametrize("name", ["flip_trailer_fields", "all_flipped"])
def test_every_tour_holds_for_a_flipped_choice(name: str) -> None:
    """The lock-step invariants follow the oracle under the alternative the implementation took (trailers
    discarded are not a round-trip failure), and every tour holds."""
    from conformance.model.tours import TOURS

    for actions in TOURS.values():
        step = LockStep(_api(name), reference_api())
        for action in actions:
            step.apply(action)


def test_a_receiving_choice_never_excuses_the_sender() -> None:
    """A wire violation is never replayed under another choice (the drop-trailer sender stays a finding)."""
    from conformance.model.actions import InvariantViolation
    from conformance.model.tours import TOURS
    from tests.faults.model import drop_trailer

    step = LockStep(drop_trailer.API, reference_api())

    def tour() -> None:
        for action in TOURS["expect-100-keep-alive-chunked-trailers"]:
            step.apply(action)

    with pytest.raises(InvariantViolation) as info:
        tour()
    assert info.value.invariant == "wire"


def test_the_h11_profile_expects_h11s_choices() -> None:
    """Under the h11 profile another alternative is a byte-stream violation and a lock-step one."""
    from conformance.model.actions import InvariantViolation
    from conformance.model.tours import TOURS

    role, data = PROBES["framing-on-bodyless-response"]
    flipped = _api("flip_framing_on_bodyless_response")
    assert check_stream(flipped, reference_api(), role, data, (), "rfc9112") in ("accept", "reject")
    with pytest.raises(ByteStreamViolation):
        check_stream(_api("flip_framing_on_bodyless_response"), reference_api(), role, data, (), "h11")
    step = LockStep(_api("flip_trailer_fields"), reference_api(), profile="h11")

    def tour() -> None:
        for action in TOURS["expect-100-keep-alive-chunked-trailers"]:
            step.apply(action)

    with pytest.raises(InvariantViolation):
        tour()


def test_a_lock_step_finding_names_the_choice_points_considered() -> None:
    """A near-miss injected into the lock-step world is a finding that says which choice points it tried."""
    from conformance.model.actions import InvariantViolation

    step = LockStep(_api("near_obs_fold_nothing"), reference_api())
    with pytest.raises(InvariantViolation) as info:
        step.apply(("inject", "server", PROBES["obs-fold"][1], ()))
    assert "choice points considered: obs-fold" in info.value.detail
