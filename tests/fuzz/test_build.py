"""The ClusterFuzzLite/OSS-Fuzz build: from a clean checkout, build.sh produces fuzzers that run."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.faults.fuzz.findings import FAULTS

ROOT = Path(__file__).resolve().parents[2]
TARGET_NAMES = ("server-parse", "client-parse", "send", "differential")


def _clean_checkout(destination: Path) -> Path:
    """The repository's files as a fresh checkout has them: tracked and new, nothing ignored or built."""
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        capture_output=True,
        check=True,
    ).stdout.split(b"\0")
    for name in filter(None, listed):
        source = ROOT / os.fsdecode(name)
        if source.is_file():
            target = destination / os.fsdecode(name)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)
    return destination


def _build(tmp_path: Path, impl: str | None = None) -> Path:
    checkout = _clean_checkout(tmp_path / "checkout")
    out = tmp_path / "out"
    env = {**os.environ, "PYTHON": sys.executable}
    env.pop("H11SPEC_IMPL", None)
    if impl:
        env["H11SPEC_IMPL"] = impl
    proc = subprocess.run(
        [str(checkout / "scripts" / "cflite-local-build"), str(out), str(checkout)],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    return out


def _run(fuzzer: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(fuzzer), *args], capture_output=True, text=True, timeout=120, cwd=fuzzer.parent, env=os.environ
    )


@pytest.mark.slow
def test_build_produces_a_runnable_fuzzer_per_target(tmp_path: Path) -> None:
    """build.sh writes one executable fuzzer, dictionary and seed corpus per target; each runs 50 inputs."""
    out = _build(tmp_path)
    for target in TARGET_NAMES:
        name = f"h11spec_{target.replace('-', '_')}"
        fuzzer = out / name
        assert os.access(fuzzer, os.X_OK), name
        assert (out / f"{name}.dict").read_text().strip()
        corpus = tmp_path / f"corpus-{target}"
        with zipfile.ZipFile(out / f"{name}_seed_corpus.zip") as archive:
            archive.extractall(corpus)
        assert any(corpus.iterdir())
        proc = _run(fuzzer, "-runs=50", str(corpus))
        assert proc.returncode == 0, proc.stderr[-2000:]
        assert "Done 50 runs" in proc.stderr


@pytest.mark.slow
def test_built_fuzzer_finds_a_planted_fault(tmp_path: Path) -> None:
    """A fuzzer built for a planted-fault implementation crashes on that fault's witness input."""
    fault = FAULTS[0]  # IndexError on an empty field name, found by server-parse
    out = _build(tmp_path, impl=fault.impl)
    witness = tmp_path / "witness"
    witness.write_bytes(fault.witness)
    proc = _run(out / f"h11spec_{fault.target.replace('-', '_')}", str(witness))
    assert proc.returncode != 0
    assert "IndexError" in proc.stdout + proc.stderr


def test_build_files_agree() -> None:
    """ClusterFuzzLite and OSS-Fuzz build the same way: Python, base-builder-python, one build.sh."""
    cflite = ROOT / ".clusterfuzzlite"
    oss = ROOT / "fuzz" / "oss-fuzz"
    assert "language: python" in (cflite / "project.yaml").read_text()
    assert "language: python" in (oss / "project.yaml").read_text()
    for dockerfile in (cflite / "Dockerfile", oss / "Dockerfile"):
        assert dockerfile.read_text().count("FROM gcr.io/oss-fuzz-base/base-builder-python") == 1
    assert ".clusterfuzzlite/build.sh" in (oss / "build.sh").read_text()
    for script in (cflite / "build.sh", oss / "build.sh", ROOT / "scripts" / "cflite-local-build"):
        assert os.access(script, os.X_OK), script
    workflows = sorted((ROOT / "examples").glob("cflite-*.yml"))
    assert workflows
    for workflow in workflows:
        text = workflow.read_text()
        assert "google/clusterfuzzlite/actions/build_fuzzers@v1" in text
        assert "language: python" in text
