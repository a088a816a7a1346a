"""The "ci" depth of the model checker catches every planted fault, each by the invariant it breaks.

Time to find (examples) is printed for each fault; run with ``-s`` to see the table.
"""

from __future__ import annotations

import importlib

import pytest

from conformance.model import run_model
from conformance.targets.capabilities import ALL_CAPABILITIES
from conformance.targets.load import Target

FAULTS = (
    "forget_must_close",
    "drop_trailer",
    "split_chunk_byte",
    "mutate_event",
    "keyerror_rare",
    "leave_and_lose",
)


@pytest.mark.slow
@pytest.mark.parametrize("name", FAULTS)
def test_ci_depth_catches_planted_fault(name: str) -> None:
    """Generated ci examples alone (no tours) find the fault, by the invariant the fault module names."""
    fault = importlib.import_module(f"tests.faults.model.{name}")
    target = Target(name, fault.API, name, "0", ALL_CAPABILITIES)  # a namespace, not an importable name
    report = run_model(target, depth="ci", corpus_dir=None, stop_at_first=True, tours=False, isolated=False)
    assert report.found, f"{name}: the ci depth found nothing"
    finding = report.found[0]
    print(f"\n{name:<20} {finding.invariant:<10} found after {finding.examples_to_find} examples")
    assert finding.invariant == fault.INVARIANT, finding.detail
    row = next(r for r in report.results if r.case_id == f"model/{fault.INVARIANT}")
    assert row.verdict.is_problem
    assert row.script, "a finding carries its shrunk reproduction"


@pytest.mark.slow
def test_ci_depth_with_tours_catches_a_close_left_unsaid() -> None:
    """A server closing after a response to no request without sending close is found at ci (by the
    response-from-idle tour), by the wire invariant."""
    from tests.faults.model import close_unannounced

    target = Target("close_unannounced", close_unannounced.API, "close_unannounced", "0", ALL_CAPABILITIES)
    report = run_model(target, depth="ci", corpus_dir=None, stop_at_first=True, isolated=False)
    assert [f.invariant for f in report.found] == [close_unannounced.INVARIANT]
