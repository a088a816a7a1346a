"""The reference's state diagram is generated from its transition table, so it cannot drift from it."""

from __future__ import annotations

from conformance.reference.state import JOINT_RULES, TRANSITIONS, state_diagram


def test_every_legal_transition_is_an_edge() -> None:
    """Every non-None entry of TRANSITIONS appears as a solid, labelled edge in the diagram."""
    dot = state_diagram()
    for (role, state, _key), new in TRANSITIONS.items():
        if new is not None:
            assert f'"{role!r}.{state!r}" -> "{role!r}.{new!r}" [label=' in dot


def test_every_joint_rule_is_a_dashed_edge() -> None:
    """Every state change a joint rule makes appears as a dashed edge of the role it moves."""
    dot = state_diagram()
    for (client, server), (new_client, new_server) in JOINT_RULES.items():
        if new_client is not client:
            assert f'"CLIENT.{client!r}" -> "CLIENT.{new_client!r}" [style=dashed' in dot
        if new_server is not server:
            assert f'"SERVER.{server!r}" -> "SERVER.{new_server!r}" [style=dashed' in dot


def test_diagram_is_one_digraph() -> None:
    """The output is a single DOT digraph with one cluster per role."""
    dot = state_diagram()
    assert dot.startswith("digraph ")
    assert dot.rstrip().endswith("}")
    assert dot.count("subgraph cluster_") == 2
