"""Self-tests of ``h11spec bench``: it runs every workload on both implementations, reports ratios,
writes JSON atomically, and refuses to time an implementation that mishandles the traffic."""

from __future__ import annotations

import json
import types
from pathlib import Path
from typing import Any

import h11
import pytest

import conformance.reference as reference
from conformance.commands.cli import main as cli_main
from conformance.errors import HarnessError
from conformance.reference.bench import WORKLOADS, ratios, run_benchmarks

FAULTS = {
    # Each planted fault names what the faulty Connection.next_event does instead of the reference.
    "drops-data": lambda conn: _skip(conn, reference.Data),
    "drops-end-of-message": lambda conn: _skip(conn, reference.EndOfMessage),
    "never-parses": lambda conn: reference.NEED_DATA,
    "always-closed": lambda conn: reference.ConnectionClosed(),
}


def _skip(conn: Any, drop: type) -> Any:
    event = reference.Connection.next_event(conn)
    while type(event) is drop:
        event = reference.Connection.next_event(conn)
    return event


def _faulty_api(fault: str) -> types.ModuleType:
    """The reference with one planted fault (see ``FAULTS``) in Connection.next_event."""
    behaviour = FAULTS[fault]

    class Connection(reference.Connection):
        def next_event(self) -> Any:
            return behaviour(self)

    api = types.ModuleType(f"faulty_{fault}")
    api.__dict__.update({name: getattr(reference, name) for name in reference.__all__})
    api.Connection = Connection  # type: ignore[attr-defined]
    return api


def test_every_workload_runs_on_both_implementations() -> None:
    """Each workload yields one positive throughput per implementation and one ratio per workload."""
    results = run_benchmarks({"reference": reference, "h11": h11}, messages=20, repeat=2)
    assert {(r.workload, r.impl) for r in results} == {
        (w, i) for w in WORKLOADS for i in ("reference", "h11")
    }
    assert all(r.best >= r.median > 0 for r in results)
    assert set(ratios(results, "reference", "h11")) == set(WORKLOADS)


def test_client_workload_rejects_lost_body_bytes() -> None:
    """A client that loses Data events is reported as a harness error, not timed."""
    with pytest.raises(HarnessError, match="body bytes"):
        WORKLOADS["client-chunked"](_faulty_api("drops-data"), 5)


def test_server_workload_rejects_lost_end_of_message() -> None:
    """A server that never delivers EndOfMessage is stuck in PAUSED: a harness error, not a hang."""
    with pytest.raises(HarnessError, match="unexpected PAUSED"):
        WORKLOADS["server-64b"](_faulty_api("drops-end-of-message"), 5)


def test_server_workload_rejects_a_parser_that_never_parses() -> None:
    """A server that only ever asks for more data runs out of input: a harness error, not a hang."""
    with pytest.raises(HarnessError, match="input ran out"):
        WORKLOADS["server-64b"](_faulty_api("never-parses"), 5)


def test_server_workload_rejects_unexpected_events() -> None:
    """A server whose next_event returns something a request stream cannot produce is a harness error."""
    with pytest.raises(HarnessError, match="unexpected event"):
        WORKLOADS["server-pipelined"](_faulty_api("always-closed"), 5)


def test_unknown_workload_is_a_harness_error() -> None:
    """run_benchmarks refuses a workload name it does not know."""
    with pytest.raises(HarnessError, match="unknown workload"):
        run_benchmarks({"reference": reference}, messages=1, repeat=1, workloads=["nope"])


def test_command_prints_ratios_and_writes_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`h11spec bench --json` prints the table and writes every figure and ratio as JSON."""
    out = tmp_path / "bench.json"
    status = cli_main(["bench", "--messages", "10", "--repeat", "1", "--json", str(out)])
    assert status == 0
    assert "ratio" in capsys.readouterr().out
    doc = json.loads(out.read_text())
    assert len(doc["results"]) == 2 * len(WORKLOADS)
    assert set(doc["ratio_reference_over_h11"]) == set(WORKLOADS)
    assert all(value > 0 for value in doc["ratio_reference_over_h11_best"].values())


def test_command_rejects_unknown_workload(capsys: pytest.CaptureFixture[str]) -> None:
    """An unknown --workload is a one-line usage error with exit status 2."""
    assert cli_main(["bench", "--workload", "nope", "--messages", "1"]) == 2
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0
    assert "unknown workload" in err
