"""One ``h11spec run``: grade implementations, apply the baseline, summarise, decide the exit status.

Theory of operation: ``execute`` runs the catalog (``conformance.catalog.grade.run_catalog``) and, unless the
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
from collections.abc import Callable, Collection, Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from conformance import __version__
from conformance.commands.checks import catalog_digest, check_selection
from conformance.errors import UsageError
from conformance.results import SCHEMA_VERSION, CaseResult, ImplInfo, RunResult
from conformance.verdict import PROFILES, Level, Verdict

if TYPE_CHECKING:
    from conformance.targets.load import Target

MODEL_DEPTHS = ("off", "quick", "ci", "dev", "deep")
DEFAULT_MODEL_DEPTH = "quick"
DEFAULT_REPORT_DIR = Path("reports/latest")


class Phases(Protocol):
    """What a run tells its watcher: each phase (catalog or model, per implementation) as it goes."""

    def begin(self, phase: str, impl: str, detail: str, total: int | None) -> None:
        """A phase starts; ``detail`` says what it will do, ``total`` counts its steps if known."""

    def advance(self, done: int, total: int) -> None:
        """``done`` of ``total`` steps of the current phase are finished."""

    def note(self, message: str) -> None:
        """Something happened inside the current phase (a model finding)."""

    def end(self, summary: str) -> None:
        """The current phase is over; ``summary`` says what it found."""


CatalogRunner = Callable[..., list[CaseResult]]
ModelRunner = Callable[..., Any]


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
        except FileNotFoundError:
            raise UsageError(
                f"baseline {path} does not exist: to adopt h11spec, run once with --write-baseline {path} "
                f"and commit it; an empty --baseline= means no baseline"
            ) from None
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


def model_ids() -> list[str]:
    """The ids of the model checker's rows: ``model/<invariant>`` and ``model/byte-stream``."""
    from conformance.model.world import INVARIANTS

    return [f"model/{name}" for name in (*INVARIANTS, "byte-stream")]


# The level of every model checker row: an invariant is a MUST of the h11 API's contract.
MODEL_LEVEL = Level.MUST


def may_select_model(patterns: Sequence[str], levels: Collection[Level] = ()) -> bool:
    """Whether the id patterns and levels select some row of the model checker (no patterns: yes)."""
    if levels and MODEL_LEVEL not in levels:
        return False
    return any(matches(model_id, patterns) for model_id in model_ids())


def select_cases(patterns: Sequence[str] = (), levels: Collection[Level] = ()) -> list[Any]:
    """The catalog cases selected by id patterns and levels (``conformance.catalog.cases.select``).

    Raises:
        UsageError: the catalog is not installed (a broken install).
    """
    try:
        from conformance.catalog.cases import select  # type: ignore[attr-defined,unused-ignore]
    except ImportError as exc:
        raise UsageError(f"the conformance catalog cannot be imported ({exc}); reinstall h11spec") from None
    cases: list[Any] = select(list(patterns), list(levels))
    return cases


def catalog_fingerprint() -> str:
    """The fingerprint of the whole installed catalog (``checks.catalog_digest`` of every case id)."""
    return catalog_digest(c.id for c in select_cases())


def _default_catalog_runner() -> CatalogRunner:
    from conformance.catalog.grade import run_catalog  # type: ignore[import-not-found,unused-ignore]

    runner: CatalogRunner = run_catalog
    return runner


