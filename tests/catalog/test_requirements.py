"""The requirement table: read from the RFC sources, classified once, naming real cases, documented.

The sources are not part of the repository: the tests that re-extract read them from ``$H11SPEC_RFC_DIR``,
else from ``shared/rfc`` beside the checkout, where CI puts them (README, "Requirement coverage"); without
them those tests are skipped, with the reason.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest

from conformance.catalog.cases import CATALOG
from conformance.catalog.coverage import cited_sections, in_scope, missing, tallies
from conformance.catalog.requirements import CHOICE, KINDS, REASONS, REQUIREMENTS, Requirement, choice_points
from conformance.catalog.rfc import extract
from conformance.commands import cli
from conformance.commands.requirements import markdown

ROOT = Path(__file__).resolve().parents[2]
RFC_DIR = Path(os.environ.get("H11SPEC_RFC_DIR") or ROOT.parent / "shared" / "rfc")
needs_sources = pytest.mark.skipif(
    not (RFC_DIR / "rfc9112.xml").is_file(),
    reason=f"the RFC xml2rfc sources are not at {RFC_DIR} (set H11SPEC_RFC_DIR)",
)


@needs_sources
def test_table_lists_exactly_the_extracted_sentences() -> None:
    """The committed table holds the requirement sentences extracted from the RFCs, no more, no fewer."""
    sentences = extract(RFC_DIR / "rfc9112.xml") + extract(RFC_DIR / "rfc9110.xml")
    wanted = [(s.id, s.keyword, s.text) for s in in_scope(sentences, cited_sections(CATALOG))]
    assert [(r.id, r.keyword, r.sentence) for r in REQUIREMENTS] == wanted


@needs_sources
def test_every_keyword_of_rfc9112_lands_in_a_sentence() -> None:
    """Each of RFC 9112's keyword entities lands in exactly one extracted sentence (none is dropped)."""
    source = (RFC_DIR / "rfc9112.xml").read_text(encoding="utf-8")
    body = source[source.index("<middle>") :]
    entities = re.findall(
        r"&(MUST|MUST-NOT|SHOULD|SHOULD-NOT|MAY|REQUIRED|RECOMMENDED|NOT-RECOMMENDED|"
        r"OPTIONAL|SHALL|SHALL-NOT);",
        body,
    )
    assert sum(len(s.keywords) for s in extract(RFC_DIR / "rfc9112.xml")) == len(entities)


def test_every_named_case_exists() -> None:
    """Every case id the table names is a catalog case."""
    ids = {c.id for c in CATALOG}
    assert [(r.id, c) for r in REQUIREMENTS for c in r.cases if c not in ids] == []


def test_each_requirement_is_listed_once_with_one_classification() -> None:
    """Ids are unique, every kind is known, and out-of-scope ones give a known reason and no case."""
    assert len({r.id for r in REQUIREMENTS}) == len(REQUIREMENTS)
    for r in REQUIREMENTS:
        assert r.kind in KINDS, r.id
        assert (r.reason in REASONS) == (r.kind == "out-of-scope"), r.id
        assert bool(r.choice) == (r.kind == CHOICE), r.id


def test_inconsistent_classification_is_refused() -> None:
    """A record that is out of scope yet names cases, or a choice without a slug, cannot be built."""
    with pytest.raises(ValueError, match="inconsistent"):
        Requirement("9112/1/r1", "MUST", "x", "out-of-scope", ("9112/6.3/cl-empty",), reason="tls")
    with pytest.raises(ValueError, match="inconsistent"):
        Requirement("9112/1/r1", "MAY", "x", CHOICE)


def test_choice_slugs_are_kebab_case() -> None:
    """Choice point slugs are lowercase kebab-case, so the reference's switches can share them."""
    assert choice_points()
    assert [s for s in choice_points() if not re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", s)] == []


def test_every_testable_rfc9112_requirement_is_covered() -> None:
    """The goal of the table: every testable requirement of RFC 9112 has at least one case."""
    assert [r.id for r in missing() if r.rfc == "RFC 9112"] == []


def test_coverage_counts_covered_over_testable() -> None:
    """The overall tally is covered testable requirements over checked plus choice ones."""
    overall = tallies()[0]
    testable = [r for r in REQUIREMENTS if r.kind != "out-of-scope"]
    assert (overall.testable, overall.covered) == (len(testable), sum(bool(r.cases) for r in testable))
    assert overall.total == len(REQUIREMENTS) == overall.testable + overall.out_of_scope


def test_docs_requirements_md_is_in_sync() -> None:
    """docs/requirements.md is exactly what `h11spec requirements --markdown` prints."""
    committed = (ROOT / "docs" / "requirements.md").read_text(encoding="utf-8")
    assert committed == markdown(), "regenerate: h11spec requirements --markdown > docs/requirements.md"


def test_command_prints_coverage_missing_and_json(capsys: pytest.CaptureFixture[str]) -> None:
    """`h11spec requirements` prints the tally, --missing the gaps, --json the same figures as data."""
    assert cli.main(["requirements"]) == 0
    text = capsys.readouterr().out
    overall = tallies()[0]
    assert f"{overall.covered}/{overall.testable}" in text
    assert cli.main(["requirements", "--missing"]) == 0
    gaps = capsys.readouterr().out
    assert all(r.id in gaps for r in missing())
    assert cli.main(["requirements", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["tallies"][0]["covered"] == overall.covered
    assert len(data["requirements"]) == len(REQUIREMENTS)


def test_command_refuses_two_output_formats(capsys: pytest.CaptureFixture[str]) -> None:
    """Asking for two output formats at once is a usage error: exit 2, one message on stderr."""
    with pytest.raises(SystemExit) as exc:
        cli.main(["requirements", "--json", "--markdown"])
    assert exc.value.code == 2
    assert "not allowed with" in capsys.readouterr().err


def test_every_choice_slug_is_a_switch_or_an_open_choice() -> None:
    """A requirement classified as a choice names a switch of the reference, or a choice its cases list."""
    from conformance.catalog.requirements import OPEN_CHOICES, REQUIREMENTS
    from conformance.reference.choices import CHOICES

    switches = {c.id for c in CHOICES}
    slugs = {r.choice for r in REQUIREMENTS if r.kind == "choice"}
    assert slugs - switches - set(OPEN_CHOICES) == set()
    assert not set(OPEN_CHOICES) & switches
    assert set(OPEN_CHOICES) <= slugs
