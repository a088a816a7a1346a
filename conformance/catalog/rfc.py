"""Requirement sentences read mechanically from an RFC's xml2rfc v3 source.

Theory of operation: the published sources spell every BCP 14 keyword as an entity (``&MUST;``,
``&MUST-NOT;``, ``&SHOULD;``...) that the document's own DTD expands to ``<bcp14>MUST</bcp14>``, so a
requirement is any sentence holding a ``<bcp14>`` element. ``extract(path)`` parses the file (the standard
library's expat expands the internal entities), numbers the sections the way the RFC prints them (``1``,
``6.3``; appendices ``A``, ``B.2``; ``numbered="false"`` sections take no number), flattens each block of
text (``<t>``, ``<li>``, ``<dd>``, table cells; a nested block is its own block) into one line, splits it into
sentences and keeps those with a keyword. A requirement's ordinal counts the requirement sentences of its own
section (not of subsections) in document order, so ``9112/6.3/r5`` is the fifth of RFC 9112 §6.3.

Cross references are rendered as text, stably: an internal section anchor as ``Section N``, a bibliographic
one as ``[NAME]`` (``Section 4.3 of [URI]`` with ``x:sec``), ``x:ref`` and inline markup as their text.

The sources are not shipped with h11spec: this module reads a path it is given and imports nothing else of
the project, so the committed table (``conformance.catalog.requirements``) works without them and a test
re-extracts from them where they exist.
"""

from __future__ import annotations

import dataclasses
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

# Elements whose text forms one block; a block nested inside another (``<li><t>``) is read on its own.
_BLOCKS = frozenset({"t", "li", "dd", "dt", "td", "th"})
# Elements whose content is never prose of the enclosing block.
_SKIP = frozenset({"artwork", "sourcecode", "figure", "table", "ul", "ol", "dl", "iref", "cref"})
_X = "{http://purl.org/net/xml2rfc/ext}"
_KW_OPEN, _KW_CLOSE = "\x01", "\x02"
# A sentence ends at . ? ! (and any closing quote or parenthesis) before whitespace and a capital, a digit,
# a quote or an opening parenthesis; "e.g." and "i.e." are always followed by a comma in these RFCs.
_SENTENCE_END = re.compile(r"[.?!][\")\]]*(?=\s+[\x01A-Z0-9\"(])")
_ABBREVIATIONS = ("e.g.", "i.e.", "etc.", "vs.", "cf.")
_KEYWORD = re.compile(_KW_OPEN + "([^" + _KW_CLOSE + "]*)" + _KW_CLOSE)


@dataclasses.dataclass(frozen=True)
class Sentence:
    """One requirement sentence: its RFC, section, ordinal in the section, keywords and text."""

    rfc: str  # "9112"
    section: str  # "6.3", "A.2"
    ordinal: int  # 1-based, among the requirement sentences of this section
    keywords: tuple[str, ...]  # in order of appearance, e.g. ("MAY", "MUST")
    text: str

    @property
    def id(self) -> str:
        """``<rfc>/<section>/r<ordinal>``, e.g. ``9112/6.3/r5``."""
        return f"{self.rfc}/{self.section}/r{self.ordinal}"

    @property
    def keyword(self) -> str:
        """The keywords joined with "/" (``MAY/MUST``), each once, in order of appearance."""
        return "/".join(dict.fromkeys(self.keywords))


def extract(path: str | Path) -> list[Sentence]:
    """Every requirement sentence of the RFC source at ``path``, in document order.

    Returns:
        The sentences; the RFC number comes from the root element's ``number`` attribute.

    Raises:
        OSError: the file cannot be read. xml.etree.ElementTree.ParseError: it is not well-formed XML.
    """
    root = ET.parse(path).getroot()
    rfc = root.get("number", "")
    anchors = _section_anchors(root)
    out: list[Sentence] = []
    for number, section in _sections(root):
        ordinal = 0
        for block in _own_blocks(section):
            text = _flatten(block, anchors)
            for raw in _split(text):
                keywords = tuple(_KEYWORD.findall(raw))
                if not keywords:
                    continue
                ordinal += 1
                clean = raw.replace(_KW_OPEN, "").replace(_KW_CLOSE, "")
                out.append(Sentence(rfc, number, ordinal, keywords, clean))
    return out


