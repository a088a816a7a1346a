"""Harness errors are told from the target's exceptions by where they were raised."""

from __future__ import annotations

from typing import Any

import pytest

from conformance.errors import HarnessError
from conformance.targets.executor import Crashed, InProcessExecutor, harness_origin
from conformance.targets.load import load_target
from tests.targets import calls


def _raised(fn: Any) -> BaseException:
    try:
        fn()
    except BaseException as exc:  # the exception is the subject of the test
        return exc
    raise AssertionError("nothing raised")


def test_exception_from_our_code_is_the_harness() -> None:
    """An exception whose traceback has no frame in the target (a missing name in our driver) is ours."""
    h11 = load_target("h11").api
    assert harness_origin(_raised(lambda: h11.NO_SUCH_NAME), h11)
    assert harness_origin(_raised(lambda: calls.fail(h11, "x")), h11)


def test_harness_error_is_always_the_harness() -> None:
    """A HarnessError (an explicit driver precondition) is ours wherever it was raised."""
    assert harness_origin(HarnessError("precondition"), load_target("h11").api)


def test_exception_from_the_target_is_the_targets() -> None:
    """An exception raised inside h11's own code is h11's, not the harness's."""
    h11 = load_target("h11").api
    exc = _raised(lambda: h11.Connection(h11.SERVER).send(h11.Data(data=b"x")))
    assert not harness_origin(exc, h11)


@pytest.mark.parametrize("fault", ["value_error", "hang"])
def test_inherited_reference_code_counts_as_the_targets(fault: str) -> None:
    """A planted fault that subclasses the reference owns the reference code it runs."""
    api = load_target(f"tests.faults.targets.{fault}").api
    exc = _raised(lambda: api.Connection(api.SERVER).send(api.Data(data=b"x")))
    assert not harness_origin(exc, api)


def test_executor_flags_harness_crashes() -> None:
    """The executor marks a call that failed in our code as a harness Crashed, a target's one not."""
    executor = InProcessExecutor(load_target("tests.faults.targets.value_error"))
    ours, theirs = executor.map(calls.fail, ["x"]) + executor.map(calls.drain, [calls.GET])
    assert isinstance(ours, Crashed)
    assert ours.harness
    assert isinstance(theirs, Crashed)
    assert not theirs.harness


def test_malformed_event_from_the_target_is_the_targets_crash() -> None:
    """An event whose data is not bytes breaks in our recorder, yet is the target's crash, not ours."""
    from conformance.drive import event_record
    from conformance.targets.executor import TargetFault

    api = load_target("h11").api
    bad = api.Data(data=b"x")
    object.__setattr__(bad, "data", 12.5)  # a float is not bytes-like
    exc = _raised(lambda: event_record(bad))
    assert isinstance(exc, TargetFault)
    assert not harness_origin(exc, api)


def test_send_returning_a_non_bytes_is_the_targets_crash_in_the_model() -> None:
    """A send() that returns a float makes the model step crash as the target's fault, not a harness error."""
    from conformance.model.lockstep import step_worlds

    executor = InProcessExecutor(load_target("tests.faults.targets.send_float"))
    request = ("Request", {"method": b"GET", "target": b"/", "headers": [(b"Host", b"a")]})
    [result] = executor.map(
        step_worlds, [(1, True, ("send", "client", request), {"client": True, "server": True})]
    )
    assert isinstance(result, Crashed)
    assert not result.harness
    assert "TargetFault" in result.reason
