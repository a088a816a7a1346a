"""The h11spec pytest plugin: ``pytest --h11spec-impl NAME`` runs the catalog as pytest items.

Theory of operation: the plugin is registered under the ``pytest11`` entry point, so it is loaded by every
pytest run in an environment where h11spec is installed, ours included; it therefore does nothing at all
unless ``--h11spec-impl`` is given. Then, after normal collection, it appends one item per catalog case
(per implementation) whose name is the case id (``9112/6.1/cl-te-both-must-close``, or
``9112/6.1/cl-te-both-must-close[h11]`` when several implementations are named), so ``-k``, ``-m h11spec``,
``--junitxml`` and pytest-xdist's ``-n`` work as users expect: every xdist worker builds the same list, in
catalog order. The options are prefixed ``--h11spec-`` because a bare ``--impl`` would clash with any
project (or conftest) that already defines it; the plugin is loaded everywhere and must not break them.

Each item grades its case with ``conformance.catalog.grade.run_catalog`` (a trusted target in process,
one case per call; an isolated target once for the whole selection, on its first item, so that worker
processes start once per pytest process rather than once per case) and maps the verdict onto pytest:

======================  ====================================================================
verdict                 pytest outcome
======================  ====================================================================
pass, info              passed (info adds the user property ``h11spec-info`` with the reason)
fail, crash, hang       failed, if the case is MUST-level; otherwise xfailed with the reason
warn (SHOULD not met)   xfailed with the reason ("x" in the progress line, listed by ``-rx``)
skip                    skipped with the capability reason
harness-error           failed, saying the harness failed (not the implementation)
======================  ====================================================================

``--h11spec-strict-h11`` is the other use, for projects built on h11: from before the first conftest is
imported, ``import h11`` (and ``h11._connection``, ``h11._headers``, ...) gives the RFC-strict reference
(``conformance.commands.strict_h11``), so the project's own tests show where it relies on h11's
leniencies. ``$H11SPEC_STRICT_H11=1`` does the same (it is how ``h11spec shim`` reaches pytest too).

xfail was chosen over a warning for SHOULD-level shortfalls because it cannot fail a run that uses
``-W error`` (ours does), yet stays visible in the terminal summary and in JUnit (as a skipped test).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import Any

import pytest

from conformance.verdict import PROFILES, Level, Verdict

MARKER = "h11spec"


def catalog_api() -> tuple[Callable[..., list[Any]], Callable[..., list[Any]]]:
    """The catalog's ``select`` and the runner's ``run_catalog`` (a seam the self-tests replace)."""
    from conformance.catalog.cases import select  # type: ignore[attr-defined,unused-ignore]
    from conformance.catalog.grade import run_catalog

    return select, run_catalog


def pytest_addoption(parser: pytest.Parser) -> None:
    """Register the --h11spec-* options (inert unless --h11spec-impl is given)."""
    group = parser.getgroup("h11spec", "h11spec conformance catalog")
    group.addoption(
        "--h11spec-impl",
        action="append",
        default=[],
        dest="h11spec_impl",
        metavar="NAME",
        help="collect the h11spec catalog as test items for this implementation "
        "('reference', 'h11', a module, or 'package.module:Adapter'); repeatable",
    )
    group.addoption(
        "--h11spec-profile",
        default="rfc9112",
        choices=PROFILES,
        dest="h11spec_profile",
        help="grading contract for the catalog items (default rfc9112)",
    )
    group.addoption(
        "--h11spec-strict-h11",
        action="store_true",
        dest="h11spec_strict_h11",
        help="make `import h11` (and its private modules) give h11spec's RFC-strict reference in this run",
    )
    group.addoption(
        "--h11spec-in-process",
        action="store_true",
        dest="h11spec_in_process",
        help="run even untrusted implementations in the pytest process (faster, no hang protection)",
    )


def _strict_wanted(config: pytest.Config) -> bool:
    import os

    from conformance.commands.strict_h11 import ENV_VAR

    flag = bool(getattr(config.known_args_namespace, "h11spec_strict_h11", False))
    return flag or os.environ.get(ENV_VAR, "").strip() not in ("", "0")


@pytest.hookimpl(tryfirst=True)
def pytest_load_initial_conftests(early_config: pytest.Config) -> None:
    """Install strict-h11 before any conftest (or test module) can import h11."""
    if _strict_wanted(early_config):
        from conformance.commands.strict_h11 import install

        install()


class _State:
    """Per-session plugin state: the loaded targets, by name."""

    def __init__(self, config: pytest.Config) -> None:
        from conformance.errors import UsageError
        from conformance.targets.load import resolve_impls

        self.profile: str = config.getoption("h11spec_profile")
        self.isolated: bool | None = False if config.getoption("h11spec_in_process") else None
        from conformance.commands.checks import check_impl_values

        try:
            check_impl_values(config.getoption("h11spec_impl"), "--h11spec-impl")
            self.targets = {t.name: t for t in resolve_impls(config.getoption("h11spec_impl"))}
        except UsageError as exc:  # one line and exit 2, as the CLI does
            pytest.exit(f"--h11spec-impl: {exc}", returncode=2)
        self.graded: dict[tuple[str, str], Any] = {}  # (impl, case id) -> CaseResult, for batched targets

    def batched(self, impl: str) -> bool:
        """Whether ``impl`` runs in worker processes, where one catalog call per item would be slow."""
        return self.isolated is True or (self.isolated is None and not self.targets[impl].trusted)

    def grade(self, item: CaseItem) -> Any:
        """The CaseResult of ``item``: graded alone in process, or with the whole selection when isolated.

        An isolated target gets one ``run_catalog`` call for every selected item of that target in this
        process (a worker pool starts once, not per item); under xdist each worker grades the selection
        once and reports its share of the items.
        """
        _, run_catalog = catalog_api()
        target = self.targets[item.impl]
        if not self.batched(item.impl):
            [row] = run_catalog(
                [target], profile=self.profile, cases=[item.case], isolated=self.isolated, jobs=1
            )
            return row
        key = (item.impl, item.case.id)
        if key not in self.graded:
            mine = [i.case for i in item.session.items if isinstance(i, CaseItem) and i.impl == item.impl]
            if item.case not in mine:
                mine.append(item.case)
            rows = run_catalog([target], profile=self.profile, cases=mine, isolated=self.isolated)
            self.graded.update({(item.impl, row.case_id): row for row in rows})
        return self.graded.pop(key)


_STATE = pytest.StashKey[_State]()


def pytest_configure(config: pytest.Config) -> None:
    """Register the marker; load the implementations when --h11spec-impl is given."""
    config.addinivalue_line("markers", f"{MARKER}: an h11spec conformance catalog case (--h11spec-impl)")
    for level in Level:
        config.addinivalue_line(
            "markers", f"{MARKER}_{level.value.lower()}: an h11spec case of level {level.value}"
        )
    if config.getoption("h11spec_impl", default=None):
        config.stash[_STATE] = _State(config)


class CaseFailed(Exception):
    """A MUST-level case failed, crashed or hung; the message is the full explanation."""


class CatalogCollector(pytest.Collector):
    """The parent of every catalog item: one per session."""

    def collect(self) -> Iterator[CaseItem]:
        """One item per case per implementation, in catalog order."""
        state = self.config.stash[_STATE]
        select, _ = catalog_api()
        many = len(state.targets) > 1
        for case in select():
            for name in state.targets:
                item_name = f"{case.id}[{name}]" if many else case.id
                yield CaseItem.from_parent(self, name=item_name, case=case, impl=name)


class CaseItem(pytest.Item):
    """One catalog case graded on one implementation."""

    def __init__(self, *, case: Any, impl: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.case = case
        self.impl = impl
        self.add_marker(MARKER)
        level = getattr(case.level, "value", str(case.level))
        self.add_marker(getattr(pytest.mark, f"h11spec_{level.lower()}"))
        self.keywords[level] = True

    def runtest(self) -> None:
        """Grade the case and turn the verdict into a pytest outcome (see the module docstring)."""
        row = self.config.stash[_STATE].grade(self)
        self.user_properties.append(("h11spec-verdict", row.verdict.value))
        verdict: Verdict = row.verdict
        if verdict is Verdict.HARNESS:
            raise CaseFailed(f"harness error, no verdict on the implementation: {row.message}")
        if verdict is Verdict.SKIP:
            pytest.skip(f"{self.name}: {row.message}")
        if verdict.is_problem and row.level is Level.MUST:
            raise CaseFailed(_explain(row))
        if verdict.is_problem or verdict is Verdict.WARN:
            pytest.xfail(f"{verdict.value} ({row.level.value}): {row.message}")
        if verdict is Verdict.INFO:
            self.user_properties.append(("h11spec-info", row.message))

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None) -> str:
        """The case's explanation instead of a traceback into the plugin."""
        if isinstance(excinfo.value, CaseFailed):
            return str(excinfo.value)
        return str(super().repr_failure(excinfo))

    def reportinfo(self) -> tuple[Any, int | None, str]:
        """Where the item "lives": the catalog, under its case id."""
        return self.path, None, f"h11spec {self.name}"


