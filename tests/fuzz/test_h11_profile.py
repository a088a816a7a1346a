"""The fuzz targets under the h11 profile: the reference modelling h11 is the oracle, no masks.

Under ``h11`` the differential and send targets compare with the reference whose documented differences
are switched to h11's behaviour at their rules (``conformance.oracle.as_profile``). A seeded smoke
campaign of h11 then finds nothing under h11 and something under rfc9112.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conformance.commands.cli import main as cli

ROOT = Path(__file__).resolve().parents[2]


def _smoke(tmp_path: Path, target: str, profile: str) -> tuple[int, dict[str, object]]:
    """Run a 4-second seeded smoke campaign of h11 on ``target``; its exit status and summary."""
    dirs = {name: str(tmp_path / name) for name in ("work", "artifacts", "regressions", "reports")}
    status = cli([
        "fuzz", "--impl", "h11", "--profile", profile, "--target", target, "--time", "4", "--jobs", "1",
        "--smoke", "--no-minimize", "--corpus", dirs["work"], "--artifacts", dirs["artifacts"],
        "--regressions", dirs["regressions"], "--report-dir", dirs["reports"], "--", "-seed=1",
    ])  # fmt: skip
    summary = json.loads((tmp_path / "reports" / f"campaign-h11-{target}.json").read_text())
    return status, summary


@pytest.mark.slow
@pytest.mark.parametrize("target", ["differential", "send"])
def test_h11_smoke_campaign_finds_nothing_under_h11_only(
    target: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A seeded smoke campaign of h11 finds nothing under the h11 profile and a finding under rfc9112."""
    monkeypatch.chdir(ROOT)
    status, summary = _smoke(tmp_path / "h11", target, "h11")
    assert status == 0
    assert summary["executions"]
    assert summary["new_findings"] == 0
    status, summary = _smoke(tmp_path / "rfc9112", target, "rfc9112")
    assert status == 1
    assert summary["new_findings"]
