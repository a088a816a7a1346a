"""One ``h11spec run``: grade implementations, apply the baseline, summarise, decide the exit status.

Theory of operation: ``execute`` runs the catalog (``conformance.runner.run_catalog``) and, unless the
model depth is ``"off"``, the model checker (``conformance.model.run_model``) on every target, and
gathers their ``CaseResult`` rows into one ``RunResult`` together with the run's metadata. Both
producers are looked up by name when called (``catalog_runner`` / ``model_runner`` can be injected, which
is how the self-tests drive this module without the real catalog).

A *baseline* is a previous ``results.json``: every (implementation name, case id) that was a problem
(fail, crash or hang) there is *known*. Known problems are still reported, marked as such, but do not
count toward the exit status; this is the ratchet that lets a project adopt h11spec in CI while any NEW
failure fails the build. ``exit_status`` is 0 when no MUST-level case fails, crashes or hangs (after the
baseline) on any implementation, else 1. Usage errors are ``UsageError`` (exit 2, one line).

``RunResult`` is exactly what ``results.json`` holds (schema in docs/results-schema.md); the report
writers in ``conformance.reports`` read nothing else.
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
import fnmatch
import json
import platform
import sys
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from conformance import __version__
from conformance.errors import UsageError
from conformance.results import CaseResult, ImplInfo
from conformance.verdict import PROFILES, Level, Verdict

if TYPE_CHECKING:
    from conformance.target import Target

SCHEMA_VERSION = 1
"""Version of the results.json layout; bumped on any incompatible change (docs/results-schema.md)."""

MODEL_DEPTHS = ("off", "quick", "ci", "dev", "deep")
DEFAULT_MODEL_DEPTH = "quick"
DEFAULT_REPORT_DIR = Path("reports/latest")

# Verdicts in the order every summary and report lists them.
VERDICT_ORDER: tuple[Verdict, ...] = (
    Verdict.FAIL,
    Verdict.CRASH,
    Verdict.HANG,
    Verdict.WARN,
    Verdict.INFO,
    Verdict.SKIP,
    Verdict.PASS,
)

Progress = Callable[[int, int], None]
CatalogRunner = Callable[..., list[CaseResult]]
ModelRunner = Callable[..., Any]


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


def impl_info(target: Target) -> ImplInfo:
    """The report's view of a loaded target."""
    return ImplInfo(target.name, target.module, target.version, tuple(sorted(target.capabilities)))


def check_profile(profile: str) -> str:
    """Returns ``profile`` if it is known.

    Raises:
        UsageError: it is not one of ``PROFILES``.
    """
    if profile not in PROFILES:
        raise UsageError(f"unknown profile {profile!r}: use one of {', '.join(PROFILES)}")
    return profile


def load_baseline(paths: Iterable[str | Path]) -> frozenset[tuple[str, str]]:
    """The (implementation, case id) pairs that were problems in the given results.json files.

    Returns:
        The union over all files.
    Raises:
        UsageError: a file cannot be read or is not a results.json (the message names the file).
    """
    known: set[tuple[str, str]] = set()
    for path in paths:
        path = Path(path)
        try:
            doc = json.loads(path.read_text(encoding="utf-8"))
            rows = doc["results"]
            if doc.get("schema_version") != SCHEMA_VERSION:
                raise ValueError(f"schema_version {doc.get('schema_version')!r}, expected {SCHEMA_VERSION}")
            for row in rows:
                if Verdict(row["verdict"]).is_problem:
                    known.add((str(row["impl"]), str(row["case_id"])))
        except OSError as exc:
            raise UsageError(
                f"cannot read baseline {path}: {exc.strerror or exc}; pass a results.json"
            ) from None
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            raise UsageError(
                f"baseline {path} is not a results.json of h11spec ({type(exc).__name__}: {exc}); "
                f"regenerate it with h11spec run --report-dir"
            ) from None
    return frozenset(known)


def matches(case_id: str, patterns: Sequence[str]) -> bool:
    """fnmatch of ``case_id`` against any pattern; no patterns selects everything."""
    return not patterns or any(fnmatch.fnmatchcase(case_id, p) for p in patterns)


def may_select_model(patterns: Sequence[str]) -> bool:
    """Whether some id pattern can match a ``model/<invariant>`` id (no patterns: yes).

    A pattern's first segment is matched against "model"; a pattern without "/" (``*split*``) may match
    anything. Rows are filtered exactly afterwards, so erring towards True only costs time.
    """
    return not patterns or any(
        "/" not in p or fnmatch.fnmatchcase("model", p.split("/", 1)[0]) for p in patterns
    )


