"""Result records shared by the catalog runner, the model checker and the report writers.

Theory of operation: every producer of verdicts (``conformance.catalog.grade`` for catalog cases,
``conformance.model`` for model-checker invariants, ``fuzz`` replay for corpus entries) emits
``CaseResult`` rows; a whole invocation of ``h11spec run`` is one ``RunResult``. The report writers
(``conformance.reports``) read only these records, so they never need to know where a row came from.
Both records round-trip through plain JSON-able dicts (bytes as base64), which is the documented
``results.json`` schema.
"""

from __future__ import annotations

import base64
import dataclasses
from collections import Counter
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
    vectors: tuple[int, ...] = ()  # row numbers of docs/vectors.md this case covers
    role: str = ""  # "client" or "server": the role of the implementation under test
    duration: float = 0.0  # seconds spent on this case (all split variants)
    # (choice point id, alternative) the implementation took in this case (README "Choice points").
    choices: tuple[tuple[str, str], ...] = ()

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
        row["choices"] = [list(pair) for pair in self.choices]
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
        kwargs["choices"] = tuple((str(cid), str(alt)) for cid, alt in row.get("choices", ()))
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


SCHEMA_VERSION = 1
"""Version of the results.json layout; bumped on any incompatible change (docs/results-schema.md)."""

# Verdicts in the order every summary and report lists them.
VERDICT_ORDER: tuple[Verdict, ...] = (
    Verdict.FAIL,
    Verdict.CRASH,
    Verdict.HANG,
    Verdict.WARN,
    Verdict.INFO,
    Verdict.SKIP,
    Verdict.PASS,
    Verdict.HARNESS,  # last: not a verdict about the implementation
)


@dataclasses.dataclass
class RunResult:
    """Everything one ``h11spec run`` produced: the content of results.json."""

    meta: dict[str, Any]
    impls: list[ImplInfo]
    results: list[CaseResult]
    known: frozenset[tuple[str, str]] = frozenset()  # (impl, case_id) problems found in the baseline
    model_coverage: dict[str, Any] = dataclasses.field(default_factory=dict)  # impl -> coverage table
    model_findings: dict[str, list[str]] = dataclasses.field(default_factory=dict)  # impl -> entry paths

    def is_known(self, row: CaseResult) -> bool:
        """True when ``row`` is a problem the baseline already had for the same implementation."""
        return row.verdict.is_problem and (row.impl, row.case_id) in self.known

    def fingerprint(self, impl: str) -> dict[str, str]:
        """The alternative ``impl`` took at each choice point the catalog observed (README "Choice
        points"); ``"mixed: a, b"`` when cases saw it take different ones."""
        seen: dict[str, set[str]] = {}
        for r in self.results:
            if r.impl == impl:
                for cid, alternative in r.choices:
                    seen.setdefault(cid, set()).add(alternative)
        return {
            cid: alts.pop() if len(alts) == 1 else "mixed: " + ", ".join(sorted(alts))
            for cid, alts in sorted(seen.items())
        }

    def counts(self, impl: str) -> Counter[Verdict]:
        """How many rows of ``impl`` got each verdict."""
        return Counter(r.verdict for r in self.results if r.impl == impl)

    def to_json(self) -> dict[str, Any]:
        """The results.json document (docs/results-schema.md)."""
        rows = []
        for r in self.results:
            row = r.to_json()
            row["known"] = self.is_known(r)
            rows.append(row)
        return {
            "schema_version": SCHEMA_VERSION,
            "meta": self.meta,
            "implementations": [
                dataclasses.asdict(i) | {"capabilities": list(i.capabilities)} for i in self.impls
            ],
            "totals": {
                i.name: {v.value: self.counts(i.name).get(v, 0) for v in VERDICT_ORDER} for i in self.impls
            },
            "results": rows,
            "fingerprints": {i.name: self.fingerprint(i.name) for i in self.impls},
            "model_coverage": self.model_coverage,
            "model_findings": self.model_findings,
        }

    @classmethod
    def from_json(cls, doc: Mapping[str, Any]) -> RunResult:
        """Inverse of ``to_json``.

        Raises:
            ValueError, KeyError, TypeError: the document is not a results.json this version can read.
        """
        version = doc.get("schema_version")
        if version != SCHEMA_VERSION:
            raise ValueError(f"schema_version {version!r}, expected {SCHEMA_VERSION}")
        impls = [
            ImplInfo(i["name"], i["module"], i["version"], tuple(i["capabilities"]))
            for i in doc["implementations"]
        ]
        results = [CaseResult.from_json(row) for row in doc["results"]]
        known = frozenset((row["impl"], row["case_id"]) for row in doc["results"] if row.get("known"))
        return cls(
            meta=dict(doc["meta"]),
            impls=impls,
            results=results,
            known=known,
            model_coverage=dict(doc.get("model_coverage", {})),
            model_findings={k: list(v) for k, v in doc.get("model_findings", {}).items()},
        )


