"""Fuzz replay through the executor: planted faults become rows, harness errors never findings."""

from __future__ import annotations

import dataclasses
import types
from pathlib import Path
from typing import Any

import pytest

from conformance.commands.cli import main
from conformance.commands.corpus import replay_entries
from conformance.errors import HarnessError
from conformance.targets.capabilities import SERIALIZE
from conformance.targets.executor import Crashed
from conformance.targets.load import load_target, reference_api
from fuzz.corpus import Entry
from fuzz.targets import run_one
from fuzz.triage import classify

GET = b"GET / HTTP/1.1\r\nHost: a\r\n\r\n"
# planted fault -> a phrase of the replay row it must give
FAULTS = {
    "hang": "hang: no result within 2 s",
    "leak": "memory limit of 256 MiB exceeded",
    "segfault": "SIGSEGV",
    "exits": "exited with status 3",
}


def _entry(target: str = "server-parse", data: bytes = GET) -> Entry:
    return Entry("seed", target, Path(f"seed-{target}"), data)


@pytest.mark.parametrize("fault", list(FAULTS))
def test_planted_fault_in_fuzz_replay_is_a_failing_row(fault: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """A target that hangs, leaks, segfaults or exits on a replayed input gives a failing row saying so,
    and the next entry is still replayed."""
    monkeypatch.setenv("H11SPEC_MEMORY_LIMIT_MB", "256")
    rows = replay_entries(load_target(f"tests.faults.targets.{fault}"), [_entry(), _entry()], timeout=2)
    assert len(rows) == 2
    for _, agrees, message in rows:
        assert not agrees
        assert FAULTS[fault] in message


def test_harness_exception_in_a_fuzz_target_is_a_harness_error() -> None:
    """An exception raised by the harness's own code in run_one is a HarnessError, not a finding."""
    # Without PAUSED the target still reads requests (parse-requests), but the driver's own code fails.
    api = types.SimpleNamespace(**{k: v for k, v in vars(reference_api()).items() if k != "PAUSED"})
    with pytest.raises(HarnessError, match="server-parse"):
        run_one(api, ("server-parse", GET))


def test_a_harness_crash_is_never_triaged_as_a_finding() -> None:
    """Triage turns a harness Crashed into the outcome "harness" with no signature, so it is never stored."""
    replay = classify("server-parse", Path("x"), GET, Crashed("KeyError: ours", harness=True))
    assert replay.outcome == "harness"
    assert replay.signature is None


def test_a_target_crash_is_still_a_finding() -> None:
    """A Crashed that is the target's (a dead worker) keeps its signature, so triage stores it."""
    replay = classify("server-parse", Path("x"), GET, Crashed("worker killed by SIGSEGV"))
    assert replay.signature is not None


def test_fuzz_target_needing_a_missing_capability_is_skipped_with_the_reason() -> None:
    """Replaying a send entry on a target without serialize skips it, naming the capability."""
    target = load_target("reference")
    lacking = dataclasses.replace(target, capabilities=target.capabilities - {SERIALIZE})
    [(_, agrees, message)] = replay_entries(lacking, [_entry("send", b"")], timeout=5)
    assert agrees
    assert message.startswith("skipped:")
    assert SERIALIZE in message


def test_corpus_replay_exits_3_on_a_harness_error(monkeypatch: pytest.MonkeyPatch) -> None:
    """When the harness's own code fails during corpus replay, the command exits 3, not 1."""
    import fuzz.targets

    def broken(api: Any, arg: Any) -> Any:
        raise KeyError("a bug of ours")

    monkeypatch.setattr(fuzz.targets, "run_one", broken)
    assert main(["corpus", "replay", "--impl", "reference", "--target", "server-parse", "--quiet"]) == 3


ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    ("impl", "status", "artifact"),
    [("tests.faults.fuzz.no_paused", 3, False), ("tests.faults.targets.value_error", None, True)],
)
def test_libfuzzer_job_stores_the_targets_crash_but_not_a_harness_error(
    impl: str, status: int | None, artifact: bool, tmp_path: Path
) -> None:
    """Inside a libFuzzer job, our own exception exits 3 with no artifact; the target's crash leaves one."""
    import os
    import subprocess
    import sys

    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "get").write_bytes(GET)
    out = tmp_path / "artifacts"
    out.mkdir()
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "fuzz.entry",
            "--target",
            "server-parse",
            "--impl",
            impl,
            "--instrument",
            "none",
            f"-artifact_prefix={out}/",
            "-runs=1",
            str(seeds),
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        timeout=120,
        check=False,
    )
    assert (proc.returncode == status) if status is not None else proc.returncode != 0
    assert bool(list(out.iterdir())) is artifact
    if status == 3:
        assert b"harness error, not a finding" in proc.stderr
