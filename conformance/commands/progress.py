"""Showing a run's phases: a labelled live bar on a terminal, one plain line per phase event elsewhere.

Theory of operation: ``h11spec run`` grades in phases (the catalog, then the model checker, per
implementation); ``h11spec fuzz`` runs one campaign per target. A watcher (``conformance.commands.session.
Phases``) hears when a phase begins (with what it will do: a case count, the model's examples and
invariants), how far it is, what it noticed, and how it ended. ``watcher(stream)`` picks the display:
``RichPhases`` on a terminal (one labelled bar per phase, replaced by a line when it ends), ``PlainPhases``
otherwise (CI logs: a line when a phase begins, a line per note, a line when it ends, never a bar).
Everything goes to stderr so that stdout stays the command's result.
"""

from __future__ import annotations

import sys
import time
from typing import Any, TextIO

PREFIX = "h11spec"


class PlainPhases:
    """One line per phase event, flushed at once (a CI log shows it as it happens)."""

    def __init__(self, stream: TextIO | None = None) -> None:
        self.stream = stream if stream is not None else sys.stderr
        self.label = ""
        self.started = 0.0

    def __enter__(self) -> PlainPhases:
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def line(self, text: str) -> None:
        """Print ``text`` as one line under the current phase's label."""
        print(f"{PREFIX}: {self.label}: {text}" if self.label else f"{PREFIX}: {text}", file=self.stream)
        self.stream.flush()

    def begin(self, phase: str, impl: str, detail: str, total: int | None) -> None:
        """A line naming the phase, the implementation and what it will do."""
        self.label = f"{phase} on {impl}"
        self.started = time.monotonic()
        self.line(detail)

    def advance(self, done: int, total: int) -> None:
        """Nothing: a CI log wants no progress ticks."""

    def note(self, message: str) -> None:
        """A line for something the phase noticed."""
        self.line(message)

    def end(self, summary: str) -> None:
        """A line with the time taken and the outcome."""
        self.line(f"done in {time.monotonic() - self.started:.1f} s: {summary}")
        self.label = ""


class RichPhases(PlainPhases):
    """A labelled bar (or spinner, when the phase has no step count) per phase, on a terminal."""

    def __init__(self, stream: TextIO | None = None) -> None:
        import rich.console
        import rich.progress

        super().__init__(stream)
        self.console = rich.console.Console(file=self.stream)
        self.bar = rich.progress.Progress(
            rich.progress.SpinnerColumn(),
            rich.progress.TextColumn("[bold]{task.description}"),
            rich.progress.BarColumn(),
            rich.progress.MofNCompleteColumn(),
            rich.progress.TimeElapsedColumn(),
            console=self.console,
            transient=True,
        )
        self.task: Any = None

    def __enter__(self) -> RichPhases:
        self.bar.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.bar.stop()

    def line(self, text: str) -> None:
        """A line above the bar."""
        self.bar.console.print(f"{PREFIX}: {self.label}: {text}", highlight=False, markup=False)

    def begin(self, phase: str, impl: str, detail: str, total: int | None) -> None:
        """A new bar labelled with the phase and implementation."""
        super().begin(phase, impl, detail, total)
        self.task = self.bar.add_task(self.label, total=total)

    def advance(self, done: int, total: int) -> None:
        """Move the bar."""
        if self.task is not None:
            self.bar.update(self.task, completed=done, total=total)

    def end(self, summary: str) -> None:
        """Replace the bar by the phase's closing line."""
        if self.task is not None:
            self.bar.remove_task(self.task)
            self.task = None
        super().end(summary)


def watcher(stream: TextIO | None = None) -> PlainPhases:
    """``RichPhases`` when ``stream`` (default stderr) is a terminal, else ``PlainPhases``."""
    stream = stream if stream is not None else sys.stderr
    return RichPhases(stream) if stream.isatty() else PlainPhases(stream)
