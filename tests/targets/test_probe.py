"""The probe: names, shapes and the `h11spec probe` command's output."""

from __future__ import annotations

import json

import pytest

from conformance.commands.cli import main
from conformance.targets.capabilities import ALL_CAPABILITIES
from conformance.targets.load import load_target
from conformance.targets.probe import CAPABILITY_NEEDS, H11_NAMES, probe_api

FAULTS = "tests.faults.targets"
HTTPTOOLS = "conformance.targets.adapters.httptools:Adapter"


def test_every_capability_has_a_needs_row() -> None:
    """The needs table covers exactly the capability constants, and only names the probe looks up."""
    assert set(CAPABILITY_NEEDS) == ALL_CAPABILITIES
    report = probe_api(load_target("h11").api)
    for needs in CAPABILITY_NEEDS.values():
        assert all(name in report.names for name in needs)


def test_h11_shapes_are_recorded() -> None:
    """The probe records h11's event fields, keyword-only signatures, sentinels and exception bases."""
    report = probe_api(load_target("h11").api)
    assert all(report.names[name] for name in H11_NAMES)
    assert report.names["Connection.their_http_version"]  # an instance attribute that starts as None
    assert report.fields["Request"] == ("method", "headers", "target", "http_version")
    assert report.signatures["Request"].startswith("(*, method")
    assert report.sentinels["NEED_DATA"] == "ok"
    assert report.exceptions["RemoteProtocolError"] == "(ProtocolError)"


def test_a_sentinel_that_is_not_its_own_type_is_a_problem() -> None:
    """A NEED_DATA whose type is not itself is reported, and the capability stays (checks must fail)."""
    target = load_target(f"{FAULTS}.bad_sentinel")
    assert target.probe is not None
    assert target.probe.sentinels["NEED_DATA"].startswith("not its own type")
    assert any("NEED_DATA" in p for p in target.probe.problems)
    assert target.capabilities == ALL_CAPABILITIES


def test_an_exception_outside_the_hierarchy_is_a_problem() -> None:
    """A LocalProtocolError that is not a ProtocolError subclass is reported by the probe."""
    target = load_target(f"{FAULTS}.bad_exceptions")
    assert target.probe is not None
    assert target.probe.exceptions["LocalProtocolError"] == "not a subclass of ProtocolError"
    assert target.probe.problems == ("LocalProtocolError is not a subclass of ProtocolError",)


def test_probe_prints_a_capability_table(capsys: pytest.CaptureFixture[str]) -> None:
    """`h11spec probe` prints a capability matrix and a names table for h11, reference and httptools."""
    assert main(["probe", "--impl", "h11", "--impl", "reference", "--impl", HTTPTOOLS]) == 0
    out = capsys.readouterr().out
    assert "capabilities" in out
    assert "serialize" in out
    assert "no: Connection.send" in out  # the httptools column says why serialize is missing
    assert "sentinel, type(X) is X" in out


def test_probe_json_lists_capabilities(capsys: pytest.CaptureFixture[str]) -> None:
    """`h11spec probe --json` prints one object per implementation, with capabilities and probe."""
    assert main(["probe", "--json", "--impl", "h11", "--impl", f"{FAULTS}.no_send"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [row["name"] for row in rows] == ["h11", f"{FAULTS}.no_send"]
    assert "serialize" in rows[0]["capabilities"]
    assert "serialize" not in rows[1]["capabilities"]
    assert rows[1]["probe"]["missing"]["serialize"] == ["Connection.send"]
    assert [row["isolated_by_default"] for row in rows] == [False, True]


def test_probe_bench_prints_ratios(capsys: pytest.CaptureFixture[str]) -> None:
    """`h11spec probe --bench` prints in-process and isolated rates with ratios, from one run."""
    assert main(["probe", "--impl", "h11", "--bench", "8", "--jobs", "1"]) == 0
    out = capsys.readouterr().out
    assert "in process" in out
    assert out.count("of in-process") == 2


def test_probe_bench_rejects_a_bad_count(capsys: pytest.CaptureFixture[str]) -> None:
    """`--bench 0` is a usage error (exit 2), not a division by zero."""
    assert main(["probe", "--impl", "h11", "--bench", "0"]) == 2
    assert "at least 1" in capsys.readouterr().err


def test_probe_bench_on_a_crashing_target_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    """Benchmarking a target that segfaults stops at the isolated run with exit 2, not a dead harness."""
    assert main(["probe", "--impl", f"{FAULTS}.segfault", "--bench", "2", "--jobs", "1"]) == 2
    assert "SIGSEGV" in capsys.readouterr().err
