"""``h11spec run`` on the real catalog: h11's documented MUST breaks fail it; the baseline ratchets."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from conformance.catalog.cases import CATALOG
from conformance.commands.cli import main


def _cases_of(difference: str) -> list[str]:
    ids = [c.id for c in CATALOG if c.difference == difference]
    assert ids, f"the catalog has no case for the documented difference {difference}"
    return ids


def _select(ids: list[str]) -> list[str]:
    return [arg for i in ids for arg in ("--select", i)]


def test_h11_fails_on_cl_te_keepalive_and_reference_passes(tmp_path: Path) -> None:
    """h11 keeps CL+TE connections reusable (RFC 9112 §6.1 MUST): h11 fails the run, the reference passes."""
    ids = _cases_of("cl-te-keepalive")
    common = ["run", "--model-depth", "off", "--in-process", *_select(ids)]
    assert main([*common, "--impl", "reference", "--report-dir", str(tmp_path / "ref")]) == 0
    assert main([*common, "--impl", "h11", "--report-dir", str(tmp_path / "h11")]) == 1
    doc = json.loads((tmp_path / "h11" / "results.json").read_text())
    failed = {r["case_id"] for r in doc["results"] if r["verdict"] == "fail"}
    assert failed
    assert failed <= set(ids)


def test_baseline_ratchet_on_real_h11(tmp_path: Path) -> None:
    """With its own results as the baseline h11 passes; a failure outside the baseline still fails the run."""
    keepalive = _cases_of("cl-te-keepalive")
    host = _cases_of("host-value-invalid")
    base = ["run", "--model-depth", "off", "--impl", "h11", "--in-process"]
    assert main([*base, *_select(keepalive), "--report-dir", str(tmp_path / "base")]) == 1
    baseline = str(tmp_path / "base" / "results.json")
    assert (
        main([*base, *_select(keepalive), "--report-dir", str(tmp_path / "a"), "--baseline", baseline]) == 0
    )
    wider = [*base, *_select(keepalive + host), "--report-dir", str(tmp_path / "b"), "--baseline", baseline]
    assert main(wider) == 1
    summary = (tmp_path / "b" / "summary.md").read_text()
    assert "fail (known)" in summary


@pytest.mark.slow
def test_console_script_lists_the_catalog() -> None:
    """`h11spec run --list` through the installed entry point prints every case id with its level."""
    out = subprocess.run(
        [sys.executable, "-m", "conformance.commands.cli", "run", "--list"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.splitlines()
    assert len(out) == len(CATALOG)
    assert out[0] == f"{CATALOG[0].id}  {CATALOG[0].level.value}"


def test_isolated_run_agrees_with_in_process(tmp_path: Path) -> None:
    """--isolated (worker processes) and --in-process give h11 the same verdicts on the same cases."""
    ids = _cases_of("cl-te-keepalive") + _cases_of("host-value-invalid")
    verdicts = []
    for mode in ("--isolated", "--in-process"):
        out = tmp_path / mode.strip("-")
        assert (
            main(
                [
                    "run",
                    "--model-depth",
                    "off",
                    "--impl",
                    "h11",
                    mode,
                    *_select(ids),
                    "--report-dir",
                    str(out),
                ]
            )
            == 1
        )
        doc = json.loads((out / "results.json").read_text())
        verdicts.append({r["case_id"]: r["verdict"] for r in doc["results"]})
    assert verdicts[0] == verdicts[1]