def _explain(row: Any) -> str:
    lines = [
        f"{row.verdict.value.upper()} {row.level.value} {row.case_id} on {row.impl}: {row.message}",
        f"{row.rfc}: {row.sentence}",
        f"expected: {row.expected}",
        f"observed: {row.observed}",
    ]
    if row.input:
        from conformance.results import escape_bytes

        lines.append(f"input: {escape_bytes(row.input)}")
    if row.script:
        lines.append("script:\n" + row.script)
    return "\n".join(lines)


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(
    session: pytest.Session, config: pytest.Config, items: list[pytest.Item]
) -> None:
    """Append the catalog items before -k/-m deselection runs (hence tryfirst)."""
    if _STATE not in config.stash:
        return
    collector = CatalogCollector.from_parent(session, name="h11spec", nodeid="h11spec")
    added: list[pytest.Item | pytest.Collector] = list(collector.collect())
    items.extend(item for item in added if isinstance(item, pytest.Item))
    # Items added here bypass the collection reports the terminal counts ("collected N items") and the
    # exit status relies on; report them like a collector would.
    config.hook.pytest_collectreport(report=pytest.CollectReport(collector.nodeid, "passed", None, added))


def pytest_report_header(config: pytest.Config) -> Sequence[str] | None:
    """One header line naming what the catalog grades, when active."""
    lines = []
    from conformance.commands.strict_h11 import installed

    if installed():
        lines.append("h11spec: strict-h11: `import h11` gives the strict reference, conformance.reference")
    if _STATE not in config.stash:
        return lines or None
    state = config.stash[_STATE]
    impls = ", ".join(f"{t.name} {t.version}" for t in state.targets.values())
    return [*lines, f"h11spec: catalog on {impls}, profile {state.profile}"]
