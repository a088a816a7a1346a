"""Loading targets: naming, capabilities computed by the probe, and one-line usage errors."""

from __future__ import annotations

import subprocess
import sys

import pytest

from conformance.commands.cli import main
from conformance.errors import HarnessError, UsageError
from conformance.targets.capabilities import (
    ALL_CAPABILITIES,
    DATA_PASSTHROUGH,
    EVENT_SIZE_LIMIT,
    EVENT_VALIDATION,
    PARSE_REQUESTS,
    PARSE_RESPONSES,
    REQUEST_CONTEXT,
    SERIALIZE,
    STATE_MACHINE,
    STATUS_HINTS,
)
from conformance.targets.load import ENV_VAR, default_impls, load_target, resolve_impls

HTTPTOOLS = "conformance.targets.adapters.httptools:Adapter"
FAULTS = "tests.faults.targets"

# spec -> a fragment the one-line UsageError must contain
BAD_SPECS = {
    "no_such_module_h11spec": "no module named 'no_such_module_h11spec'",
    "no_such_pkg_h11spec.sub": "no module named 'no_such_pkg_h11spec.sub'",
    f"{FAULTS}.import_error": "RuntimeError: planted fault",
    f"{FAULTS}.not_h11": "needs an adapter",
    "os": "needs an adapter",
    "h11r": "needs an adapter",
    "h11:NoSuchAdapter": "has no adapter 'NoSuchAdapter'",
    "h11:": "write package.module:Adapter",
    ":Adapter": "write package.module:Adapter",
    "  ": "empty --impl",
    f"{FAULTS}.overclaiming:Misspelt": "unknown capabilities ['parse-everything']",
}


@pytest.mark.parametrize("spec", list(BAD_SPECS))
def test_bad_impl_is_a_one_line_usage_error(spec: str) -> None:
    """Every way an --impl can be wrong raises UsageError with one line that says what is wrong."""
    with pytest.raises(UsageError) as info:
        load_target(spec)
    message = str(info.value)
    assert BAD_SPECS[spec] in message
    assert "\n" not in message


@pytest.mark.parametrize("spec", [f"{FAULTS}.import_error", f"{FAULTS}.not_h11", "h11:Nope"])
def test_cli_turns_a_bad_impl_into_exit_2(spec: str, capsys: pytest.CaptureFixture[str]) -> None:
    """`h11spec probe` with a bad --impl prints one line on stderr and exits 2, without a traceback."""
    assert main(["probe", "--impl", spec]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "Traceback" not in err


def test_no_such_module_exits_2_from_a_real_process() -> None:
    """`h11spec probe --impl no_such_module` in a fresh interpreter exits 2 with one line."""
    proc = subprocess.run(
        [sys.executable, "-m", "conformance.commands.cli", "probe", "--impl", "no_such_module"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 2
    assert proc.stderr.count("\n") == 1
    assert "no_such_module" in proc.stderr


@pytest.mark.parametrize("spec", ["h11", "reference"])
def test_full_implementations_have_every_capability(spec: str) -> None:
    """h11 and the reference offer the whole API, so the probe grants every capability."""
    target = load_target(spec)
    assert target.capabilities == ALL_CAPABILITIES
    assert target.lacks(ALL_CAPABILITIES) == frozenset()
    assert target.probe is not None
    assert target.probe.problems == ()


def test_missing_send_removes_serialize() -> None:
    """A Connection without send lacks "serialize" (and passthrough); parsing is still offered."""
    target = load_target(f"{FAULTS}.no_send")
    assert target.lacks([SERIALIZE, PARSE_REQUESTS]) == {SERIALIZE}
    assert DATA_PASSTHROUGH not in target.capabilities
    assert target.skip_reason([SERIALIZE]) == f"{FAULTS}.no_send lacks serialize"
    assert target.skip_reason([PARSE_REQUESTS, STATE_MACHINE]) is None
    assert target.probe is not None
    assert target.probe.missing[SERIALIZE] == ("Connection.send",)


def test_httptools_adapter_is_parse_only() -> None:
    """The httptools adapter gets exactly the parse capabilities it declares and its names allow."""
    target = load_target(HTTPTOOLS)
    assert target.capabilities == {PARSE_REQUESTS, PARSE_RESPONSES, REQUEST_CONTEXT}
    assert target.version.startswith("httptools ")
    assert target.module == "conformance.targets.adapters.httptools"


def test_an_adapter_cannot_claim_what_its_names_lack() -> None:
    """Declared capabilities are intersected with the probe: over-claiming grants nothing extra."""
    target = load_target(f"{FAULTS}.overclaiming:Adapter")
    # Beyond the parse ones, only the names of event-validation (event classes, LocalProtocolError),
    # request-context (the hook), status-hints (the parse names) and event-size-limit (the kit's
    # Connection takes max_incomplete_event_size) exist.
    assert target.capabilities == {
        PARSE_REQUESTS,
        PARSE_RESPONSES,
        EVENT_VALIDATION,
        REQUEST_CONTEXT,
        STATUS_HINTS,
        EVENT_SIZE_LIMIT,
    }
    assert target.lacks([SERIALIZE, STATE_MACHINE]) == {SERIALIZE, STATE_MACHINE}


def test_lacks_rejects_an_unknown_capability() -> None:
    """A check asking for a capability that does not exist is a harness bug, not a skip."""
    with pytest.raises(HarnessError, match="parse-everything"):
        load_target("h11").lacks(["parse-everything"])


def test_env_var_and_commas_name_several_impls(monkeypatch: pytest.MonkeyPatch) -> None:
    """$H11SPEC_IMPL (comma-separated) is the default; --impl values may hold commas; repeats load once."""
    monkeypatch.setenv(ENV_VAR, " h11 , reference,")
    assert default_impls() == ["h11", "reference"]
    assert [t.name for t in resolve_impls(None)] == ["h11", "reference"]
    assert [t.name for t in resolve_impls(["h11,reference", HTTPTOOLS])] == ["h11", "reference", HTTPTOOLS]
    assert [t.name for t in resolve_impls(["h11", "h11,reference"])] == ["h11", "reference"]
    monkeypatch.delenv(ENV_VAR)
    assert default_impls() == ["reference"]
