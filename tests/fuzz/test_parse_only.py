"""The fuzz targets on parse-only adapters: compared up to the first complete message, client inputs skipped
where the target cannot read responses."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from conformance import drive
from conformance.targets.load import load_target, reference_api
from fuzz import checks, targets
from fuzz.campaign import run_campaign
from fuzz.oracle import SkippedInput
from fuzz.recorder import Recorder, read_skipped
from fuzz.targets import TARGETS, run_one, skip_reason
from fuzz.traces import first_message
from tests.faults.fuzz import parse_only
from tests.faults.fuzz._base import BASE

ROOT = Path(__file__).resolve().parents[2]
CLEAN = "tests.faults.fuzz.parse_only:Adapter"
BUGGY = "tests.faults.fuzz.parse_only:ClLastWins"
REQUESTS_ONLY = "tests.faults.fuzz.parse_only:RequestsOnly"
CONFLICT = b"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\nContent-Length: 5\r\n\r\nabcde"
GET = b"GET / HTTP/1.1\r\nHost: a\r\n\r\n"
RESPONSE = b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"
# Pipelined streams the reference stops reading after the first message and a parse-only reader goes on
# with (after a "Connection: close" or an HTTP/1.0 message).
PIPELINED = (
    b"GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n" + GET,
    b"GET / HTTP/1.0\r\n\r\n" + GET,
    b"HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\nok" + RESPONSE,
    b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok" + RESPONSE,
)


def _api(spec: str) -> Any:
    return load_target(spec, preflight=False).api


@pytest.mark.parametrize("name", ["server-parse", "client-parse", "differential"])
def test_parse_targets_run_on_the_shipped_parse_only_adapters(name: str) -> None:
    """The parse and differential targets need only parsing (and request-context for responses)."""
    for adapter in ("httptools", "aiohttp", "aiohttp_py"):
        target = load_target(f"conformance.targets.adapters.{adapter}:Adapter", preflight=False)
        assert skip_reason(target, name) is None
    assert skip_reason(load_target(CLEAN, preflight=False), "send") is not None


def test_differential_finds_a_parse_only_adapter_taking_the_last_content_length() -> None:
    """A parse-only adapter that takes the last of two different Content-Length values is a finding."""
    found = run_one(_api(BUGGY), ("differential", CONFLICT))
    assert found is not None
    assert found.frame == "oracle:reference-rejects:conflicting Content-Length headers"
    assert run_one(_api(CLEAN), ("differential", CONFLICT)) is None


def test_a_bug_in_the_first_message_is_found_whatever_follows_it() -> None:
    """What a parse-only target does inside the first message is graded even when more messages follow."""
    found = run_one(_api(BUGGY), ("differential", CONFLICT + GET))
    assert found is not None
    assert "conflicting Content-Length" in found.frame


@pytest.mark.parametrize("data", PIPELINED)
def test_a_parse_only_adapter_is_not_blamed_for_pipelined_messages(data: bytes) -> None:
    """A parse-only target reading on (or rejecting) after its first message is no differential finding."""
    api = _api(CLEAN)
    assert run_one(api, ("differential", data)) is None
    # The full traces do disagree: without the cut the oracle would blame the target.
    role = "client" if data.startswith(b"HTTP/") else "server"
    impl = drive.feed(api, role, [data])
    ref = drive.feed(reference_api(), role, [data])
    assert checks.disagreement(impl, ref) is not None


class _RejectsTrailers(parse_only.Connection):
    """The parse-only adapter, but a message with trailer fields is rejected (every alternative accepts)."""

    def next_event(self) -> Any:
        event = super().next_event()
        if isinstance(event, BASE.EndOfMessage) and event.headers:
            raise BASE.RemoteProtocolError("no trailers here")
        return event


class _RejectsTrailersAdapter(parse_only.Adapter):
    """The namespace of that adapter."""

    Connection = _RejectsTrailers


def test_a_parse_only_adapter_rejecting_what_every_alternative_accepts_is_a_finding() -> None:
    """Rejecting a first message that every allowed alternative accepts stays a finding without replies."""
    data = b"POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nX-Sum: 1\r\n\r\n"
    found = run_one(_RejectsTrailersAdapter, ("differential", data))
    assert found is not None
    assert found.frame.startswith("oracle:rejects-what-every-choice-accepts:")


def test_first_message_cuts_after_the_first_end_of_message_and_keeps_a_rejection() -> None:
    """A trace is cut after its first EndOfMessage (as accepted); one without an EndOfMessage is kept."""
    api = _api(CLEAN)
    two = drive.feed(api, "server", [GET + b"GARBAGE\r\n\r\n"])
    assert two.outcome == "reject"
    cut = first_message(two)
    assert (cut.outcome, [e[0] for e in cut.events]) == ("accept", ["Request", "EndOfMessage"])
    bad = drive.feed(api, "server", [b"GET / HTTP/1.1\r\n\r\n"])  # no Host: rejected in the first message
    assert first_message(bad) == bad


def test_a_requests_only_target_skips_response_inputs_and_counts_them(tmp_path: Path) -> None:
    """A target without parse-responses skips client inputs: SkippedInput, no finding, counted by run_one."""
    api = _api(REQUESTS_ONLY)
    with pytest.raises(SkippedInput):
        TARGETS["differential"].check(api, RESPONSE)
    before = targets.SKIPPED["differential"]
    recorder = Recorder(api, "differential", tmp_path)
    recorder.test_one_input(RESPONSE)
    recorder.test_one_input(GET)
    assert targets.SKIPPED["differential"] == before + 1
    recorder.flush()
    assert read_skipped(tmp_path) == before + 1
    assert not list(tmp_path.glob("crash-*"))


@pytest.fixture
def at_root(monkeypatch: pytest.MonkeyPatch) -> None:
    """Run from the repository root with it on PYTHONPATH, so workers import tests.faults."""
    monkeypatch.chdir(ROOT)
    monkeypatch.setenv("PYTHONPATH", str(ROOT))


def _campaign(impl: str, tmp_path: Path) -> Any:
    return run_campaign(
        "differential",
        impl,
        seconds=4,
        jobs=1,
        corpus_dir=tmp_path / "work",
        artifacts_dir=tmp_path / "artifacts",
        regressions_dir=tmp_path / "regressions",
        report_dir=tmp_path / "reports",
        minimize=False,
        extra_args=("-seed=1",),
        log=lambda line: None,
    )


@pytest.mark.slow
@pytest.mark.usefixtures("at_root")
def test_a_seeded_smoke_finds_the_parse_only_fault_and_nothing_without_it(tmp_path: Path) -> None:
    """Four seeded seconds of the differential find the parse-only Content-Length bug, none without it."""
    buggy = _campaign(BUGGY, tmp_path / "buggy")
    assert buggy.executions > 0
    assert any("Content-Length" in str(f.signature) for f in buggy.findings), buggy.findings
    clean = _campaign(CLEAN, tmp_path / "clean")
    assert clean.executions > 0
    assert clean.findings == [], [f.signature for f in clean.findings]


HTTPTOOLS = "conformance.targets.adapters.httptools:Adapter"
# What the reference is not told about a parse-only target, each with an input that needs the allowance:
# an unproposed 101 (the client knows only the method), a field past the reference's 16 KiB limit, a
# chunked body (no chunk boundaries reported).
ALLOWANCES = {
    "upgrade": ("client", b"HTTP/1.1 101 Switching\r\nConnection: upgrade\r\nUpgrade: ws\r\n\r\nxx"),
    "size-limit": ("server", b"GET / HTTP/1.1\r\nHost: a\r\nX: " + b"a" * 20000 + b"\r\n\r\n"),
    "chunk-flags": (
        "server",
        b"POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nab\r\n3\r\ncde\r\n0\r\n\r\n",
    ),
}


@pytest.mark.parametrize("name", sorted(ALLOWANCES))
def test_the_reference_is_told_no_more_than_a_parse_only_target_knows(name: str) -> None:
    """A parse-only library is no finding where only the reference's extra knowledge differs (upgrade, limit, chunk flags)."""  # noqa: E501
    role, data = ALLOWANCES[name]
    api = _api(HTTPTOOLS)
    assert run_one(api, ("differential", data)) is None
    # Compared with what the reference knows on its own, the traces disagree: the allowance is needed.
    impl = first_message(drive.feed(api, role, [data]))
    ref = drive.feed(reference_api(), role, [data], reply=False)
    assert checks.disagreement(impl, ref) is not None


