"""The RFC reader: sections numbered as printed, keyword entities found, sentences split, references kept."""

from __future__ import annotations

from pathlib import Path

from conformance.catalog.rfc import extract

SOURCE = """<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE rfc [
  <!ENTITY MUST "<bcp14>MUST</bcp14>">
  <!ENTITY MUST-NOT "<bcp14>MUST NOT</bcp14>">
  <!ENTITY MAY "<bcp14>MAY</bcp14>">
]>
<rfc number="9999" xmlns:x='http://purl.org/net/xml2rfc/ext'>
<middle>
<section title="One" anchor="one">
<t>Plain text. A sender &MUST-NOT; do this (e.g. that). Nothing here.</t>
<section title="Sub" anchor="sub">
<t>A recipient &MAY; do X, see <xref target="one"/>; it &MUST; then do Y.
   Another sentence with <x:ref>markup</x:ref> that &MUST; count.</t>
<ul><li>A list item &MUST; be read.</li></ul>
</section>
</section>
<section title="Unnumbered" numbered="false"><t>Ignored &MUST; here.</t></section>
<section title="Two" anchor="two"><t>See <xref target="HTTP" x:sec="4.1"/>, which &MAY; apply.</t></section>
</middle>
<back>
<section title="Appendix"><section title="Inner"><t>The appendix &MUST; count too.</t></section></section>
</back>
</rfc>
"""


def test_extract_reads_sections_keywords_and_sentences(tmp_path: Path) -> None:
    """Every keyword sentence is found once, with its printed section, ordinal, keywords and clean text."""
    path = tmp_path / "rfc.xml"
    path.write_text(SOURCE, encoding="utf-8")
    got = [(s.id, s.keyword, s.text) for s in extract(path)]
    assert got == [
        ("9999/1/r1", "MUST NOT", "A sender MUST NOT do this (e.g. that)."),
        ("9999/1.1/r1", "MAY/MUST", "A recipient MAY do X, see Section 1; it MUST then do Y."),
        ("9999/1.1/r2", "MUST", "Another sentence with markup that MUST count."),
        ("9999/1.1/r3", "MUST", "A list item MUST be read."),
        ("9999/2/r1", "MAY", "See Section 4.1 of [HTTP], which MAY apply."),
        ("9999/A.1/r1", "MUST", "The appendix MUST count too."),
    ]
