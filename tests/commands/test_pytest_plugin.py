"""The pytest plugin: inert by default; with --h11spec-impl, catalog items for -k, -n, -m and JUnit."""

from __future__ import annotations

import os
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

pytest_plugins = ["pytester"]

# Inner runs skip plugins they do not need (Hypothesis's terminal summary imports and rewrites a lot).
QUIET = ("-p", "no:cacheprovider", "-p", "no:hypothesispytest", "--assert=plain")

# A conftest for the inner pytest run: it replaces the catalog with six fake cases, each carrying the verdict
# the fake runner will give it, so every verdict -> pytest outcome mapping is exercised.
FAKE_CATALOG = """
import dataclasses
import conformance.commands.pytest_plugin as plugin
from conformance.results import CaseResult
from conformance.verdict import Level, Verdict

@dataclasses.dataclass(frozen=True)
class Case:
    id: str
    level: Level
    planted: Verdict

CASES = [
    Case("9112/6.3/must-pass", Level.MUST, Verdict.PASS),
    Case("9112/6.3/must-fail", Level.MUST, Verdict.FAIL),
    Case("9112/6.1/must-hang", Level.MUST, Verdict.HANG),
    Case("9112/5.2/should-warn", Level.SHOULD, Verdict.WARN),
    Case("9112/5.2/should-crash", Level.SHOULD, Verdict.CRASH),
    Case("9110/5.5/may-info", Level.MAY, Verdict.INFO),
    Case("9112/9.3/must-skip", Level.MUST, Verdict.SKIP),
]

def select(patterns=(), levels=()):
    return list(CASES)

def run_catalog(targets, *, profile, cases, isolated, jobs=None):
    [target] = targets
    with open("calls.log", "a") as log:
        log.write(f"{target.name} {len(cases)} {isolated}\\n")
    return [
        CaseResult(c.id, "RFC " + c.id, c.level, "The sentence of " + c.id, target.name, c.planted,
                   f"planted {c.planted.value} ({profile})", "reject", "accept", b"GET /<x> HTTP/1.1\\r\\n")
        for c in cases
    ]

plugin.catalog_api = lambda: (select, run_catalog)
"""