@pytest.mark.parametrize("adapter", ["httptools", "aiohttp", "aiohttp_py"])
def test_eof_after_an_interim_response_is_a_message_cut_short(adapter: str) -> None:
    """A shipped parse-only adapter reads EOF after a 1xx (no final response yet) as a rejection, as the reference does."""  # noqa: E501
    api = _api(f"conformance.targets.adapters.{adapter}:Adapter")
    data = b"HTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\n"
    trace = drive.feed(api, "client", [data])
    assert (trace.outcome, [e[0] for e in trace.events]) == ("reject", ["InformationalResponse"])
    assert run_one(api, ("differential", data)) is None


def test_a_parse_only_client_finding_is_recorded_with_the_method_not_a_send() -> None:
    """A reproducer recording of a parse-only client tells the method through the hook and shows the bug."""
    from fuzz.reproducer import expectations, first_difference, record_runs

    data = b"HTTP/1.1 200 OK\r\nContent-Length: 3\r\nContent-Length: 5\r\n\r\nabcde"
    api = _api(BUGGY)
    recording = record_runs(api, ("differential", data))
    steps = [step for _, run in recording.runs for step in run]
    assert any(s[0] == "expect" for s in steps)
    assert not any(s[0] == "send" for s in steps)
    expected = expectations(reference_api(), recording.runs)
    assert first_difference(api, recording.runs, expected) is not None
    assert first_difference(_api(CLEAN), recording.runs, expected) is None


@pytest.mark.slow
@pytest.mark.usefixtures("at_root")
def test_a_campaign_counts_the_inputs_a_requests_only_target_skips(tmp_path: Path) -> None:
    """A differential campaign on a target that reads only requests skips the response seeds, counted, no finding."""  # noqa: E501
    result = _campaign(REQUESTS_ONLY, tmp_path)
    assert result.executions > 0
    assert result.skipped > 0
    assert result.findings == []
    assert result.to_json()["skipped"] == result.skipped
