"""fuzz.campaign and ``h11spec fuzz``: short campaigns run, report, find planted faults and stop cleanly."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from conformance.commands.cli import main as cli
from fuzz import campaign
from fuzz.campaign import CampaignResult, _Stats, run_campaign, worker_command
from fuzz.corpus import SEEDS_DIR

ROOT = Path(__file__).resolve().parents[2]
CONFLICT = b"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nContent-Length: 3\r\n\r\nabc"


@pytest.fixture
def at_root(monkeypatch: pytest.MonkeyPatch) -> None:
    """Run from the repository root with it on PYTHONPATH, so workers import tests.faults."""
    monkeypatch.chdir(ROOT)
    monkeypatch.setenv("PYTHONPATH", str(ROOT))


def _dirs(tmp_path: Path) -> list[str]:
    return [
        "--corpus",
        str(tmp_path / "work"),
        "--artifacts",
        str(tmp_path / "artifacts"),
        "--regressions",
        str(tmp_path / "regressions"),
        "--report-dir",
        str(tmp_path / "reports"),
        "--quiet",
    ]


@pytest.mark.slow
@pytest.mark.usefixtures("at_root")
def test_three_second_campaign_runs_and_reports(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A 3-second campaign on the reference runs inputs, keeps a corpus, finds nothing, writes a summary."""
    args = ["fuzz", "--impl", "reference", "--target", "server-parse", "--time", "3", "--jobs", "1"]
    status = cli([*args, *_dirs(tmp_path), "--", "-seed=1"])
    out = capsys.readouterr().out
    assert status == 0
    assert "server-parse on reference" in out
    summary = json.loads((tmp_path / "reports" / "campaign-reference-server-parse.json").read_text())
    assert summary["executions"] > 0
    assert summary["coverage"] > 0
    assert summary["corpus_size"] >= len(list((SEEDS_DIR / "server-parse").iterdir())) // 2
    assert summary["artifacts"] == []
    assert summary["new_findings"] == 0
    assert any((tmp_path / "work").iterdir())  # the next campaign resumes from here


@pytest.mark.slow
@pytest.mark.usefixtures("at_root")
def test_smoke_campaign_fails_on_a_planted_fault_and_stores_it(tmp_path: Path) -> None:
    """--smoke exits 1 when the differential target finds the last-Content-Length-wins fault, triaged."""
    args = ["fuzz", "--impl", "tests.faults.fuzz.cl_last_wins", "--target", "differential", "--time", "6"]
    status = cli([*args, "--smoke", "--no-minimize", *_dirs(tmp_path), "--", "-seed=1"])
    assert status == 1
    entries = list((tmp_path / "regressions" / "differential").glob("*.json"))
    assert entries
    meta = json.loads(entries[0].read_text())
    assert meta["impl"] == "tests.faults.fuzz.cl_last_wins"
    assert (tmp_path / "reports" / "summary.md").exists()
    assert json.loads((tmp_path / "artifacts" / campaign.LEDGER).read_text())  # triaged artifacts recorded


@pytest.mark.usefixtures("at_root")
def test_artifacts_of_a_killed_campaign_are_triaged_by_the_next(tmp_path: Path) -> None:
    """Artifacts not yet in the ledger (a campaign killed before triage) are triaged once, then recorded."""
    artifacts = tmp_path / "artifacts"
    artifacts.mkdir()
    (artifacts / "crash-0123").write_bytes(CONFLICT)
    result = CampaignResult("differential", "tests.faults.fuzz.cl_last_wins", 0, 0.0, 0, [], 0.0)
    regressions = tmp_path / "regressions"
    campaign._triage_pending(result, artifacts, regressions, None, False, lambda line: None)
    assert result.triaged
    assert result.new_findings == 1
    assert json.loads((artifacts / campaign.LEDGER).read_text()) == ["crash-0123"]
    again = CampaignResult("differential", "tests.faults.fuzz.cl_last_wins", 0, 0.0, 0, [], 0.0)
    campaign._triage_pending(again, artifacts, regressions, None, False, lambda line: None)
    assert again.findings == []


def test_libfuzzer_status_lines_are_parsed() -> None:
    """Executions, coverage, features, exec/s and artifact paths are read from libFuzzer's output."""
    stats = _Stats(1)
    worker = stats.workers[0]
    stats.feed_line(worker, "#2\tINITED cov: 100 ft: 200 corp: 20/1000b exec/s: 0 rss: 40Mb")
    stats.feed_line(worker, "#4096\tpulse  cov: 120 ft: 260 corp: 25/2Kb lim: 4096 exec/s: 1365 rss: 48Mb")
    stats.feed_line(worker, "artifact_prefix='a/'; Test unit written to a/crash-abc")
    assert (worker.execs, worker.cov, worker.ft, worker.eps) == (4096, 120, 260, 1365)
    assert stats.artifacts == [Path("a/crash-abc")]
    stats.feed_line(worker, "stat::number_of_executed_units: 5000")
    assert worker.total_execs == 5000


