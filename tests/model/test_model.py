"""Self-tests of the model checker: the lock-step world, profiles, entries, shrinking and the command."""

from __future__ import annotations

import json
from pathlib import Path

import h11
import pytest

from conformance.commands.cli import main
from conformance.errors import UsageError
from conformance.model import resolve_depth, run_model
from conformance.model.actions import InvariantViolation
from conformance.model.coverage import TRANSITIONS, Coverage
from conformance.model.entries import decode, encode, read_entry, write_entry
from conformance.model.lockstep import LockStep
from conformance.model.replay import model_entry_report, replay_model_corpus
from conformance.model.shrink import shrink
from conformance.targets.load import Target, load_target, reference_api
from tests.faults.model import drop_trailer, keyerror_rare

GET = ("Request", {"method": b"GET", "target": b"/", "headers": [(b"Host", b"a")]})
TRAILED = [
    ("send", "client", ("Request", {"method": b"POST", "target": b"/", "headers": [
        (b"Host", b"a"), (b"Transfer-Encoding", b"chunked")]})),
    ("send", "client", ("Data", {"data": b"hello"})),
    ("send", "client", ("EndOfMessage", {"headers": [(b"X-Sum", b"1")]})),
    ("deliver", "client", (3,)),
]  # fmt: skip


def _run(impl: object, actions: list) -> InvariantViolation | None:
    world = LockStep(impl, reference_api(), coverage=Coverage())
    try:
        for action in actions:
            world.apply(action)
    except InvariantViolation as violation:
        return violation
    return None


def test_reference_agrees_with_itself_on_a_full_exchange() -> None:
    """A request/response exchange with a chunked body and trailers breaks no invariant on the oracle."""
    steps = [
        *TRAILED,
        ("send", "server", ("Response", {"status_code": 200, "headers": []})),
        ("send", "server", ("Data", {"data": b"x" * 10})),
        ("send", "server", ("EndOfMessage", {})),
        ("deliver", "server", (1, 2, 3)),
        ("cycle", "client"),
        ("cycle", "server"),
    ]
    assert _run(reference_api(), steps) is None


def test_dropped_trailer_breaks_wire() -> None:
    """A writer that drops a trailer is caught by the wire invariant on the exact step that sends it."""
    violation = _run(drop_trailer.API, TRAILED)
    assert violation is not None
    assert violation.invariant == "wire"


def test_keyerror_is_a_crash() -> None:
    """An exception outside the ProtocolError family escaping send() is an errors violation marked crash."""
    steps = [
        ("send", "client", GET),
        ("send", "client", ("EndOfMessage", {})),
        ("deliver", "client", ()),
        ("send", "server", ("InformationalResponse", {"status_code": 103, "headers": []})),
    ]
    violation = _run(keyerror_rare.API, steps)
    assert violation is not None
    assert violation.invariant == "errors"
    assert violation.crash


def test_entries_round_trip(tmp_path: Path) -> None:
    """An entry written to the corpus reads back as the same actions, and its id depends on them."""
    path = write_entry(tmp_path, {"kind": "machine", "invariant": "wire", "profile": "rfc9112"}, TRAILED)
    fields, actions = read_entry(path)
    assert actions == [decode(encode(a)) for a in TRAILED]
    assert fields["id"].startswith("wire-")
    assert decode(encode(b"\x00\xff")) == b"\x00\xff"


def test_corrupt_entry_is_reported_not_raised(tmp_path: Path) -> None:
    """A corrupt corpus entry becomes a not-agreeing row naming the file; replay goes on."""
    (tmp_path / "bad.json").write_text("{not json")
    rows = replay_model_corpus(tmp_path, load_target("reference"))
    assert len(rows) == 1
    assert not rows[0][1]
    assert "bad.json" in rows[0][2]


def test_entry_report_script_runs(tmp_path: Path) -> None:
    """The exported reproducer is valid Python that runs the steps with only the implementation."""
    path = write_entry(tmp_path, {"kind": "machine", "invariant": "wire", "profile": "rfc9112"}, TRAILED)
    markdown, source = model_entry_report(path, "h11")
    assert "wire" in markdown
    assert "```" in markdown
    namespace: dict = {"__name__": "reproducer"}
    exec(compile(source, "reproducer.py", "exec"), namespace)
    namespace["run"](h11, namespace["STEPS"])


