"""The harness's own error taxonomy.

Theory of operation: an implementation's ``ProtocolError`` is a legitimate, *expected* outcome of a
case and never appears here. These classes are for faults of the harness or of the way it was called.
``UsageError`` is what a user can fix (a bad ``--impl``, a corrupt corpus file, a bad flag): the CLI
prints its message as one line and exits 2, never a traceback. ``HarnessError`` is also a
``TypeError`` subclass, as in Hypothesis, so that a broken case definition is never mistaken for an
implementation bug by a broad ``except Exception``.
"""

from __future__ import annotations


class HarnessError(TypeError):
    """A bug in a case, a strategy or the harness itself, never in the implementation under test."""


class UsageError(Exception):
    """Something the user can fix; the message is one line that says what to do."""


# The internal attribute a reference error carries the rule it was raised under in
# (conformance.reference.rejections). Here, in the core, so that reading it (conformance.drive) does not
# import the reference: the fuzz entry point must import the reference under atheris's instrumentation.
RULE_ATTRIBUTE = "_h11spec_rule"


def rule_of(error: BaseException) -> str | None:
    """The rule a reference error was raised under (``RULE_ATTRIBUTE``), or None (not the reference's, or
    untagged)."""
    rule = getattr(error, RULE_ATTRIBUTE, None)
    return rule if isinstance(rule, str) else None


class CorpusError(UsageError):
    """A corpus file that cannot be read or parsed; the message names the file."""