def test_worker_command_passes_corpora_budget_and_extra_flags(tmp_path: Path) -> None:
    """A worker runs fuzz.entry with the work corpus first, the seeds, the time budget and extra flags."""
    command = worker_command(
        "send",
        "h11",
        corpus_dirs=[tmp_path / "w", tmp_path / "s"],
        artifacts_dir=tmp_path / "a",
        seconds=2.6,
        extra_args=["-use_value_profile=1"],
    )
    assert command[1:7] == ["-m", "fuzz.entry", "--target", "send", "--impl", "h11"]
    assert command[7:9] == ["--record", str(tmp_path / "a")]
    assert command[9:11] == [str(tmp_path / "w"), str(tmp_path / "s")]
    assert "-max_total_time=4" in command  # a backstop past the budget: the campaign stops it on time
    assert f"-artifact_prefix={tmp_path / 'a'}{os.sep}" in command
    assert command[-1] == "-use_value_profile=1"


def test_damaged_work_corpus_files_are_named_and_set_aside(tmp_path: Path) -> None:
    """A dangling file in the work corpus gets a one-line warning naming it and is moved aside."""
    work = tmp_path / "work"
    work.mkdir()
    (work / "good").write_bytes(b"GET / HTTP/1.1\r\n\r\n")
    (work / "dangling").symlink_to(tmp_path / "nowhere")
    lines: list[str] = []
    assert campaign._set_aside(work, lines.append, movable=True) == work
    assert any("dangling" in line for line in lines)
    assert sorted(p.name for p in work.iterdir()) == ["good"]
    assert (tmp_path / "work.damaged" / "dangling").is_symlink()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--target", "parse-everything"], "unknown --target"),
        (["--time", "0"], "--time must be"),
        (["--jobs", "0"], "--jobs must be"),
        (["--impl", "no_such_module_here"], "no module named"),
        (["--", "stray"], "unexpected argument"),
    ],
)
def test_bad_arguments_are_one_line_usage_errors(
    args: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """Bad input to h11spec fuzz exits 2 with a one-line message saying what to do."""
    assert cli(["fuzz", "--time", "1", *args]) == 2
    err = capsys.readouterr().err.strip()
    assert message in err
    assert len(err.splitlines()) == 1


def test_run_campaign_rejects_an_unknown_target(tmp_path: Path) -> None:
    """run_campaign itself refuses a target name that does not exist."""
    from conformance.errors import UsageError

    with pytest.raises(UsageError, match="unknown fuzz target"):
        run_campaign("nope", "reference", seconds=1, artifacts_dir=tmp_path)


@pytest.mark.slow
@pytest.mark.usefixtures("at_root")
def test_a_finding_does_not_stop_the_worker(tmp_path: Path) -> None:
    """A worker that finds a crash goes on fuzzing to the end of the budget, and triage still stores it."""
    budget = 6.0
    result = run_campaign(
        "server-parse",
        "tests.faults.fuzz.empty_field_name",
        seconds=budget,
        corpus_dir=tmp_path / "work",
        artifacts_dir=tmp_path / "artifacts",
        regressions_dir=tmp_path / "regressions",
        report_dir=None,
        minimize=False,
        extra_args=("-seed=1",),
        log=lambda line: None,
    )
    assert result.seconds >= budget
    assert result.notes == []
    assert len(result.artifacts) == 1  # one signature: saved once, then only counted
    assert sum(result.recorded.values()) > 1
    assert [f.signature[1] for f in result.findings] == ["IndexError"]
    assert result.findings[0].entry is not None


@pytest.mark.slow
@pytest.mark.usefixtures("at_root")
def test_a_restart_cap_is_reported(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A worker ended by a hang and not restarted (the cap reached) is named in the campaign's notes."""
    monkeypatch.setattr(campaign, "MAX_RESTARTS", 0)
    result = run_campaign(
        "server-parse",
        "tests.faults.fuzz.bare_cr_hang",
        seconds=10,
        corpus_dir=tmp_path / "work",
        artifacts_dir=tmp_path / "artifacts",
        regressions_dir=tmp_path / "regressions",
        report_dir=None,
        minimize=False,
        extra_args=("-seed=1", "-timeout=1"),
        log=lambda line: None,
    )
    assert any("MAX_RESTARTS" in note for note in result.notes), result.notes
    assert any(p.name.startswith("timeout-") for p in result.artifacts)