def test_shrink_keeps_failing_and_removes_noise() -> None:
    """Shrinking an action list drops steps the failure does not need and keeps it failing."""
    noisy = [("cycle", "server"), *TRAILED[:1], ("cycle", "client"), *TRAILED[1:]]

    def fails(actions: list) -> bool:
        violation = _run(drop_trailer.API, actions)
        return violation is not None and violation.invariant == "wire"

    small = shrink(noisy, fails, attempts=200)
    assert fails(small)
    assert len(small) < len(noisy)


def test_resolve_depth_reads_hypothesis_profile(monkeypatch: pytest.MonkeyPatch) -> None:
    """Without --depth the depth comes from $HYPOTHESIS_PROFILE when it names one, else ci."""
    monkeypatch.setenv("HYPOTHESIS_PROFILE", "quick")
    assert resolve_depth(None) == "quick"
    monkeypatch.setenv("HYPOTHESIS_PROFILE", "nonsense")
    assert resolve_depth(None) == "ci"


def test_bad_profile_is_a_usage_error() -> None:
    """An unknown profile or depth is a UsageError (one line from the CLI), not a traceback."""
    target = Target("h11", h11, "h11", "0", frozenset())
    with pytest.raises(UsageError, match="unknown profile"):
        run_model(target, profile="nope")
    with pytest.raises(UsageError, match="unknown depth"):
        run_model(target, depth="forever")


def test_two_impls_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    """h11spec model with two --impl values exits 2 with one line saying what to do."""
    assert main(["model", "--impl", "reference", "--impl", "h11"]) == 2
    assert capsys.readouterr().err.count("\n") == 1


@pytest.mark.slow
def test_ci_depth_passes_on_the_reference_with_full_transition_coverage(tmp_path: Path) -> None:
    """The reference against itself at depth ci passes, writes nothing and reaches every transition."""
    report = run_model(load_target("reference"), depth="ci", corpus_dir=tmp_path)
    assert [r.verdict.value for r in report.results] == ["pass"] * len(report.results)
    assert not list(tmp_path.iterdir())
    assert json.dumps(report.coverage)
    assert report.coverage["transitions"]["missing"] == []
    assert report.coverage["transitions"]["expected"] == len(TRANSITIONS)


def test_coverage_table_matches_the_references_transition_table() -> None:
    """The transitions the ci coverage must reach are exactly the reference's legal transitions."""
    from conformance.drive import state_name
    from conformance.reference import state

    def key(k: object) -> str:
        name = getattr(k, "__name__", None) or state_name(k)
        return "Request" if name == "_CLIENT_REQUEST" else name

    legal = {
        (state_name(r), state_name(s), key(k))
        for (r, s, k), to in state.TRANSITIONS.items()
        if to is not None
    }
    assert legal == set(TRANSITIONS)


def test_wire_is_semantic_under_rfc9112_and_exact_under_h11() -> None:
    """Bytes that differ from the reference's but read the same pass under rfc9112 and fail under h11."""
    from tests.faults.model import lowercase_names

    steps = [
        ("send", "client", ("Request", {"method": b"POST", "target": b"/", "headers": [
            (b"Host", b"a"), (b"Content-Length", b"2")]})),
        ("send", "client", ("Data", {"data": b"hi"})),
        ("send", "client", ("EndOfMessage", {})),
        ("deliver", "client", (4,)),
    ]  # fmt: skip
    assert _run_profile(lowercase_names.API, steps, "rfc9112") is None
    violation = _run_profile(lowercase_names.API, steps, "h11")
    assert violation is not None
    assert violation.invariant == "wire"


def _run_profile(impl: object, actions: list, profile: str) -> InvariantViolation | None:
    world = LockStep(impl, reference_api(), profile=profile)
    try:
        for action in actions:
            world.apply(action)
    except InvariantViolation as violation:
        return violation
    return None
