"""Self-tests of the choice-point table and the reference's switches (conformance/reference/choices.py)."""

from __future__ import annotations

import pytest

import conformance.reference as REF
from conformance import drive
from conformance.errors import HarnessError
from conformance.reference import choices
from conformance.reference.differences import DIFFERENCES
from tests.faults.choices._base import PROBE_REQUESTS, PROBES, SENDER_PROBES


def test_a_choice_is_never_a_difference() -> None:
    """A difference (h11 breaks a MUST) and a choice (the RFC allows both) never share an entry."""
    assert not {c.id for c in choices.CHOICES} & {d.name for d in DIFFERENCES}
    sentences = {d.sentence for d in DIFFERENCES}
    assert not [c.id for c in choices.CHOICES if c.sentence in sentences]


def test_every_choice_names_real_alternatives() -> None:
    """h11's, the default and the recommended alternative are among the named ones; ids are kebab-case."""
    for c in choices.CHOICES:
        assert len(c.alternatives) >= 2, c.id
        assert {c.h11, c.default} <= set(c.alternatives), c.id
        assert (c.recommended is not None) == (c.level == "SHOULD"), c.id
        assert c.id == c.id.lower()
        assert " " not in c.id
        assert c.role in ("server", "client", "both")
    assert set(PROBES) | set(SENDER_PROBES) == {c.id for c in choices.CHOICES}
    assert set(SENDER_PROBES) == {c.id for c in choices.CHOICES if c.sender}


def test_assign_refuses_unknown_points_and_alternatives() -> None:
    """An unknown choice point or alternative is a harness error, not a silent default."""
    with pytest.raises(HarnessError), choices.assign({"no-such-point": "x"}):
        pass
    with pytest.raises(HarnessError), choices.assign({"bare-lf": "maybe"}):
        pass


@pytest.mark.parametrize("cid", sorted(PROBES))
def test_each_alternative_is_implemented_and_recorded(cid: str) -> None:
    """The probe reaches its choice point, each alternative gives its own outcome, and every split agrees."""
    role, data = PROBES[cid]
    request = PROBE_REQUESTS.get(cid, drive.DEFAULT_REQUEST)
    seen = set()
    for alternative in choices.choice(cid).alternatives:
        with choices.assign({cid: alternative}) as record:
            whole = drive.feed(REF, role, [data], request=request, eof=False)
            pieces = [data[i : i + 1] for i in range(len(data))]
            bytewise = drive.feed(REF, role, pieces, request=request, eof=False)
        assert cid in record.touched
        states = [(t.final.our_state, t.final.their_state) if t.final else None for t in (whole, bytewise)]
        assert (whole.outcome, whole.events, states[0]) == (bytewise.outcome, bytewise.events, states[1])
        seen.add((whole.outcome, whole.events, states[0]))
    assert len(seen) == len(choices.choice(cid).alternatives)


@pytest.mark.parametrize("cid", sorted(SENDER_PROBES))
def test_each_sender_alternative_is_implemented_and_recorded(cid: str) -> None:
    """A sender's probe script reaches its choice point and each alternative sends or ends differently."""
    role, steps = SENDER_PROBES[cid]
    seen = set()
    for alternative in choices.choice(cid).alternatives:
        with choices.assign({cid: alternative}) as record:
            seen.add(drive.run_script(REF, role, steps))
        assert cid in record.touched
    assert len(seen) == len(choices.choice(cid).alternatives)


def test_the_default_is_todays_behaviour_and_records_per_connection() -> None:
    """Outside assign a Connection takes the defaults and keeps its own record (private accessor)."""
    conn = REF.Connection(REF.SERVER)
    conn.receive_data(PROBES["obs-fold"][1])
    event = conn.next_event()
    assert isinstance(event, REF.Request)
    assert (b"x", b"a b") in list(event.headers)
    assert choices.touched_by(conn) == {"obs-fold"}
    assert choices.touched_by(REF.Connection(REF.SERVER)) == frozenset()
