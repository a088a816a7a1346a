"""fuzz.export: each finding becomes a bug report, a standalone reproducer and a libFuzzer input."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

import pytest

from fuzz.corpus import write_regression
from fuzz.export import Exported, export_findings
from fuzz.reproducer import EXIT_AGREES, EXIT_BUG
from tests.faults.fuzz.findings import FAULTS, PlantedFault

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Exported]:
    """Every planted fault's witness triaged into a fresh corpus, then exported."""
    base = tmp_path_factory.mktemp("export")
    corpus = base / "corpus"
    for fault in FAULTS:  # entries as triage writes them (triage itself is tested in test_triage.py)
        meta = {
            "target": fault.target,
            "oracle": f"the {fault.target} oracle",
            "signature": [f"the {fault.target} oracle", fault.outcome, f"{fault.impl}:next_event"],
            "impl": fault.impl,
            "impl_version": "0.16.0",
            "reference_outcome": {"oracle": "pass", "raw": fault.witness.decode("latin-1")},
            "date": "2026-01-01T00:00:00+00:00",
            "minimized": False,
            "message": f"planted {fault.outcome}",
        }
        write_regression(corpus / "regressions" / fault.target, fault.witness, meta)
    (corpus / "regressions" / "send" / "0123456789abcdef").write_bytes(b"x")
    (corpus / "regressions" / "send" / "0123456789abcdef.json").write_text("{broken")
    logged: list[str] = []
    done = export_findings(corpus, base / "out", log=logged.append, timeout=2)
    assert any("0123456789abcdef.json" in line and "corrupt metadata" in line for line in logged)
    return {item.impl: item for item in done}


def _fix_shim(directory: Path, fault: PlantedFault) -> Path:
    """A module of the fault's name that is the reference: the 'fixed' implementation."""
    package = directory / "tests" / "faults" / "fuzz"
    package.mkdir(parents=True)
    for level in (directory / "tests", directory / "tests" / "faults", package):
        (level / "__init__.py").write_text("")
    (package / f"{fault.name}.py").write_text(
        "from conformance.reference import *  # noqa: F403\nfrom conformance.reference import __version__\n"
    )
    return directory


def _run(script: Path, pythonpath: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(pythonpath), "REPRODUCER_TIMEOUT": "2"}
    return subprocess.run(
        [sys.executable, str(script)], cwd=script.parent, env=env, capture_output=True, text=True, timeout=60
    )


@pytest.mark.parametrize("fault", FAULTS, ids=[f.name for f in FAULTS])
def test_reproducer_exits_1_on_the_fault_and_0_on_the_fix(
    exported: dict[str, Exported], fault: PlantedFault, tmp_path: Path
) -> None:
    """The reproducer exits 1 while the planted bug is there and 0 on a reference-equivalent fix."""
    item = exported[fault.impl]
    script = item.directory / "reproduce.py"
    broken = _run(script, ROOT)
    assert broken.returncode == EXIT_BUG, broken.stdout + broken.stderr
    assert "BUG" in broken.stdout
    fixed = _run(script, _fix_shim(tmp_path, fault))
    assert fixed.returncode == EXIT_AGREES, fixed.stdout + fixed.stderr


@pytest.mark.parametrize("fault", FAULTS, ids=[f.name for f in FAULTS])
def test_reproducer_imports_only_the_implementation(
    exported: dict[str, Exported], fault: PlantedFault
) -> None:
    """The reproducer imports the implementation and the standard library, never h11spec."""
    tree = ast.parse((exported[fault.impl].directory / "reproduce.py").read_text())
    modules = {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
    modules |= {node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    assert modules == {"os", "signal", "sys", fault.impl}


@pytest.mark.parametrize("fault", FAULTS, ids=[f.name for f in FAULTS])
def test_report_and_libfuzzer_files(exported: dict[str, Exported], fault: PlantedFault) -> None:
    """The bug report names the implementation, oracle and input; the input is exported raw for libFuzzer."""
    item = exported[fault.impl]
    report = (item.directory / "report.md").read_text()
    assert fault.impl in report
    assert "0.16.0" in report
    assert "## What the oracle saw" in report
    assert fault.witness.decode("latin-1").encode("unicode_escape").decode() in report
    name = item.entry.name
    assert (item.directory / name).read_bytes() == fault.witness
    assert (item.directory.parent / "corpus" / fault.target / name).read_bytes() == fault.witness


def test_report_quotes_the_rfc_for_a_documented_difference(tmp_path: Path) -> None:
    """A finding whose oracle message names a documented difference quotes that RFC sentence."""
    from conformance.reference.differences import difference
    from fuzz.export import bug_report

    meta = {
        "impl": "h11",
        "oracle": "o",
        "message": "masked only under h11: cl-te-keepalive",
        "signature": ["o", "E", "f"],
    }
    report = bug_report(meta, b"x", input_name="x", reproducer_name="r.py", difference=None)
    assert difference("cl-te-keepalive").sentence in report
    assert "## The requirement" in report


def test_report_quotes_the_catalog_case_the_reference_rejects_alike(exported: dict[str, Exported]) -> None:
    """A finding on a chunk size with 0x quotes the chunk-size grammar of the matching catalog case."""
    report = (exported["tests.faults.fuzz.chunk_size_0x"].directory / "report.md").read_text()
    assert "## The requirement" in report
    assert "chunk-size = 1*HEXDIG" in report
    assert "9112/7.1/" in report


def test_report_names_the_documented_difference_of_an_h11_finding(tmp_path: Path) -> None:
    """An h11 finding that is a documented difference (bare CR in a chunk extension) is named as such."""
    data = b"POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5;a\rb\r\nhello\r\n0\r\n\r\n"
    meta = {
        "target": "differential",
        "oracle": "the differential oracle",
        "signature": ["the differential oracle", "OracleViolation", "oracle:reference-rejects"],
        "impl": "h11",
        "impl_version": "0.16.0",
        "reference_outcome": {"oracle": "pass"},
        "date": "2026-01-01T00:00:00+00:00",
        "minimized": False,
    }
    write_regression(tmp_path / "corpus" / "regressions" / "differential", data, meta)
    (item,) = export_findings(tmp_path / "corpus", tmp_path / "out", impl="h11", log=lambda line: None)
    report = (item.directory / "report.md").read_text()
    assert "difference `chunk-ext-bare-cr`" in report
    assert "A recipient of such a bare CR MUST" in report
    assert _run(item.directory / "reproduce.py", ROOT).returncode == EXIT_BUG
