"""Fake catalog cases, runners and targets for the self-tests of ``h11spec run`` and the reports.

The fakes stand in for ``catalog.grade.run_catalog`` and ``model.run_model`` so that the
baseline, exit-status and report logic is tested on its own; the verdict each fake case gets is part of the
test's input (a planted outcome), never something the test then merely echoes back.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from conformance.results import CaseResult, ImplInfo, RunResult
from conformance.targets.load import Target
from conformance.verdict import Level, Verdict


@dataclasses.dataclass(frozen=True)
class FakeCase:
    """The two fields of a catalog case that ``h11spec run`` itself reads."""

    id: str
    level: Level = Level.MUST


def target(name: str) -> Target:
    """A hand-built target that no fake runner ever calls into."""
    return Target(name, None, f"fake.{name}", "1.0", frozenset({"parse-requests"}))


def result(
    case_id: str,
    verdict: Verdict,
    *,
    impl: str = "fake",
    level: Level = Level.MUST,
    data: bytes = b"GET / HTTP/1.1\r\n\r\n",
    message: str = "",
    source: str = "catalog",
) -> CaseResult:
    """One verdict row with readable defaults."""
    return CaseResult(
        case_id=case_id,
        rfc="RFC 9112 §" + case_id.split("/")[1] if case_id.count("/") == 2 else "model",
        level=level,
        sentence=f"The sentence that {case_id} checks.",
        impl=impl,
        verdict=verdict,
        message=message or f"{verdict.value} on {case_id}",
        expected="reject RemoteProtocolError (400)",
        observed="accept Request",
        input=data,
        source=source,
        role="server",
        duration=0.001,
    )


def catalog_runner(planted: Mapping[tuple[str, str], Verdict]) -> Any:
    """A ``run_catalog`` stand-in that gives each (impl, case id) the planted verdict (pass if absent)."""

    def run_catalog(targets: Sequence[Target], *, cases: Sequence[FakeCase], **_: Any) -> list[CaseResult]:
        return [
            result(c.id, planted.get((t.name, c.id), Verdict.PASS), impl=t.name, level=c.level)
            for t in targets
            for c in cases
        ]

    return run_catalog


@dataclasses.dataclass
class FakeModelReport:
    """What ``run_model`` returns, reduced to what ``h11spec run`` reads."""

    results: list[CaseResult]
    coverage: dict[str, Any]
    findings: list[Path]


def model_runner(planted: Mapping[str, Verdict], calls: list[tuple[str, str]]) -> Any:
    """A ``run_model`` stand-in with one row per planted invariant; records (impl, depth) of each call."""

    def run_model(target: Target, *, depth: str, **_: Any) -> FakeModelReport:
        calls.append((target.name, depth))
        rows = [result(f"model/{name}", v, impl=target.name, source="model") for name, v in planted.items()]
        return FakeModelReport(rows, {"transitions": {"IDLE->SEND_BODY": 3}}, [])

    return run_model


def run_of(rows: Sequence[CaseResult], *, known: frozenset[tuple[str, str]] = frozenset()) -> RunResult:
    """A RunResult holding ``rows``, with one ImplInfo per implementation named in them."""
    names = list(dict.fromkeys(r.impl for r in rows))
    return RunResult(
        meta={
            "profile": "rfc9112",
            "version": "0.1.0",
            "python": "3",
            "date": "2026-01-01T00:00:00+00:00",
            "model_depth": "off",
        },
        impls=[ImplInfo(n, f"fake.{n}", "1.0", ("parse-requests",)) for n in names],
        results=list(rows),
        known=known,
    )
