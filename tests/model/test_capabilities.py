"""The model generates only what the target can do, and counts coverage against what it can do."""

from __future__ import annotations

from typing import Any

from hypothesis import seed, settings
from hypothesis.stateful import run_state_machine_as_test

from conformance.model.actions import Action
from conformance.model.coverage import TRANSITIONS, Coverage
from conformance.model.machine import RunStats, make_machine
from conformance.model.pinned import pinned_generation
from conformance.targets.capabilities import ALL_CAPABILITIES, EXPECT_100, PROTOCOL_SWITCH
from conformance.targets.load import reference_api

SMALL = settings(settings.get_profile("h11spec-model-quick"), max_examples=40, stateful_step_count=20)


def _generated(capabilities: frozenset[str]) -> list[Action]:
    """Every action a seeded machine run generates for a target with ``capabilities``."""
    actions: list[Action] = []
    machine: Any = make_machine(
        reference_api(), reference_api(), coverage=Coverage(), stats=RunStats(), capabilities=capabilities
    )

    class Recording(machine):  # type: ignore[misc,valid-type]
        def _do(self, action: Action) -> None:
            actions.append(action)
            super()._do(action)

    seed(0)(Recording)
    with pinned_generation():  # what is generated depends on the seed alone, as in run_model
        run_state_machine_as_test(Recording, settings=SMALL)
    return actions


def _headers(action: Action) -> dict[bytes, bytes]:
    return {bytes(n).lower(): bytes(v).lower() for n, v in action[2][1].get("headers", ())}


def _requests(actions: list[Action]) -> list[Action]:
    return [a for a in actions if a[0] == "send" and a[2][0] == "Request"]


def _switching(actions: list[Action]) -> list[Action]:
    """The generated Upgrade and CONNECT requests, and 101 responses."""
    upgrades = [
        a for a in _requests(actions) if b"upgrade" in _headers(a) or a[2][1].get("method") == b"CONNECT"
    ]
    infos = [a for a in actions if a[0] == "send" and a[2][0] == "InformationalResponse"]
    return upgrades + [a for a in infos if a[2][1].get("status_code") == 101]


def _expecting(actions: list[Action]) -> list[Action]:
    return [a for a in _requests(actions) if b"expect" in _headers(a)]


def test_a_target_without_protocol_switch_never_gets_upgrade_or_connect() -> None:
    """A seeded run for a target lacking protocol-switch generates no Upgrade/CONNECT request and no 101."""
    actions = _generated(ALL_CAPABILITIES - {PROTOCOL_SWITCH})
    assert _requests(actions)
    assert _switching(actions) == []
    assert _expecting(actions)


def test_a_target_with_protocol_switch_gets_upgrade_and_connect() -> None:
    """The same seeded run for a target with protocol-switch generates Upgrade and CONNECT requests."""
    actions = _switching(_generated(ALL_CAPABILITIES))
    assert any(a[2][0] == "Request" and a[2][1].get("method") == b"CONNECT" for a in actions)
    assert any(a[2][0] == "Request" and b"upgrade" in _headers(a) for a in actions)


def test_a_target_without_100_continue_never_gets_an_expectation() -> None:
    """A seeded run for a target lacking 100-continue generates no request with Expect."""
    actions = _generated(ALL_CAPABILITIES - {EXPECT_100})
    assert _requests(actions)
    assert _expecting(actions) == []


def test_coverage_expects_only_the_targets_transitions() -> None:
    """Without protocol-switch the coverage table expects no switch transition and lists no switch outcome."""
    table = Coverage(ALL_CAPABILITIES - {PROTOCOL_SWITCH}).table()
    switch_keys = [k for k in table["transitions"]["counts"] if "_SWITCH_" in k]
    assert switch_keys == []
    assert table["transitions"]["expected"] == len(TRANSITIONS) - 2
    assert table["switches"] == {}
    assert Coverage().table()["transitions"]["expected"] == len(TRANSITIONS)
