"""The ``h11spec`` command line.

Theory of operation: one table maps each subcommand to the module that implements it. A command
module exposes ``HELP`` (one line), ``configure(parser)`` to add its arguments, and ``main(args)``
returning the exit status, and optionally ``outputs(args)``, the files and directories it will write.
Before ``main`` runs, ``conformance.commands.checks.check_command`` rejects blank ``--impl`` values and
outputs that cannot be written, so no command starts work it cannot finish. Command modules import their
heavy machinery inside ``main`` so that ``h11spec --help`` stays fast. A ``UsageError`` anywhere becomes
one line on stderr and exit 2; never a traceback. The current directory is searched last for ``--impl``
modules (as ``python -m`` would, but never ahead of installed packages), so ``--impl mymod`` finds
``mymod.py`` beside the command, in tox as in a shell.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence

from conformance import __version__
from conformance.commands.checks import check_command
from conformance.errors import UsageError

COMMANDS: dict[str, str] = {
    "run": "conformance.commands.run",
    "probe": "conformance.commands.probe",
    "model": "conformance.commands.model",
    "fuzz": "conformance.commands.fuzz",
    "corpus": "conformance.commands.corpus",
    "bench": "conformance.commands.bench",
    "requirements": "conformance.commands.requirements",
    "shim": "conformance.commands.shim",
    "mutate": "conformance.commands.mutate",
}


def build_parser() -> argparse.ArgumentParser:
    """The full argument parser, one subparser per entry of ``COMMANDS`` that is installed."""
    parser = argparse.ArgumentParser(
        prog="h11spec",
        description="Conformance and fuzzing harness for implementations of the h11 API.",
    )
    parser.add_argument("--version", action="version", version=f"h11spec {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for name, module_name in COMMANDS.items():
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name != module_name:
                raise
            continue  # a command not built yet is simply absent from --help
        command = sub.add_parser(name, help=module.HELP, description=module.HELP)
        module.configure(command)
        command.set_defaults(_main=module.main, _outputs=getattr(module, "outputs", None))
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the console script; returns the process exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if os.getcwd() not in sys.path and "" not in sys.path:
        sys.path.append(os.getcwd())
    try:
        check_command(args, args._outputs)
        status: int = args._main(args)
    except UsageError as exc:
        print(f"h11spec {args.command}: error: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # output piped into head or less, which closed early
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141
    except KeyboardInterrupt:
        print(f"h11spec {args.command}: interrupted", file=sys.stderr)
        return 130
    return status


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
