"""FINDINGS.md: every case where h11 fails the rfc9112 profile, with the RFC sentence and the explanation.

Theory of operation: the input is the committed ``reports/h11/results.json`` (and, when given, the
reference's, to say whether the reference meets the same case). Each fail, crash or hang row becomes one
entry: the RFC section, level and sentence, the input bytes, what conforms and what h11 did, and the
documented explanation found through the catalog: the case's ``difference`` names either an entry of
``conformance.reference.differences`` (h11 breaks a MUST; the reference departs from h11 there) or a
documented h11 leniency (``catalog.cases._common.LENIENCIES``). A failing case with neither is listed
as unexplained: a new finding to investigate. The model checker's committed findings on the same
implementation (``corpus/model/*.json``, shrunk step lists) follow in their own section, then, verbatim,
a hand-written appendix when given (``--appendix``: the other libraries' sections, whose bugs were
confirmed by hand with each library's own API, ``reports/ecosystem/FINDINGS.md``). Output depends
only on the results rows, the catalog and those entries, never on the run's date, so regenerating
without a change in h11 or the catalog leaves the file byte-identical.

Usage: ``python -m conformance.reports.findings --impl-results reports/h11/results.json
--reference-results reports/reference/results.json --out FINDINGS.md``.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from conformance.atomic import write_atomic
from conformance.errors import UsageError
from conformance.results import CaseResult, escape_bytes
from conformance.verdict import Verdict


def explanation(case_id: str) -> tuple[str | None, list[str]]:
    """The name of the documented difference or leniency behind ``case_id``, and its text as lines.

    Returns:
        ``(None, [])`` when the catalog documents nothing for this case.
    """
    from conformance.catalog.cases import CATALOG
    from conformance.reference.differences import DIFFERENCES

    by_id = {c.id: c for c in CATALOG}
    case = by_id.get(case_id)
    name = getattr(case, "difference", None)
    if name is None:
        name = next((d.name for d in DIFFERENCES if case_id in d.case_ids), None)
    if name is None:
        return None, []
    for d in DIFFERENCES:
        if d.name == name:
            return name, [
                f"Reference difference `{d.name}` ({d.rfc}).",
                f"- h11: {d.h11}",
                f"- reference: {d.reference}",
            ]
    try:
        from conformance.catalog.cases._common import LENIENCIES
    except ImportError:  # pragma: no cover - the catalog always ships it
        LENIENCIES = {}
    if name in LENIENCIES:
        return name, [f"Documented h11 leniency `{name}`: {LENIENCIES[name]}"]
    return name, [f"`{name}` (not found in the documented differences)"]


def _code(text: str) -> str:
    """``text`` as an inline code span that survives backticks inside it."""
    fence = "``" if "`" in text else "`"
    return f"{fence} {text} {fence}" if fence == "``" else f"`{text}`"


def model_findings(directory: Path, impl: str) -> list[dict[str, Any]]:
    """The committed model-checker entries (corpus/model) found on ``impl``, sorted by id.

    Raises:
        CorpusError: an entry cannot be read (the message names it).
    """
    from conformance.model.entries import read_entry

    entries = [read_entry(path)[0] for path in sorted(directory.glob("*.json"))]
    return sorted((e for e in entries if e.get("impl") == impl), key=lambda e: str(e["id"]))


def _model_section(entries: Sequence[Mapping[str, Any]], directory: str) -> list[str]:
    out = [
        "## Model checker findings",
        "",
        "Shrunk by `h11spec model --impl h11 --depth ci` (profile `rfc9112`) and committed under",
        f"`{directory}/`, where `h11spec corpus replay` replays them; each reproduces on its own.",
        "Under `--profile h11`, where the reference models h11 (its documented differences switched to "
        "h11's behaviour), the same run passes.",
        "",
    ]
    for entry in entries:
        out += [
            f"### model/{entry['invariant']}: `{entry['id']}`",
            "",
            f"- Found after {entry.get('examples_to_find', '?')} examples (seed {entry.get('seed', '?')},"
            f" depth {entry.get('depth', '?')}); verdict {entry.get('verdict', 'fail')}.",
            f"- Observed: {_code(' '.join(str(entry.get('message', '')).split()))}",
            "- Steps:",
            "",
            "  ```",
            *(f"  {line}" for line in str(entry.get("script", "")).splitlines()),
            "  ```",
            "",
        ]
    return out


def render(
    impl_rows: Sequence[CaseResult],
    *,
    impl: str,
    version: str,
    reference: Sequence[CaseResult] = (),
    model_entries: Sequence[Mapping[str, Any]] = (),
    model_dir: str = "corpus/model",
    appendix: str = "",
) -> str:
    """The FINDINGS.md text for the rows of one implementation graded under the rfc9112 profile,
    followed by the model checker's committed findings on it and ``appendix`` (hand-written sections,
    such as the other libraries' confirmed bugs), verbatim."""
    ref = {r.case_id: r for r in reference}
    failing = [r for r in impl_rows if r.verdict.is_problem]
    warns = [r for r in impl_rows if r.verdict is Verdict.WARN]
    out = [
        f"# What h11spec finds in {impl} {version}",
        "",
        "Generated by `scripts/regen-reports` from `reports/h11/results.json` (profile `rfc9112`);"
        " do not edit.",
        f"{impl} {version} fails {len(failing)} of {len(impl_rows)} cases of the `rfc9112` profile"
        f" and misses {len(warns)} SHOULD-level cases (listed at the end).",
        "Each entry quotes the RFC sentence, the input, what conforms and what the implementation did,",
        "and the documented explanation (a difference of the reference implementation, or a known h11",
        "leniency).",
        "",
        "| case | level | verdict | explanation | reference |",
        "|---|---|---|---|---|",
    ]
    entries: list[str] = []
    for r in failing:
        name, lines = explanation(r.case_id)
        ref_row = ref.get(r.case_id)
        ref_verdict = ref_row.verdict.value if ref_row else "not run"
        out.append(
            f"| [{r.case_id}](#{_anchor(r.case_id)}) | {r.level.value} | {r.verdict.value} | "
            f"{_code(name) if name else '**unexplained**'} | {ref_verdict} |"
        )
        entries += [
            f"## {r.case_id}",
            "",
            f"{r.rfc}, {r.level.value}, {r.role or 'any'} side:",
            "",
            f"> {r.sentence}",
            "",
        ]
        if r.input:
            entries += [f"- Input: {_code(escape_bytes(r.input))}"]
        if r.script:
            entries += ["- Script:", "", "  ```", *(f"  {line}" for line in r.script.splitlines()), "  ```"]
        entries += [
            f"- Conforms: {r.expected}",
            f"- {impl} does: {r.observed}",
            f"- Reference: {ref_verdict}" + (f" ({ref_row.observed})" if ref_row else ""),
            "",
            *(lines or ["No documented explanation: a finding to investigate."]),
            "",
        ]
    if not failing:
        out.append("| (none) | | | | |")
    out += ["", *entries]
    if warns:
        out += ["## SHOULD-level cases not met", "", "| case | explanation | message |", "|---|---|---|"]
        for r in warns:
            name, _ = explanation(r.case_id)
            message = " ".join(r.message.split()).replace("|", "\\|")
            out.append(f"| {r.case_id} | {_code(name) if name else ''} | {message} |")
        out.append("")
    if model_entries:
        out += _model_section(model_entries, model_dir)
    text = "\n".join(out)
    return text + "\n\n" + appendix.strip() + "\n" if appendix.strip() else text


