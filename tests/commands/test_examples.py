"""The example CI workflow and regeneration script use options that `h11spec run` really has."""

from __future__ import annotations

import re
from pathlib import Path

from conformance.commands.cli import build_parser

ROOT = Path(__file__).resolve().parents[2]


def test_workflow_installs_from_the_repository_and_grades_through_tox() -> None:
    """The workflow never installs h11spec by a registry name; it grades through the README's tox env."""
    text = (ROOT / "examples" / "github-actions.yml").read_text()
    runs = [line.split("run:", 1)[1].strip() for line in text.splitlines() if line.strip().startswith("run:")]
    assert "tox -e conformance" in runs
    assert not any("pip install" in r and "h11spec" in r for r in runs)  # h11spec is not on a registry
    readme = (ROOT / "README.md").read_text()
    assert "deps = h11spec @ {env:H11SPEC_SOURCE:git+https://" in readme


def test_readme_tox_command_parses() -> None:
    """The `h11spec run` line of the README's downstream tox.ini is accepted by the real argument parser."""
    readme = (ROOT / "README.md").read_text()
    [line] = [
        ln.strip()
        for ln in readme.splitlines()
        if ln.strip().startswith("h11spec run --impl reference --impl={")
    ]
    words = re.sub(r"\{env:(\w+):([^}]*)\}", lambda m: m.group(2), line).replace("{posargs}", "").split()
    args = build_parser().parse_args(words[1:])
    assert args.impl == ["reference", "myh11"]
    assert args.baseline == ["h11spec-baseline.json"]
    empty = re.sub(r"\{env:(\w+):([^}]*)\}", "", line).replace("{posargs}", "").split()
    assert build_parser().parse_args(empty[1:]).baseline == [""]  # an empty variable: an empty value


def test_regen_script_commands_parse() -> None:
    """Every `run` line of scripts/regen-reports is accepted by the real argument parser."""
    text = (ROOT / "scripts" / "regen-reports").read_text().replace("\\\n", " ")
    calls = [line.strip().split()[1:] for line in text.splitlines() if line.startswith("run --impl")]
    assert len(calls) == 4
    for argv in calls:
        build_parser().parse_args(["run", "--model-depth", "off", *argv])


def _tox_conformance_line() -> str:
    text = (ROOT / "tox.ini").read_text()
    section = text[text.index("[testenv:conformance]") :]
    [line] = [ln.strip() for ln in section.splitlines() if ln.strip().startswith("h11spec run")][:1]
    return line


def test_own_tox_env_keeps_an_empty_baseline_as_a_value() -> None:
    """h11spec's `tox -e conformance` with H11SPEC_BASELINE= gives --baseline an empty value, not no value."""
    line = _tox_conformance_line()
    with_defaults = re.sub(r"\{env:(\w+):([^}]*)\}", lambda m: m.group(2), line).replace("{posargs}", "")
    args = build_parser().parse_args(with_defaults.split()[1:])
    assert args.impl == ["reference", "h11"]
    assert args.baseline == ["reports/h11/results.json"]
    # tox drops an empty word: "--baseline {env:X}" would become "--baseline" alone; "--baseline=" stays.
    emptied = re.sub(r"\{env:H11SPEC_BASELINE:[^}]*\}", "", line)
    emptied = re.sub(r"\{env:(\w+):([^}]*)\}", lambda m: m.group(2), emptied).replace("{posargs}", "").split()
    assert build_parser().parse_args(emptied[1:]).baseline == [""]