def select_cases(patterns: Sequence[str] = (), levels: Collection[Level] = ()) -> list[Any]:
    """The catalog cases selected by id patterns and levels (``conformance.cases.select``).

    Raises:
        UsageError: the catalog is not installed (a broken install).
    """
    try:
        from conformance.cases import select  # type: ignore[attr-defined,unused-ignore]
    except ImportError as exc:
        raise UsageError(f"the conformance catalog cannot be imported ({exc}); reinstall h11spec") from None
    cases: list[Any] = select(list(patterns), list(levels))
    return cases


def _default_catalog_runner() -> CatalogRunner:
    from conformance.runner import run_catalog  # type: ignore[import-not-found,unused-ignore]

    runner: CatalogRunner = run_catalog
    return runner


def _default_model_runner() -> ModelRunner:
    from conformance.model import run_model  # type: ignore[import-not-found,attr-defined,unused-ignore]

    runner: ModelRunner = run_model
    return runner


def run_metadata(
    *,
    profile: str,
    seed: int,
    model_depth: str,
    argv: Sequence[str],
    patterns: Sequence[str],
    levels: Collection[Level],
    baseline: Sequence[str | Path],
) -> dict[str, Any]:
    """The ``meta`` block of results.json: the only place a run records time and machine."""
    return {
        "tool": "h11spec",
        "version": __version__,
        "date": _dt.datetime.now(_dt.timezone.utc).replace(microsecond=0).isoformat(),
        "python": platform.python_version(),
        "implementation": platform.python_implementation(),
        "platform": platform.platform(),
        "argv": list(argv),
        "profile": profile,
        "seed": seed,
        "model_depth": model_depth,
        "select": list(patterns),
        "levels": sorted(level.value for level in levels),
        "baseline": [str(p) for p in baseline],
    }


def execute(
    targets: Sequence[Target],
    *,
    profile: str = "rfc9112",
    patterns: Sequence[str] = (),
    levels: Collection[Level] = (),
    model_depth: str = DEFAULT_MODEL_DEPTH,
    seed: int = 0,
    isolated: bool | None = None,
    jobs: int | None = None,
    baseline: Sequence[str | Path] = (),
    argv: Sequence[str] = (),
    model_corpus: Path | None = None,
    progress: Progress | None = None,
    catalog_runner: CatalogRunner | None = None,
    model_runner: ModelRunner | None = None,
    cases: Sequence[Any] | None = None,
) -> RunResult:
    """Grade every target on the selected catalog cases and (unless ``model_depth="off"``) the model.

    The model checker runs only when the id patterns admit ``model/...`` ids; its rows are filtered by
    the same patterns and levels as the catalog.

    Returns:
        The ``RunResult``; nothing is written (see ``conformance.reports.write_reports``).
    Raises:
        UsageError: bad profile or model depth, unreadable baseline, catalog not installed.
    """
    check_profile(profile)
    if model_depth not in MODEL_DEPTHS:
        raise UsageError(f"unknown --model-depth {model_depth!r}: use one of {', '.join(MODEL_DEPTHS)}")
    known = load_baseline(baseline)
    if cases is None:
        cases = select_cases(patterns, levels)
    run_catalog = catalog_runner or _default_catalog_runner()
    results: list[CaseResult] = []
    coverage: dict[str, Any] = {}
    findings: dict[str, list[str]] = {}
    want_model = model_depth != "off" and may_select_model(patterns)
    if not cases and not want_model:
        raise UsageError(
            f"no case matches --select {' '.join(patterns) or '*'} at the levels given; see --list"
        )
    for target in targets:
        if cases:
            results.extend(
                run_catalog(
                    [target],
                    profile=profile,
                    cases=list(cases),
                    isolated=isolated,
                    jobs=jobs,
                    progress=progress,
                )
            )
        if want_model:
            run_model = model_runner or _default_model_runner()
            report = run_model(target, profile=profile, depth=model_depth, seed=seed, corpus_dir=model_corpus)
            rows = [
                r
                for r in report.results
                if matches(r.case_id, patterns) and (not levels or r.level in levels)
            ]
            results.extend(rows)
            coverage[target.name] = report.coverage
            findings[target.name] = [str(p) for p in report.findings]
    meta = run_metadata(
        profile=profile,
        seed=seed,
        model_depth=model_depth,
        argv=argv,
        patterns=patterns,
        levels=levels,
        baseline=baseline,
    )
    return RunResult(
        meta=meta,
        impls=[impl_info(t) for t in targets],
        results=results,
        known=known,
        model_coverage=coverage,
        model_findings=findings,
    )


def counted_problems(run: RunResult) -> list[CaseResult]:
    """The rows that decide the exit status: MUST-level fail/crash/hang not known from the baseline."""
    return [r for r in run.results if r.level is Level.MUST and r.verdict.is_problem and not run.is_known(r)]


def exit_status(run: RunResult) -> int:
    """0 when no MUST-level case fails, crashes or hangs after the baseline; 1 otherwise."""
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


def default_argv() -> list[str]:
    """The command line as the user typed it, for the metadata."""
    return ["h11spec", *sys.argv[1:]]