def read_appendix(path: Path) -> str:
    """The hand-written sections appended to FINDINGS.md.

    Raises:
        UsageError: the file cannot be read.
    """
    try:
        return path.read_text(encoding="utf-8")
    except OSError as exc:
        raise UsageError(f"cannot read the appendix {path}: {exc.strerror or exc}") from None


def _anchor(case_id: str) -> str:
    """GitHub's heading anchor for a case id heading."""
    return "".join(ch for ch in case_id.lower() if ch.isalnum() or ch in "-_ ").replace(" ", "-")


def main(argv: Sequence[str] | None = None) -> int:
    """Write FINDINGS.md from results files; exit status 0, or 2 with one line on a usage error."""
    parser = argparse.ArgumentParser(prog="python -m conformance.reports.findings", description=__doc__)
    parser.add_argument("--impl-results", type=Path, default=Path("reports/h11/results.json"))
    parser.add_argument("--reference-results", type=Path, default=Path("reports/reference/results.json"))
    parser.add_argument("--out", type=Path, default=Path("FINDINGS.md"))
    parser.add_argument("--model-dir", type=Path, default=Path("corpus/model"))
    parser.add_argument("--appendix", type=Path, help="a Markdown file appended verbatim")
    args = parser.parse_args(argv)
    from conformance.reports.json import read

    try:
        run = read(args.impl_results)
        if run.meta.get("profile") != "rfc9112":
            raise UsageError(f"{args.impl_results} was graded under {run.meta.get('profile')!r}; use rfc9112")
        if len(run.impls) != 1:
            raise UsageError(f"{args.impl_results} holds {len(run.impls)} implementations; give a single one")
        reference = read(args.reference_results).results if args.reference_results.exists() else []
        model_entries = model_findings(args.model_dir, run.impls[0].name)
        appendix = "" if args.appendix is None else read_appendix(args.appendix)
    except UsageError as exc:
        print(f"findings: error: {exc}", file=sys.stderr)
        return 2
    [impl] = run.impls
    rows = [r for r in run.results if r.source == "catalog"]
    text = render(
        rows,
        impl=impl.name,
        version=impl.version,
        reference=reference,
        model_entries=model_entries,
        model_dir=args.model_dir.as_posix(),
        appendix=appendix,
    )
    write_atomic(args.out, text)
    print(f"findings: wrote {args.out}")
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
