"""The catalog passes every allowed alternative at a choice point and catches near-misses."""

from __future__ import annotations

import pytest

from conformance.catalog.cases import select
from conformance.catalog.grade import run_catalog
from conformance.targets.load import load_target
from conformance.verdict import Verdict
from tests.faults.choices._base import FLIPPED

BAD = (Verdict.FAIL, Verdict.CRASH, Verdict.HANG)


@pytest.mark.parametrize("name", FLIPPED)
def test_a_flipped_choice_passes_the_catalog(name: str) -> None:
    """The reference with choice points switched has no fail, crash or hang in the whole catalog."""
    rows = run_catalog([load_target(f"tests.faults.choices.{name}")], profile="rfc9112", isolated=False)
    assert [(r.case_id, r.message) for r in rows if r.verdict in BAD] == []


@pytest.mark.parametrize(
    ("name", "patterns", "failing"),
    [
        ("near_obs_fold_nothing", ["9112/5.2/*"], "9112/5.2/obs-fold-request"),
        ("near_bare_cr_line_end", ["9112/7.1/chunk-size-bare-cr"], "9112/7.1/chunk-size-bare-cr"),
    ],
)
def test_a_near_miss_fails_the_catalog(name: str, patterns: list[str], failing: str) -> None:
    """An alternative the RFC does not allow is a MUST failure."""
    rows = run_catalog(
        [load_target(f"tests.faults.choices.{name}")],
        profile="rfc9112",
        cases=select(patterns),
        isolated=False,
    )
    assert {r.case_id: r.verdict for r in rows}[failing] is Verdict.FAIL


def test_the_catalog_observes_every_choice_point() -> None:
    """Some case tells the alternatives of every recipient's choice point apart, so every fingerprint is
    complete (a sender's point is observed by the catalog's script case, not from received bytes)."""
    from conformance.reference.choices import CHOICES
    from conformance.results import ImplInfo, RunResult

    for name in ("reference", "tests.faults.choices.all_flipped"):
        rows = run_catalog([load_target(name)], profile="rfc9112", isolated=False)
        run = RunResult({}, [ImplInfo(name, name, "0", ())], rows)
        taken = run.fingerprint(name)
        # A sender's point is not read from received bytes, which is what the fingerprint observes.
        received = [c for c in CHOICES if not c.sender]
        assert set(taken) == {c.id for c in received}
        flipped = name != "reference"
        assert all((taken[c.id] != c.default) == flipped for c in received)


def test_mixing_alternatives_in_one_connection_is_info() -> None:
    """Different alternatives of one choice point within one connection are reported (info), not passed."""
    from conformance.catalog.case import RPE, Accept, Case, Either, Reject
    from conformance.verdict import Level

    request = b"GET / HTTP/1.1\r\nHost: a\r\n\r\n"
    case = Case(
        id="9112/2.2/test-leading-crlf-pipelined",
        rfc="RFC 9112 §2.2",
        level=Level.SHOULD,
        sentence="a server SHOULD ignore at least one empty line (CRLF) received prior to the request-line",
        role="server",
        expect=Either(Reject(RPE, events=()), Accept()),
        wire=b"\r\n" + request + b"\r\n" + request,
    )
    names = (
        "reference",
        "tests.faults.choices.flip_leading_empty_lines",
        "tests.faults.choices.mixed_leading_empty_lines",
    )
    rows = {
        r.impl: r for name in names for r in run_catalog([load_target(name)], cases=[case], isolated=False)
    }
    assert rows["tests.faults.choices.mixed_leading_empty_lines"].verdict is Verdict.INFO
    assert "within one connection" in rows["tests.faults.choices.mixed_leading_empty_lines"].message
    assert rows["tests.faults.choices.mixed_leading_empty_lines"].choices == (
        ("leading-empty-lines", "ignore"),
        ("leading-empty-lines", "reject"),
    )
    assert rows["tests.faults.choices.flip_leading_empty_lines"].choices == (
        ("leading-empty-lines", "ignore"),
    )
