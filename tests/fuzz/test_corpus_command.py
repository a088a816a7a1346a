"""``h11spec corpus``: replay, import, minimize and export from the command line."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from conformance.commands.cli import main
from fuzz.corpus import entry_name, load_regressions
from fuzz.triage import triage
from tests.faults.fuzz.findings import FAULTS

ROOT = Path(__file__).resolve().parents[2]
HARMLESS = b"GET / HTTP/1.1\r\nHost: a\r\n\r\n"
FAULT = FAULTS[0]  # IndexError on an empty field name (server-parse)


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    """A corpus with one seed and the planted fault's finding as a regression entry."""
    root = tmp_path / "corpus"
    seeds = root / "seeds" / FAULT.target
    seeds.mkdir(parents=True)
    (seeds / entry_name(HARMLESS)).write_bytes(HARMLESS)
    art = tmp_path / "crash-1"
    art.write_bytes(FAULT.witness)
    triage(
        [art], FAULT.target, FAULT.impl, regressions_dir=root / "regressions", minimize=False, report_dir=None
    )
    return root


def test_replay_fails_on_the_fault_and_passes_on_the_reference(
    corpus: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Replay exits 1 on the implementation a regression was found on, 0 on the reference."""
    assert main(["corpus", "replay", "--dir", str(corpus), "--impl", FAULT.impl]) == 1
    out = capsys.readouterr().out
    assert "FAIL" in out
    assert "IndexError" in out
    assert main(["corpus", "replay", "--dir", str(corpus), "--impl", "reference"]) == 0


def test_damaged_file_is_one_line_and_replay_goes_on(
    corpus: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A corrupt metadata file is named in one warning line; the rest of the corpus still replays."""
    bad = corpus / "regressions" / FAULT.target / "0000000000000000"
    bad.write_bytes(b"x")
    bad.with_suffix(".json").write_text("{not json")
    assert main(["corpus", "replay", "--dir", str(corpus), "--impl", "reference"]) == 0
    captured = capsys.readouterr()
    warnings = [line for line in captured.err.splitlines() if "0000000000000000.json" in line]
    assert len(warnings) == 1
    assert "corrupt metadata" in warnings[0]
    assert "regressions 1 ok" in captured.out


@pytest.mark.parametrize(
    ("argv", "needle"),
    [
        (["corpus", "replay", "--dir", "/nonexistent/h11spec"], "no corpus directory"),
        (["corpus", "replay", "--target", "nope"], "unknown fuzz target 'nope'"),
        (["corpus", "import", "/nonexistent/h11spec", "--target", "send"], "is not a directory"),
        (["corpus", "export", "--dir", "/nonexistent/h11spec"], "no corpus directory"),
        (["corpus", "minimize", "--target", "nope"], "unknown fuzz target 'nope'"),
    ],
)
def test_bad_input_is_one_line_exit_2(argv: list[str], needle: str) -> None:
    """Bad input to a corpus command is one line on stderr with exit status 2, no traceback."""
    proc = subprocess.run(
        [sys.executable, "-m", "conformance.commands.cli", *argv],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
    )
    assert proc.returncode == 2
    assert needle in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1


def test_import_triages_findings_and_keeps_the_rest(tmp_path: Path) -> None:
    """Import stores a breaking input as a regression entry and adds passing ones to the working corpus."""
    download = tmp_path / "download" / "crashes"
    download.mkdir(parents=True)
    (download / "crash-abc").write_bytes(FAULT.witness)
    (download / "input-1").write_bytes(HARMLESS)
    root = tmp_path / "corpus"
    argv = ["corpus", "import", str(tmp_path / "download"), "--target", FAULT.target, "--impl", FAULT.impl]
    reports = tmp_path / "reports" / "fuzz"
    assert main([*argv, "--dir", str(root), "--no-minimize", "--report-dir", str(reports)]) == 0
    (entry,) = load_regressions(root).entries
    assert entry.data == FAULT.witness
    assert entry.meta["artifact"] == "crash-abc"
    assert (root / "work" / FAULT.target / entry_name(HARMLESS)).read_bytes() == HARMLESS
    assert json.loads((reports / "summary.json").read_text())["findings"]


@pytest.mark.slow
def test_minimize_merges_the_working_corpus(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Minimize keeps a working corpus that covers the same, with no more files, swapped in whole."""
    monkeypatch.chdir(ROOT)
    work = tmp_path / "corpus" / "work" / "server-parse"
    work.mkdir(parents=True)
    for i in range(6):  # the same request six times over, with junk that adds no coverage
        data = HARMLESS + b" " * i
        (work / entry_name(data)).write_bytes(data)
    (work / entry_name(b"GET / HTTP/1.0\r\n\r\n")).write_bytes(b"GET / HTTP/1.0\r\n\r\n")
    status = main(["corpus", "minimize", "--dir", str(tmp_path / "corpus"), "--target", "server-parse"])
    assert status == 0
    after = sorted(p.name for p in work.iterdir())
    assert 1 <= len(after) < 7
    assert not list(work.parent.glob(".server-parse.*"))  # no half-swapped directory left behind


def test_export_writes_a_directory_per_finding(corpus: Path, tmp_path: Path) -> None:
    """Export writes report.md, reproduce.py and the input for the stored finding."""
    out = tmp_path / "out"
    assert main(["corpus", "export", "--dir", str(corpus), "--out", str(out), "--impl", FAULT.impl]) == 0
    (directory,) = [p for p in out.iterdir() if p.name != "corpus"]
    assert {p.name for p in directory.iterdir()} >= {"report.md", "reproduce.py"}


# A model-checker finding's steps: a chunked request with a trailer, delivered to the server.
MODEL_STEPS = [
    ("send", "client", ("Request", {"method": b"POST", "target": b"/", "headers": [
        (b"Host", b"a"), (b"Transfer-Encoding", b"chunked")]})),
    ("send", "client", ("Data", {"data": b"hello"})),
    ("send", "client", ("EndOfMessage", {"headers": [(b"X-Sum", b"1")]})),
    ("deliver", "client", (3,)),
]  # fmt: skip


def test_model_findings_replay_and_export(
    corpus: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Model-checker entries in corpus/model are replayed with the rest and exported with a reproducer."""
    from conformance.model.entries import write_entry

    path = write_entry(
        corpus / "model", {"kind": "machine", "invariant": "wire", "profile": "rfc9112"}, MODEL_STEPS
    )
    assert main(["corpus", "replay", "--dir", str(corpus), "--impl", "reference"]) == 0
    assert "model findings 1 ok" in capsys.readouterr().out
    out = tmp_path / "out"
    assert main(["corpus", "export", "--dir", str(corpus), "--out", str(out), "--impl", "h11"]) == 0
    exported = out / f"model-{path.stem}"
    assert "wire" in (exported / "report.md").read_text()
    compile((exported / "reproduce.py").read_text(), "reproduce.py", "exec")


def test_import_takes_the_target_from_a_fuzzer_directory_name(tmp_path: Path) -> None:
    """A ClusterFuzzLite corpus directory named after its fuzzer (h11spec_server_parse) needs no --target."""
    download = tmp_path / "h11spec_server_parse"
    download.mkdir()
    (download / "input-1").write_bytes(HARMLESS)
    root = tmp_path / "corpus"
    argv = ["corpus", "import", str(download), "--dir", str(root), "--report-dir", str(tmp_path / "reports")]
    assert main(argv) == 0
    assert (root / "work" / "server-parse" / entry_name(HARMLESS)).read_bytes() == HARMLESS
    assert load_regressions(root).entries == []