@pytest.fixture
def inner(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> pytest.Pytester:
    """A pytester directory whose conftest plants the fake catalog (undone afterwards in this process)."""
    import conformance.commands.pytest_plugin as plugin

    monkeypatch.setattr(plugin, "catalog_api", plugin.catalog_api)  # in-process runs patch the module
    pytester.makeconftest(FAKE_CATALOG)
    pytester.makepyfile(test_own="def test_own():\n    '''A project test that must still run.'''\n")
    return pytester


def test_inert_without_the_option(inner: pytest.Pytester) -> None:
    """Without --h11spec-impl the plugin adds no item: only the project's own test runs."""
    result = inner.runpytest("-p", "no:cacheprovider")
    result.assert_outcomes(passed=1)


def test_verdicts_map_to_pytest_outcomes(inner: pytest.Pytester) -> None:
    """MUST fail/hang fail, SHOULD warn/crash xfail, skip skips, pass and info pass, ids are the case ids."""
    result = inner.runpytest(*QUIET, "--h11spec-impl", "h11", "-rA", "-m", "h11spec")
    result.assert_outcomes(passed=2, failed=2, xfailed=2, skipped=1, deselected=1)
    result.stdout.fnmatch_lines(
        [
            "SKIPPED *: 9112/9.3/must-skip: planted skip (rfc9112)",
            "XFAIL h11spec::9112/5.2/should-warn - warn (SHOULD): planted warn (rfc9112)",
            "XFAIL h11spec::9112/5.2/should-crash - crash (SHOULD): planted crash (rfc9112)",
            "FAILED h11spec::9112/6.3/must-fail - FAIL MUST 9112/6.3/must-fail on h11*",
            "FAILED h11spec::9112/6.1/must-hang - HANG MUST*",
        ]
    )
    result.stdout.fnmatch_lines(
        ["*expected: reject*", "*observed: accept*", "*input: GET /<x> HTTP/1.1\\r\\n*"]
    )
    assert "h11spec: catalog on h11 " in result.stdout.str()


def test_profile_option_reaches_the_runner(inner: pytest.Pytester) -> None:
    """--h11spec-profile h11 is what the catalog runner is asked to grade against."""
    result = inner.runpytest(*QUIET, "--h11spec-impl", "h11", "--h11spec-profile", "h11", "-rx")
    result.stdout.fnmatch_lines(["*planted warn (h11)*"])


def test_keyword_selection_and_junit(inner: pytest.Pytester) -> None:
    """-k selects by case id and --junitxml records the case ids as test names."""
    result = inner.runpytest(
        *QUIET, "--h11spec-impl", "h11", "-k", "must-fail or may-info", "--junitxml=out.xml"
    )
    result.assert_outcomes(passed=1, failed=1, deselected=6)
    root = ET.parse(inner.path / "out.xml").getroot()
    names = sorted(case.get("name", "") for case in root.iter("testcase"))
    assert names == ["9110/5.5/may-info", "9112/6.3/must-fail"]


def test_xdist_runs_the_same_items(inner: pytest.Pytester) -> None:
    """With -n 2 every worker collects the same catalog items and the outcomes match a serial run."""
    result = inner.runpytest_subprocess(*QUIET, "--h11spec-impl", "h11", "-n", "2")
    result.assert_outcomes(passed=3, failed=2, xfailed=2, skipped=1)


def test_several_impls_get_suffixed_ids(inner: pytest.Pytester) -> None:
    """With two implementations every case appears once per implementation, suffixed [name]."""
    result = inner.runpytest(
        "-p",
        "no:cacheprovider",
        "--h11spec-impl",
        "h11",
        "--h11spec-impl",
        "reference",
        "--co",
        "-q",
        "-m",
        "h11spec",
    )
    result.stdout.fnmatch_lines(
        ["h11spec::9112/6.3/must-pass[[]h11[]]", "h11spec::9112/6.3/must-pass[[]reference[]]"]
    )
    assert result.stdout.str().count("h11spec::") == 14


def test_unknown_impl_is_a_usage_error(inner: pytest.Pytester) -> None:
    """An --h11spec-impl that cannot be imported stops pytest with exit 2 and a line naming it."""
    result = inner.runpytest_subprocess(*QUIET, "--h11spec-impl", "no_such_module_h11spec")
    assert result.ret == 2
    assert "no_such_module_h11spec" in result.stdout.str() + result.stderr.str()


def test_impl_that_segfaults_at_import_is_a_usage_error(
    inner: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An --h11spec-impl that segfaults while being imported stops pytest with exit 2, naming the signal."""
    root = str(Path(__file__).resolve().parents[2])
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join(filter(None, [root, os.environ.get("PYTHONPATH")])))
    result = inner.runpytest_subprocess(*QUIET, "--h11spec-impl", "tests.faults.targets.import_segfault")
    assert result.ret == 2
    assert "SIGSEGV" in result.stdout.str() + result.stderr.str()


def test_real_catalog_fails_h11_on_a_documented_must(pytester: pytest.Pytester) -> None:
    """On the real catalog, a cl-te-keepalive case fails as an item for h11 and passes for the reference."""
    from conformance.catalog.cases import CATALOG

    case_id = next(c.id for c in CATALOG if c.difference == "cl-te-keepalive")
    result = pytester.runpytest(*QUIET, "--h11spec-impl", "h11", "--h11spec-impl", "reference", "-k", case_id)
    matching = sum(case_id in c.id for c in CATALOG)  # -k matches substrings of the item names
    outcomes = result.parseoutcomes()
    assert outcomes.get("passed", 0) + outcomes.get("failed", 0) == 2 * matching
    result.stdout.fnmatch_lines([f"FAILED h11spec::{case_id}[[]h11[]]*"])


@pytest.mark.parametrize(
    ("extra", "calls"),
    [
        (["--h11spec-impl", "h11"], ["h11 1 None"] * 7),
        (["--h11spec-impl", "conformance.reference"], ["conformance.reference 7 None"]),
        (
            ["--h11spec-impl", "conformance.reference", "--h11spec-in-process"],
            ["conformance.reference 1 False"] * 7,
        ),
    ],
)
def test_isolated_targets_are_graded_in_one_batch(
    inner: pytest.Pytester, extra: list[str], calls: list[str]
) -> None:
    """A trusted or in-process target is graded per item; an isolated one in one catalog call per process."""
    result = inner.runpytest(*QUIET, "-m", "h11spec", *extra)
    result.assert_outcomes(passed=2, failed=2, xfailed=2, skipped=1, deselected=1)
    assert (inner.path / "calls.log").read_text().splitlines() == calls


def test_blank_impl_is_a_usage_error(inner: pytest.Pytester) -> None:
    """An empty --h11spec-impl (an unset variable in CI) stops pytest with exit 2, not a run of zero items."""
    result = inner.runpytest_subprocess(*QUIET, "--h11spec-impl", " ")
    assert result.ret == 2
    assert "empty --h11spec-impl" in result.stdout.str() + result.stderr.str()
