"""The example CI workflow and regeneration script use options that `h11spec run` really has."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

from conformance.commands.cli import build_parser

ROOT = Path(__file__).resolve().parents[2]


def _commands(text: str, program: str) -> list[list[str]]:
    joined = re.sub(r"\\\n\s*", " ", text)
    found = []
    for line in joined.splitlines():
        line = line.split("#", 1)[0] if not line.lstrip().startswith("#") else ""
        if f"{program} run " in line:
            words = shlex.split(line[line.index(program) :].replace('"$IMPL"', "myh11").replace("$@", ""))
            found.append(words[1:])
    return found


def test_workflow_command_parses() -> None:
    """Every `h11spec run` line of examples/github-actions.yml is accepted by the real argument parser."""
    text = (ROOT / "examples" / "github-actions.yml").read_text()
    commands = _commands(text.replace('"$BASELINE"', "base.json"), "h11spec")
    assert commands, "the example workflow must run h11spec run"
    for argv in commands:
        args = build_parser().parse_args(argv)
        assert args.impl == ["reference", "myh11"]
        assert args.report_dir == Path("reports/h11spec")


def test_regen_script_commands_parse() -> None:
    """Every `run` line of scripts/regen-reports is accepted by the real argument parser."""
    text = (ROOT / "scripts" / "regen-reports").read_text().replace("\\\n", " ")
    calls = [line.strip().split()[1:] for line in text.splitlines() if line.startswith("run --impl")]
    assert len(calls) == 4
    for argv in calls:
        build_parser().parse_args(["run", "--model-depth", "off", *argv])
