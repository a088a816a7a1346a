"""Self-tests of the fuzz benchmark: it measures first and renders the same report afterwards."""

from __future__ import annotations

from fuzz.bench import measure_bench, render_bench


def test_measure_then_render_reports_every_figure_measured() -> None:
    """A throughput-only measurement renders one line per implementation and the ratios it measured."""
    heard: list[str] = []
    report = measure_bench(
        ["reference"],
        ["server-parse", "differential"],
        ttf_runs=0,
        libfuzzer_seconds=0,
        progress=heard.append,
    )
    assert set(report["throughput"]) == {"reference", "h11"}
    assert report["set_oracle"]["h11"] > 0
    lines = render_bench(report)
    assert any(line.startswith("  reference: server-parse") for line in lines)
    assert any("set oracle / single-outcome oracle" in line for line in lines)
    assert heard[0] == "in-process throughput"


def test_render_shows_time_to_find_medians_and_misses() -> None:
    """Time-to-find runs render as a median with every run, a miss shown as not found."""
    report = {
        "targets": ["differential"],
        "throughput": {},
        "time_to_find": {
            "tests.faults.fuzz.cl_last_wins": {
                "target": "differential",
                "runs": [1.0, None, 3.0],
                "median": 3.0,
            }
        },
    }
    line = render_bench(report)[-1]
    assert "cl_last_wins (differential): median 3.0 s over 3 runs, 2 found" in line
    assert "not found" in line