def _sections(root: ET.Element) -> Iterator[tuple[str, ET.Element]]:
    """(number, element) for every numbered section of ``<middle>`` (1, 1.2...) and ``<back>`` (A, A.1...)."""
    for part, first in (("middle", None), ("back", "A")):
        holder = root.find(part)
        if holder is not None:
            yield from _number(holder, "", first)


def _number(parent: ET.Element, prefix: str, letters: str | None) -> Iterator[tuple[str, ET.Element]]:
    count = 0
    for child in parent:
        if child.tag != "section" or child.get("numbered") == "false":
            continue
        count += 1
        label = chr(ord(letters) + count - 1) if letters and not prefix else str(count)
        number = f"{prefix}.{label}" if prefix else label
        yield number, child
        yield from _number(child, number, None)


def _section_anchors(root: ET.Element) -> dict[str, str]:
    """Anchor -> how a cross reference to it reads: ``Section N`` for a section of this document,
    ``[HTTP, status.414]`` for an anchor of another document that its ``<reference>`` lists in ``<x:has>``."""
    out = {
        has.get("anchor", ""): f"[{ref.get('anchor', '')}, {has.get('anchor', '')}]"
        for ref in root.iter("reference")
        for has in ref.iter(_X + "has")
    }
    for number, sec in _sections(root):
        if sec.get("anchor"):
            out[sec.get("anchor", "")] = f"Section {number}"
    return out


def _own_blocks(section: ET.Element) -> Iterator[ET.Element]:
    """The text blocks of ``section`` in document order, not descending into subsections."""
    for child in section:
        if child.tag == "section":
            continue
        if child.tag in _BLOCKS:
            yield child
        if child.tag not in ("artwork", "sourcecode", "figure"):
            yield from _own_blocks(child)


def _flatten(block: ET.Element, anchors: dict[str, str]) -> str:
    """The block's own prose as one whitespace-normalised line, keywords wrapped in marker characters."""
    parts: list[str] = [block.text or ""]
    for child in block:
        if child.tag not in _BLOCKS and child.tag not in _SKIP:
            parts.append(_inline(child, anchors))
        parts.append(child.tail or "")
    return " ".join("".join(parts).split())


def _inline(el: ET.Element, anchors: dict[str, str]) -> str:
    if el.tag == "bcp14":
        return _KW_OPEN + " ".join((el.text or "").split()) + _KW_CLOSE
    if el.tag == "xref" and not (el.text or "").strip() and len(el) == 0:
        return _xref(el, anchors)
    inner = [el.text or ""]
    for child in el:
        if child.tag not in _SKIP:
            inner.append(_inline(child, anchors))
        inner.append(child.tail or "")
    return "".join(inner)


def _xref(el: ET.Element, anchors: dict[str, str]) -> str:
    target = el.get("target", "")
    if target in anchors:
        return anchors[target]
    sec = el.get(_X + "sec") or el.get("section")
    return f"Section {sec} of [{target}]" if sec else f"[{target}]"


def _split(text: str) -> list[str]:
    """Sentences of one line of prose, keeping abbreviations such as "e.g." inside their sentence."""
    pieces: list[str] = []
    start = 0
    for m in _SENTENCE_END.finditer(text):
        head = text[start : m.end()]
        if head.endswith(_ABBREVIATIONS):
            continue
        pieces.append(head.strip())
        start = m.end()
    pieces.append(text[start:].strip())
    return [p for p in pieces if p]


__all__ = ["Sentence", "extract"]