def _default_model_runner() -> ModelRunner:
    from conformance.model.check import run_model

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
    catalog: str = "",
) -> dict[str, Any]:
    """The ``meta`` block of results.json: the only place a run records time and machine."""
    return {
        "catalog": catalog,
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


@dataclasses.dataclass(frozen=True)
class RunPlan:
    """What one ``h11spec run`` grades, and how: the command line, parsed (``execute``'s input)."""

    targets: Sequence[Target]
    profile: str = "rfc9112"
    patterns: Sequence[str] = ()  # case id patterns (fnmatch); empty: every case
    levels: Collection[Level] = ()  # requirement levels; empty: every level
    model_depth: str = DEFAULT_MODEL_DEPTH
    seed: int = 0
    isolated: bool | None = None  # None: isolated unless the target is trusted
    jobs: int | None = None  # worker processes of isolated runs
    baseline: Sequence[str | Path] = ()  # results.json files whose problems are known
    argv: Sequence[str] = ()  # the command line, for the metadata
    model_corpus: Path | None = None  # where model findings are saved


def execute(
    plan: RunPlan,
    *,
    phases: Phases | None = None,
    catalog_runner: CatalogRunner | None = None,
    model_runner: ModelRunner | None = None,
    cases: Sequence[Any] | None = None,
) -> RunResult:
    """Grade every target of ``plan`` on the selected catalog cases and (unless its model depth is "off")
    the model checker; measure only: nothing is printed or written (``conformance.reports`` renders).

    The model checker runs only when the id patterns admit ``model/...`` ids; its rows are filtered by
    the same patterns and levels as the catalog. ``phases`` hears of each phase as it begins and ends;
    ``catalog_runner``, ``model_runner`` and ``cases`` stand in for the real engines and catalog (tests).

    Returns:
        The ``RunResult``; nothing is written (see ``conformance.reports.write_reports``).
    Raises:
        UsageError: bad profile or model depth, unreadable baseline, catalog not installed.
    """
    targets, profile, patterns, levels = plan.targets, plan.profile, plan.patterns, plan.levels
    model_depth, seed, isolated, jobs = plan.model_depth, plan.seed, plan.isolated, plan.jobs
    baseline, argv, model_corpus = plan.baseline, plan.argv, plan.model_corpus
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
    want_model = model_depth != "off" and may_select_model(patterns, levels)
    if not cases and not want_model:
        check_selection(0, patterns, levels)
    if not targets:
        raise UsageError("no implementation to grade: name one with --impl")
    watch: Phases = phases or _Silent()
    for target in targets:
        if cases:
            watch.begin("catalog", target.name, f"{len(cases)} cases", len(cases))
            rows = run_catalog(
                [target],
                profile=profile,
                cases=list(cases),
                isolated=isolated,
                jobs=jobs,
                progress=watch.advance,
            )
            results.extend(rows)
            watch.end(verdict_counts(rows))
        if want_model:
            run_model = model_runner or _default_model_runner()
            watch.begin("model", target.name, model_plan(model_depth), None)
            report = run_model(
                target,
                profile=profile,
                depth=model_depth,
                seed=seed,
                corpus_dir=model_corpus,
                progress=watch.note,
                isolated=isolated,
            )
            rows = [
                r
                for r in report.results
                if matches(r.case_id, patterns) and (not levels or r.level in levels)
            ]
            results.extend(rows)
            coverage[target.name] = report.coverage
            findings[target.name] = [str(p) for p in report.findings]
            watch.end(f"{len(report.results)} invariants checked: " + verdict_counts(report.results))
    meta = run_metadata(
        profile=profile,
        seed=seed,
        model_depth=model_depth,
        argv=argv,
        patterns=patterns,
        levels=levels,
        baseline=baseline,
        catalog=catalog_fingerprint(),
    )
    return RunResult(
        meta=meta,
        impls=[impl_info(t) for t in targets],
        results=results,
        known=known,
        model_coverage=coverage,
        model_findings=findings,
    )


def default_argv() -> list[str]:
    """The command line as the user typed it, for the metadata."""
    return ["h11spec", *sys.argv[1:]]


class _Silent:
    """A watcher that shows nothing."""

    def begin(self, phase: str, impl: str, detail: str, total: int | None) -> None:
        """Nothing."""

    def advance(self, done: int, total: int) -> None:
        """Nothing."""

    def note(self, message: str) -> None:
        """Nothing."""

    def end(self, summary: str) -> None:
        """Nothing."""


def verdict_counts(rows: Iterable[CaseResult]) -> str:
    """``"490 pass, 3 fail, 10 skip"``: the verdicts of ``rows``, most common first."""
    counts: dict[str, int] = {}
    for row in rows:
        counts[row.verdict.value] = counts.get(row.verdict.value, 0) + 1
    ordered = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    return ", ".join(f"{n} {v}" for v, n in ordered) or "nothing graded"


def model_plan(depth: str) -> str:
    """What the model checker will do at ``depth``: examples, steps and the invariants it checks."""
    from conformance.model.check import DEPTHS
    from conformance.model.world import INVARIANTS

    examples, steps, byte_examples = DEPTHS[depth]
    return (
        f"depth {depth}: {examples} examples of up to {steps} steps, invariants {', '.join(INVARIANTS)}; "
        f"{byte_examples} byte-stream examples"
    )