def counted_problems(run: RunResult) -> list[CaseResult]:
    """The rows that decide the exit status: MUST-level fail/crash/hang not known from the baseline."""
    return [r for r in run.results if r.level is Level.MUST and r.verdict.is_problem and not run.is_known(r)]


EXIT_HARNESS = 3  # the exit status of a run in which the harness's own code failed


def exit_status(run: RunResult) -> int:
    """3 when any row is a harness error (whatever the rest says); else 0 when no MUST-level case fails,
    crashes or hangs after the baseline, 1 otherwise."""
    if any(r.verdict is Verdict.HARNESS for r in run.results):
        return EXIT_HARNESS
    return 1 if counted_problems(run) else 0


def _one_line(text: str, limit: int = 160) -> str:
    line = " ".join(text.split())
    return line if len(line) <= limit else line[: limit - 1] + "…"


def summary_lines(run: RunResult) -> list[str]:
    """The text summary printed at the end of a run (also the start of summary.md's content).

    Per implementation: counts per verdict, counts per RFC section (non-zero verdicts only), then
    every non-pass row with its id and one line, known baseline problems marked ``[known]``.
    """
    lines: list[str] = []
    for impl in run.impls:
        rows = [r for r in run.results if r.impl == impl.name]
        counts = run.counts(impl.name)
        total = ", ".join(f"{counts[v]} {v.value}" for v in VERDICT_ORDER if counts[v])
        lines.append(
            f"== {impl.name} {impl.version} ({run.meta.get('profile', '?')}): "
            f"{len(rows)} results: {total or 'none'}"
        )
        by_section: dict[str, Counter[Verdict]] = {}
        for r in rows:
            by_section.setdefault(r.section, Counter())[r.verdict] += 1
        width = max((len(s) for s in by_section), default=0)
        for section in sorted(by_section, key=_section_key):
            c = by_section[section]
            lines.append(
                f"   {section:<{width}}  " + "  ".join(f"{v.value} {c[v]}" for v in VERDICT_ORDER if c[v])
            )
        for r in rows:
            if r.verdict is Verdict.PASS:
                continue
            mark = " [known]" if run.is_known(r) else ""
            lines.append(
                f"   {r.verdict.value.upper():<5} {r.level.value:<6} {r.case_id}{mark}: "
                f"{_one_line(r.message)}"
            )
    fixed = sorted(
        {
            (r.impl, r.case_id)
            for r in run.results
            if not r.verdict.is_problem and (r.impl, r.case_id) in run.known
        }
    )
    for name, cid in fixed:
        lines.append(f"fixed since the baseline: {name} {cid} (update the baseline to lock it in)")
    counted = counted_problems(run)
    known = sum(1 for r in run.results if run.is_known(r))
    verdict = "FAILED" if counted else "OK"
    extra = f" ({known} known from the baseline not counted)" if known else ""
    lines.append(f"{verdict}: {len(counted)} MUST-level fail/crash/hang{extra}")
    return lines


def _section_key(section: str) -> tuple[Any, ...]:
    """Sort "9112/6.10" after "9112/6.9": numeric parts compare as numbers."""
    parts: list[Any] = []
    for piece in section.replace("/", ".").split("."):
        parts.append((0, int(piece), "") if piece.isdigit() else (1, 0, piece))
    return tuple(parts)
