"""``h11spec run``: selection, model wiring, baseline ratchet, summary and exit status (with fake runners)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from conformance.commands import session as run_module
from conformance.commands.cli import main
from conformance.commands.session import RunPlan, execute, load_baseline
from conformance.errors import UsageError
from conformance.reports import write_reports
from conformance.results import RunResult, counted_problems, exit_status, summary_lines
from conformance.verdict import Level, Verdict
from tests.commands import _fakes

CASES = [
    _fakes.FakeCase("9112/6.3/cl-dup-differs"),
    _fakes.FakeCase("9112/6.1/cl-te-both-must-close"),
    _fakes.FakeCase("9112/5.2/obs-fold", Level.SHOULD),
    _fakes.FakeCase("9110/5.5/ctl-in-value", Level.MAY),
]


def _execute(planted: dict[tuple[str, str], Verdict], **kwargs: Any) -> RunResult:
    kwargs.setdefault("model_depth", "off")
    kwargs.setdefault("cases", CASES)
    collaborators = {k: kwargs.pop(k) for k in ("phases", "model_runner", "cases") if k in kwargs}
    plan = RunPlan([_fakes.target(n) for n in kwargs.pop("impls", ["a"])], **kwargs)
    return execute(plan, catalog_runner=_fakes.catalog_runner(planted), **collaborators)


@pytest.mark.parametrize("verdict", [Verdict.FAIL, Verdict.CRASH, Verdict.HANG])
def test_must_problem_fails_the_run(verdict: Verdict) -> None:
    """A MUST-level fail, crash or hang on any implementation makes the exit status 1."""
    run = _execute({("b", "9112/6.3/cl-dup-differs"): verdict}, impls=["a", "b"])
    assert exit_status(run) == 1


@pytest.mark.parametrize("case_id", ["9112/6.3/cl-dup-differs", "9112/5.2/obs-fold"])
def test_a_harness_error_anywhere_exits_3(case_id: str) -> None:
    """A harness-error row at any level gives exit status 3, ahead of any fail, and is not a problem row."""
    run = _execute(
        {("a", case_id): Verdict.HARNESS, ("b", "9112/6.3/cl-dup-differs"): Verdict.FAIL}, impls=["a", "b"]
    )
    assert exit_status(run) == 3
    assert all(r.verdict is not Verdict.HARNESS for r in counted_problems(run))


@pytest.mark.parametrize(
    ("case_id", "verdict"),
    [
        ("9112/5.2/obs-fold", Verdict.WARN),
        ("9112/5.2/obs-fold", Verdict.CRASH),
        ("9110/5.5/ctl-in-value", Verdict.INFO),
        ("9112/6.3/cl-dup-differs", Verdict.SKIP),
        ("9112/6.3/cl-dup-differs", Verdict.WARN),
    ],
)
def test_non_must_or_non_problem_passes_the_run(case_id: str, verdict: Verdict) -> None:
    """Exit status stays 0 for a skip, warn or info anywhere, and for any verdict on a SHOULD or MAY case."""
    run = _execute({("a", case_id): verdict})
    assert exit_status(run) == 0
    assert any(r.verdict is verdict for r in run.results)


def _baseline(tmp_path: Path, planted: dict[tuple[str, str], Verdict], impls: list[str]) -> Path:
    write_reports(_execute(planted, impls=impls), tmp_path / "base")
    return tmp_path / "base" / "results.json"


def test_baseline_failure_is_known_and_not_counted(tmp_path: Path) -> None:
    """A failure present in the baseline for the same implementation and case id does not fail the run."""
    planted = {("h11", "9112/6.1/cl-te-both-must-close"): Verdict.FAIL}
    base = _baseline(tmp_path, planted, ["h11"])
    run = _execute(planted, impls=["h11"], baseline=[base])
    assert exit_status(run) == 0
    assert [r.case_id for r in run.results if run.is_known(r)] == ["9112/6.1/cl-te-both-must-close"]
    assert any("[known]" in line and "cl-te-both-must-close" in line for line in summary_lines(run))


def test_new_failure_beyond_baseline_fails(tmp_path: Path) -> None:
    """A MUST failure not in the baseline still fails the run even when other failures are known."""
    old = {("h11", "9112/6.1/cl-te-both-must-close"): Verdict.FAIL}
    base = _baseline(tmp_path, old, ["h11"])
    run = _execute({**old, ("h11", "9112/6.3/cl-dup-differs"): Verdict.CRASH}, impls=["h11"], baseline=[base])
    assert exit_status(run) == 1
    assert [r.case_id for r in counted_problems(run)] == ["9112/6.3/cl-dup-differs"]


def test_baseline_is_per_implementation(tmp_path: Path) -> None:
    """A failure known for one implementation name does not excuse the same case on another."""
    base = _baseline(tmp_path, {("h11", "9112/6.3/cl-dup-differs"): Verdict.FAIL}, ["h11"])
    run = _execute({("fork", "9112/6.3/cl-dup-differs"): Verdict.FAIL}, impls=["fork"], baseline=[base])
    assert exit_status(run) == 1


def test_fixed_baseline_failure_is_announced(tmp_path: Path) -> None:
    """A baseline failure that now passes is reported as fixed, so the baseline can be tightened."""
    base = _baseline(tmp_path, {("h11", "9112/6.3/cl-dup-differs"): Verdict.FAIL}, ["h11"])
    run = _execute({}, impls=["h11"], baseline=[base])
    assert any(
        line.startswith("fixed since the baseline: h11 9112/6.3/cl-dup-differs")
        for line in summary_lines(run)
    )


@pytest.mark.parametrize(
    "content",
    [None, "{not json", json.dumps({"schema_version": 1}), json.dumps({"schema_version": 99, "results": []})],
)
def test_bad_baseline_is_a_usage_error_naming_the_file(tmp_path: Path, content: str | None) -> None:
    """A missing, corrupt or foreign baseline is a one-line UsageError that names the file."""
    path = tmp_path / "old-results.json"
    if content is not None:
        path.write_text(content)
    with pytest.raises(UsageError, match=r"old-results\.json") as info:
        load_baseline([path])
    assert "\n" not in str(info.value)


def test_summary_counts_per_verdict_and_section() -> None:
    """The summary gives counts per verdict, per RFC section, and one line per non-pass row."""
    run = _execute({("a", "9112/6.3/cl-dup-differs"): Verdict.FAIL, ("a", "9112/5.2/obs-fold"): Verdict.WARN})
    lines = summary_lines(run)
    assert lines[0].startswith("== a 1.0 (rfc9112): 4 results: 1 fail, 1 warn, 2 pass")
    assert "   9112/6.3  fail 1" in lines
    assert "   9112/6.1  pass 1" in lines
    assert any(line.strip().startswith("FAIL  MUST   9112/6.3/cl-dup-differs: ") for line in lines)
    assert any(line.strip().startswith("WARN  SHOULD 9112/5.2/obs-fold: ") for line in lines)
    assert lines[-1] == "FAILED: 1 MUST-level fail/crash/hang"


def test_sections_sort_numerically() -> None:
    """RFC sections sort as numbers: 9112/6.9 comes before 9112/6.10."""
    rows = [_fakes.result(i, Verdict.PASS) for i in ("9112/6.10/x", "9112/6.9/y", "9110/5.5/z")]
    lines = summary_lines(_fakes.run_of(rows))
    sections = [line.split()[0] for line in lines[1:4]]
    assert sections == ["9110/5.5", "9112/6.9", "9112/6.10"]


def test_model_rows_join_and_follow_selection() -> None:
    """The model runs once per target at the asked depth, and its rows obey --select and --level."""
    calls: list[tuple[str, str]] = []
    runner = _fakes.model_runner({"state-agrees": Verdict.FAIL, "split-agrees": Verdict.PASS}, calls)
    run = _execute({}, impls=["a", "b"], model_depth="ci", model_runner=runner)
    assert calls == [("a", "ci"), ("b", "ci")]
    assert (
        sorted(r.case_id for r in run.results if r.source == "model")
        == ["model/split-agrees"] * 2 + ["model/state-agrees"] * 2
    )
    assert exit_status(run) == 1
    assert set(run.model_coverage) == {"a", "b"}

    calls.clear()
    run = _execute({}, model_depth="quick", model_runner=runner, patterns=["model/split*"], cases=[])
    assert calls == [("a", "quick")]
    assert [r.case_id for r in run.results] == ["model/split-agrees"]


@pytest.mark.parametrize(("depth", "patterns"), [("off", []), ("quick", ["9112/*"])])
def test_model_not_run_when_off_or_deselected(depth: str, patterns: list[str]) -> None:
    """--model-depth off, or id patterns that exclude model/..., skip the model checker entirely."""
    calls: list[tuple[str, str]] = []
    _execute(
        {}, model_depth=depth, model_runner=_fakes.model_runner({"x": Verdict.PASS}, calls), patterns=patterns
    )
    assert calls == []


def test_results_json_round_trips(tmp_path: Path) -> None:
    """results.json reads back into the same rows, known marks, coverage and implementations."""
    base = _baseline(tmp_path, {("a", "9112/6.3/cl-dup-differs"): Verdict.FAIL}, ["a"])
    calls: list[tuple[str, str]] = []
    run = _execute(
        {("a", "9112/6.3/cl-dup-differs"): Verdict.FAIL},
        baseline=[base],
        model_depth="quick",
        model_runner=_fakes.model_runner({"inv": Verdict.PASS}, calls),
    )
    again = RunResult.from_json(json.loads(json.dumps(run.to_json())))
    assert again.results == run.results
    assert again.known == {("a", "9112/6.3/cl-dup-differs")}
    assert again.impls == run.impls
    assert again.model_coverage == run.model_coverage


def test_bad_profile_and_depth_are_usage_errors() -> None:
    """An unknown profile or model depth is a UsageError that lists the valid values."""
    with pytest.raises(UsageError, match="rfc9112, h11"):
        _execute({}, profile="rfc2616")
    with pytest.raises(UsageError, match="off, quick"):
        _execute({}, model_depth="forever")


# --- the command line -------------------------------------------------------------------------------


@pytest.fixture
def fake_catalog(monkeypatch: pytest.MonkeyPatch) -> dict[tuple[str, str], Verdict]:
    """Route the command's catalog and model to the fakes; the test plants verdicts in the dict."""
    planted: dict[tuple[str, str], Verdict] = {}

    def select(patterns: Any = (), levels: Any = ()) -> list[_fakes.FakeCase]:
        return [
            c
            for c in CASES
            if run_module.matches(c.id, list(patterns)) and (not levels or c.level in set(levels))
        ]

    monkeypatch.setattr(run_module, "select_cases", select)
    monkeypatch.setattr(run_module, "_default_catalog_runner", lambda: _fakes.catalog_runner(planted))
    monkeypatch.setattr(run_module, "_default_model_runner", lambda: _fakes.model_runner({}, []))
    return planted


