"""``h11spec requirements``: which RFC requirements the catalog covers.

Theory of operation: renders ``conformance.catalog.coverage`` over the committed requirement table
(``conformance.catalog.requirements``). Coverage is the number of testable requirements (classified
``checked`` or ``choice``) that at least one catalog case checks, over the number of testable requirements;
``out-of-scope`` ones (proxies, caches, TLS, what the h11 API leaves to its caller) count in neither. The
default output is a table: all, each RFC, each section. ``--missing`` lists the testable requirements no case
checks, ``--json`` prints every figure and every requirement as JSON, and ``--markdown`` prints
docs/requirements.md (a test keeps the committed file equal to this output). Reads nothing but the
committed data, so it runs without the RFC sources.
"""

from __future__ import annotations

import argparse
import json
from typing import Any

HELP = "coverage of the RFC 9112/9110 requirement sentences by catalog cases"

DEFINITION = (
    "Coverage = testable requirements that at least one catalog case checks / testable requirements. "
    "Testable = classified `checked` (a rule the message layer must meet, or a permission it must allow) "
    "or `choice` (a choice point: a MAY, a SHOULD, or a MUST that leaves the outcome open); "
    "`out-of-scope` requirements count in neither."
)


def configure(parser: argparse.ArgumentParser) -> None:
    """Add the requirements command's arguments."""
    output = parser.add_mutually_exclusive_group()
    output.add_argument("--json", action="store_true", help="print the figures and the table as JSON")
    output.add_argument(
        "--missing", action="store_true", help="list the testable requirements no case checks yet"
    )
    output.add_argument("--markdown", action="store_true", help="print docs/requirements.md")


def main(args: argparse.Namespace) -> int:
    """Print the coverage; returns 0."""
    if args.json:
        print(json.dumps(as_json(), indent=2))
    elif args.markdown:
        print(markdown(), end="")
    elif args.missing:
        print(missing_text(), end="")
    else:
        print(summary_text(), end="")
    return 0


def _fraction(covered: int, testable: int, ratio: float) -> str:
    return f"{covered}/{testable} ({ratio:.2f})"


def summary_text() -> str:
    """The coverage table: all, each RFC, each section."""
    from conformance.catalog.coverage import tallies

    rows = tallies()
    width = max(len(t.group) for t in rows)
    lines = [DEFINITION, ""]
    lines.append(f"{'group':<{width}}  {'covered':>13}  checked  choice  out-of-scope")
    for t in rows:
        if t.group.startswith("RFC") and "§" not in t.group:
            lines.append("")
        lines.append(
            f"{t.group:<{width}}  {_fraction(t.covered, t.testable, t.ratio):>13}  {t.checked:>7}"
            f"  {t.choice:>6}  {t.out_of_scope:>12}"
        )
    return "\n".join(lines) + "\n"


def missing_text() -> str:
    """One block per testable requirement that no case checks (or a line saying there is none)."""
    from conformance.catalog.coverage import missing

    gaps = missing()
    if not gaps:
        return "every testable requirement is covered by at least one case\n"
    out = [f"{len(gaps)} testable requirement(s) with no case:"]
    for r in gaps:
        what = r.kind if r.kind != "choice" else f"choice {r.choice}"
        out.append(f"{r.id}  {r.keyword}  ({what})\n    {r.sentence}")
    return "\n".join(out) + "\n"


def as_json() -> dict[str, Any]:
    """Every figure, and every requirement with its classification."""
    from conformance.catalog.coverage import missing, tallies
    from conformance.catalog.requirements import REASONS, REQUIREMENTS, choice_points

    return {
        "definition": DEFINITION,
        "tallies": [
            {
                "group": t.group,
                "total": t.total,
                "testable": t.testable,
                "covered": t.covered,
                "coverage": round(t.ratio, 4),
                "checked": t.checked,
                "choice": t.choice,
                "out_of_scope": t.out_of_scope,
            }
            for t in tallies()
        ],
        "missing": [r.id for r in missing()],
        "choice_points": {slug: list(ids) for slug, ids in choice_points().items()},
        "reasons": REASONS,
        "requirements": [
            {
                "id": r.id,
                "rfc": r.rfc,
                "section": r.section,
                "keyword": r.keyword,
                "kind": r.kind,
                "cases": list(r.cases),
                "choice": r.choice or None,
                "reason": r.reason or None,
                "note": r.note or None,
                "sentence": r.sentence,
            }
            for r in REQUIREMENTS
        ],
    }


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def markdown() -> str:
    """docs/requirements.md: the definition, the figures, the choice points and the whole table."""
    from conformance.catalog.coverage import missing, tallies
    from conformance.catalog.requirements import REASONS, REQUIREMENTS, choice_points

    rows = tallies()
    out = [
        "# Requirement coverage",
        "",
        "Generated by `h11spec requirements --markdown` from `conformance/catalog/requirements.py`; do not "
        "edit by hand (a test keeps this file in sync).",
        "",
        "Every sentence of RFC 9112 that holds a requirement keyword, and those of the RFC 9110 sections the "
        "catalog cites, read mechanically from the RFCs' xml2rfc sources (`conformance/catalog/rfc.py`) and "
        "classified once.",
        "",
        DEFINITION,
        "",
        "| group | covered / testable | checked | choice | out of scope |",
        "|---|---|---|---|---|",
    ]
    out += [
        f"| {t.group} | {_fraction(t.covered, t.testable, t.ratio)} | {t.checked} | {t.choice} | "
        f"{t.out_of_scope} |"
        for t in rows
        if "§" not in t.group
    ]
    gaps = missing()
    out += ["", "## Not yet covered", ""]
    out += [f"- `{r.id}` ({r.keyword}): {r.sentence}" for r in gaps] or ["None."]
    out += ["", "## Choice points", "", "| slug | requirements |", "|---|---|"]
    out += [f"| `{slug}` | {', '.join(ids)} |" for slug, ids in choice_points().items()]
    out += ["", "## Reasons for out of scope", "", "| reason | meaning |", "|---|---|"]
    out += [f"| `{key}` | {_cell(text)} |" for key, text in REASONS.items()]
    out += ["", "## Per section", "", "| section | covered / testable | checked | choice | out of scope |"]
    out += ["|---|---|---|---|---|"]
    out += [
        f"| {t.group} | {_fraction(t.covered, t.testable, t.ratio)} | {t.checked} | {t.choice} | "
        f"{t.out_of_scope} |"
        for t in rows
        if "§" in t.group
    ]
    out += ["", "## Requirements", ""]
    current = ""
    for r in REQUIREMENTS:
        group = f"{r.rfc} §{r.section}"
        if group != current:
            out += [
                "",
                f"### {group}",
                "",
                "| id | keyword | classification | sentence |",
                "|---|---|---|---|",
            ]
            current = group
        if r.kind == "checked":
            what = "checked: " + (", ".join(f"`{c}`" for c in r.cases) or "**no case yet**")
        elif r.kind == "choice":
            what = f"choice `{r.choice}`: " + (", ".join(f"`{c}`" for c in r.cases) or "**no case yet**")
        else:
            what = f"out of scope: {r.reason}"
        if r.note:
            what += f" ({_cell(r.note)})"
        out.append(f"| `{r.id}` | {r.keyword} | {what} | {_cell(r.sentence)} |")
    return "\n".join(out) + "\n"


__all__ = ["DEFINITION", "HELP", "as_json", "configure", "main", "markdown", "missing_text", "summary_text"]
