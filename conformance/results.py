"""Result records shared by the catalog runner, the model checker and the report writers.

Theory of operation: every producer of verdicts (``conformance.runner`` for catalog cases,
``conformance.model`` for model-checker invariants, ``fuzz`` replay for corpus entries) emits
``CaseResult`` rows; a whole invocation of ``h11spec run`` is one ``RunResult``. The report writers
(``conformance.reports``) read only these records, so they never need to know where a row came from.
Both records round-trip through plain JSON-able dicts (bytes as base64), which is the documented
``results.json`` schema.
"""

from __future__ import annotations

import base64
import dataclasses
from collections.abc import Mapping
from typing import Any

from conformance.verdict import Level, Verdict


@dataclasses.dataclass(frozen=True)
class CaseResult:
    """The verdict of one case (or model-checker invariant) on one implementation."""

    case_id: str  # stable id, "<rfc>/<section>/<slug>", e.g. "9112/6.1/cl-te-both-must-close"
    rfc: str  # human form of the section, e.g. "RFC 9112 §6.1"
    level: Level
    sentence: str  # the RFC sentence the case checks
    impl: str  # the implementation's display name (the --impl value)
    verdict: Verdict
    message: str  # one line: why this verdict
    expected: str  # human-readable expected outcome(s)
    observed: str  # human-readable observed outcome
    input: bytes = b""  # the wire bytes fed (empty for pure event scripts)
    script: str = ""  # for event-script cases: the script, one step per line
    source: str = "catalog"  # "catalog", "model" or "corpus"
    vectors: tuple[int, ...] = ()  # row numbers of ../shared/vectors.md this case covers
    role: str = ""  # "client" or "server": the role of the implementation under test
    duration: float = 0.0  # seconds spent on this case (all split variants)

    @property
    def section(self) -> str:
        """The RFC and section part of the id, e.g. "9112/6.1"."""
        return self.case_id.rsplit("/", 1)[0]

    def to_json(self) -> dict[str, Any]:
        """A JSON-able dict; ``input`` appears both base64-encoded and escaped for people."""
        row = dataclasses.asdict(self)
        row["level"] = self.level.value
        row["verdict"] = self.verdict.value
        row["input"] = base64.b64encode(self.input).decode("ascii")
        row["input_escaped"] = escape_bytes(self.input)
        row["vectors"] = list(self.vectors)
        return row

    @classmethod
    def from_json(cls, row: Mapping[str, Any]) -> CaseResult:
        """Inverse of ``to_json``; unknown keys are ignored so older readers accept newer files."""
        names = {f.name for f in dataclasses.fields(cls)}
        kwargs = {k: v for k, v in row.items() if k in names}
        kwargs["level"] = Level(row["level"])
        kwargs["verdict"] = Verdict(row["verdict"])
        kwargs["input"] = base64.b64decode(row.get("input", ""))
        kwargs["vectors"] = tuple(row.get("vectors", ()))
        return cls(**kwargs)


@dataclasses.dataclass(frozen=True)
class ImplInfo:
    """What a run knew about one implementation under test."""

    name: str  # the --impl value, e.g. "h11", "reference", "pkg.mod:Adapter"
    module: str  # the module actually imported
    version: str
    capabilities: tuple[str, ...]


def escape_bytes(data: bytes) -> str:
    r"""Printable ASCII kept, everything else escaped: ``b"a\r\n"`` -> ``a\r\n``."""
    return data.decode("latin-1").encode("unicode_escape").decode("ascii")
