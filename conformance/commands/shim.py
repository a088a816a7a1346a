"""``h11spec shim -- CMD``: run CMD with ``import h11`` resolving to the RFC-strict reference.

Theory of operation: CMD (a dependent's test command: ``pytest``, ``python -m unittest``, a server) runs
as a child with ``$H11SPEC_STRICT_H11=1`` and ``conformance/commands/shim_site`` first on ``PYTHONPATH``;
the ``sitecustomize`` there installs ``conformance.commands.strict_h11`` in every Python process CMD
starts. The exit status is CMD's. The pytest plugin's ``--h11spec-strict-h11`` does the same inside one
pytest run.
"""

from __future__ import annotations

import argparse
import os
import subprocess
from pathlib import Path

from conformance.errors import UsageError

HELP = "run a command with `import h11` resolving to the RFC-strict reference (strict-h11 for dependents)"
SITE_DIR = Path(__file__).resolve().parent / "shim_site"


def configure(parser: argparse.ArgumentParser) -> None:
    """Add the shim command's arguments."""
    parser.add_argument("argv", nargs=argparse.REMAINDER, metavar="-- CMD", help="the command to run")


def shim_env(base: dict[str, str] | None = None) -> dict[str, str]:
    """``base`` (default: this environment) with strict-h11 switched on for every Python it starts."""
    env = dict(os.environ if base is None else base)
    env["H11SPEC_STRICT_H11"] = "1"
    parts = [str(SITE_DIR), *[p for p in env.get("PYTHONPATH", "").split(os.pathsep) if p]]
    env["PYTHONPATH"] = os.pathsep.join(dict.fromkeys(parts))
    return env


def main(args: argparse.Namespace) -> int:
    """Run the command; returns its exit status."""
    argv = list(args.argv)
    if argv and argv[0] == "--":
        argv = argv[1:]
    if not argv:
        raise UsageError("name the command to run after --, e.g. h11spec shim -- pytest tests/")
    try:
        return subprocess.call(argv, env=shim_env())
    except FileNotFoundError:
        raise UsageError(f"command not found: {argv[0]}") from None
