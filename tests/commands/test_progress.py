"""Progress shows phases: catalog per implementation with a case count, model with examples and invariants,
fuzz with why it stopped; a plain line per phase without a terminal."""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

import pytest

from conformance.commands import session as run_module
from conformance.commands.cli import main
from conformance.commands.progress import PlainPhases, RichPhases, watcher
from conformance.verdict import Verdict
from tests.commands import _fakes
from tests.commands.test_run import CASES


@pytest.fixture
def fakes(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Fake catalog and model; the model tells its watcher of one finding. Returns the model's calls."""
    planted = {("h11", "9112/6.3/cl-dup-differs"): Verdict.FAIL}
    calls: list[tuple[str, str]] = []
    inner = _fakes.model_runner({"wire": Verdict.FAIL, "states": Verdict.PASS}, calls)

    def run_model(target: Any, **kwargs: Any) -> Any:
        kwargs["progress"]("found: model/wire after 3 examples")
        return inner(target, **kwargs)

    monkeypatch.setattr(run_module, "select_cases", lambda patterns=(), levels=(): list(CASES))
    monkeypatch.setattr(run_module, "_default_catalog_runner", lambda: _fakes.catalog_runner(planted))
    monkeypatch.setattr(run_module, "_default_model_runner", lambda: run_model)
    return []


def test_plain_lines_per_phase_without_a_terminal(
    fakes: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Without a TTY, `h11spec run` prints a stderr line as each phase begins and ends, per implementation."""
    argv = [
        "run",
        "--impl",
        "reference",
        "--impl",
        "h11",
        "--model-depth",
        "quick",
        "--report-dir",
        str(tmp_path),
    ]
    assert main(argv) == 1
    err = capsys.readouterr().err
    lines = [re.sub(r"done in [0-9.]+ s", "done in T s", line) for line in err.splitlines()]
    plan = (
        "depth quick: 60 examples of up to 30 steps, invariants errors, pure-send, wire, splits, round-trip, "
        "states; 150 byte-stream examples"
    )
    assert lines == [
        "h11spec: catalog on reference: 4 cases",
        "h11spec: catalog on reference: done in T s: 4 pass",
        f"h11spec: model on reference: {plan}",
        "h11spec: model on reference: found: model/wire after 3 examples",
        "h11spec: model on reference: done in T s: 2 invariants checked: 1 fail, 1 pass",
        "h11spec: catalog on h11: 4 cases",
        "h11spec: catalog on h11: done in T s: 3 pass, 1 fail",
        f"h11spec: model on h11: {plan}",
        "h11spec: model on h11: found: model/wire after 3 examples",
        "h11spec: model on h11: done in T s: 2 invariants checked: 1 fail, 1 pass",
    ]


def test_watcher_is_rich_only_on_a_terminal() -> None:
    """A terminal gets the labelled bar; anything else the plain lines, with no control sequences."""

    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    assert isinstance(watcher(Tty()), RichPhases)
    plain = io.StringIO()
    phases = watcher(plain)
    assert type(phases) is PlainPhases
    with phases:
        phases.begin("catalog", "h11", "503 cases", 503)
        phases.advance(100, 503)
        phases.end("503 pass")
    assert "\x1b" not in plain.getvalue()
    assert plain.getvalue().count("\n") == 2  # no ticks for advance: one line per phase event


def test_rich_phases_label_the_bar_and_leave_the_closing_line() -> None:
    """On a terminal each phase gets a bar labelled with phase and implementation, then its closing line."""

    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    out = Tty()
    with watcher(out) as phases:
        assert isinstance(phases, RichPhases)
        phases.begin("catalog", "h11", "503 cases", 503)
        assert [t.description for t in phases.bar.tasks] == ["catalog on h11"]
        phases.advance(503, 503)
        phases.end("503 pass")
        assert phases.bar.tasks == []
    assert "catalog on h11: 503 cases" in out.getvalue()
    assert "catalog on h11: done in" in out.getvalue()


def _campaign(**kwargs: Any) -> Any:
    from fuzz.campaign import CampaignResult

    fields: dict[str, Any] = {
        "target": "send",
        "impl": "reference",
        "executions": 1000,
        "exec_per_s": 500.0,
        "corpus_size": 10,
        "artifacts": [],
        "seconds": 2.0,
    }
    return CampaignResult(**(fields | kwargs))


@pytest.mark.parametrize(
    ("fields", "extra", "reason"),
    [
        ({"seconds": 2.0}, [], "time budget of 2 s spent"),
        ({"seconds": 0.4, "interrupted": True}, [], "interrupted (Ctrl-C or SIGTERM)"),
        ({"seconds": 0.4}, ["-runs=50"], "run limit -runs=50 reached"),
        ({"seconds": 0.4}, [], "workers ended after 0.4 of 2 s"),
    ],
)
def test_fuzz_says_why_it_stopped(fields: dict[str, Any], extra: list[str], reason: str) -> None:
    """A campaign's summary names why it stopped: its budget, Ctrl-C, -runs, or workers that ended early."""
    from conformance.commands.fuzz import stop_reason

    assert stop_reason(_campaign(**fields), 2.0, extra).startswith(reason)


def test_fuzz_announces_each_campaign_and_its_stop(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """`h11spec fuzz` prints a line as each campaign starts and a summary saying why it stopped."""
    pytest.importorskip("atheris")
    import fuzz.campaign

    monkeypatch.setattr(fuzz.campaign, "run_campaign", lambda target, impl, **_: _campaign(target=target))
    argv = ["fuzz", "--target", "send,differential", "--time", "2", "--jobs", "1"]
    dirs = ["--corpus", "c", "--artifacts", "a", "--regressions", "g", "--report-dir", "f"]
    assert main([*argv, *[str(tmp_path / d) if i % 2 else d for i, d in enumerate(dirs)]]) == 0
    captured = capsys.readouterr()
    assert captured.err.splitlines() == [
        "h11spec: fuzz send on reference: up to 2 s, 1 job(s)",
        "h11spec: fuzz differential on reference: up to 2 s, 1 job(s)",
    ]
    assert captured.out.startswith("send on reference: stopped: time budget of 2 s spent; 1,000 runs")
    assert "differential on reference: stopped: time budget of 2 s spent" in captured.out