def test_cli_list_prints_ids_and_levels(fake_catalog: object, capsys: pytest.CaptureFixture[str]) -> None:
    """--list prints the selected case ids with their levels, one per line, and exits 0."""
    assert main(["run", "--list", "--select", "9112/*", "--level", "must"]) == 0
    assert capsys.readouterr().out.splitlines() == [
        "9112/6.3/cl-dup-differs  MUST",
        "9112/6.1/cl-te-both-must-close  MUST",
    ]


def test_cli_writes_reports_and_exit_follows_must(
    fake_catalog: dict[tuple[str, str], Verdict], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The command writes all four reports, exits 0 when clean and 1 on a planted MUST failure."""
    argv = ["run", "--impl", "h11", "--report-dir", str(tmp_path / "r"), "--model-depth", "off"]
    assert main(argv) == 0
    assert sorted(p.name for p in (tmp_path / "r").iterdir()) == [
        "junit.xml",
        "report.html",
        "results.json",
        "summary.md",
    ]
    fake_catalog[("h11", "9112/6.3/cl-dup-differs")] = Verdict.FAIL
    assert main(argv) == 1
    out = capsys.readouterr().out
    assert "FAILED: 1 MUST-level" in out
    assert main([*argv, "--baseline", str(tmp_path / "r" / "results.json")]) == 0
    assert main([*argv, "--baseline", ""]) == 1  # empty: no baseline (an unset variable in tox)


@pytest.mark.parametrize(
    ("argv", "needle"),
    [
        (["--profile", "rfc2616"], "unknown profile"),
        (["--baseline", "/nonexistent/results.json"], "/nonexistent/results.json"),
        (["--impl", "no_such_module_h11spec"], "no_such_module_h11spec"),
        (["--jobs", "0"], "--jobs"),
        (["--select", "9999/*"], "no case matches --select 9999/*"),
        (["--list", "--select", "9999/*"], "no case matches --select 9999/*"),
    ],
)
def test_cli_usage_errors_exit_2_with_one_line(
    fake_catalog: object, tmp_path: Path, capsys: pytest.CaptureFixture[str], argv: list[str], needle: str
) -> None:
    """Bad --profile, an unreadable baseline, an unknown --impl or bad --jobs: one line on stderr, exit 2."""
    status = main(["run", "--report-dir", str(tmp_path), "--model-depth", "off", *argv])
    err = capsys.readouterr().err
    assert status == 2
    assert err.count("\n") == 1
    assert needle in err
    assert not (tmp_path / "results.json").exists()


def test_cli_shows_progress_on_a_terminal(
    fake_catalog: object, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """On a terminal (stderr) the catalog runner's progress callback moves a labelled rich bar."""
    from conformance.commands.progress import RichPhases

    seen: list[object] = []
    runner = _fakes.catalog_runner({})

    def spy(targets: Any, **kwargs: Any) -> Any:
        seen.append(kwargs["progress"])
        kwargs["progress"](1, 2)
        return runner(targets, **kwargs)

    monkeypatch.setattr(run_module, "_default_catalog_runner", lambda: spy)
    monkeypatch.setattr("sys.stderr.isatty", lambda: True)
    assert main(["run", "--impl", "h11", "--model-depth", "off", "--report-dir", str(tmp_path)]) == 0
    assert isinstance(getattr(seen[0], "__self__", None), RichPhases)
    captured = capsys.readouterr()
    assert "OK: 0 MUST-level" in captured.out
    assert "catalog on h11: done in" in captured.err
