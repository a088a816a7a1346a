"""Byte tables of the smuggling and parsing vectors, shared by the model's strategies and the fuzz mutator.

Theory of operation: the model checker's Hypothesis strategies (``conformance.strategies``) and the
structure-aware fuzz mutator (``fuzz.mutator``) insert the same kinds of trouble into messages. The
tables live here once, so the two engines explore the same byte space; each engine decides how often
and where to insert them.
"""

from __future__ import annotations

# Bytes that parsers disagree about inside protocol elements: NUL and the other CTLs, CR and LF alone,
# whitespace and its look-alikes (VT, FF, NEL, NBSP), DEL, obs-text, and the separators a lenient
# parser may split on.
DANGEROUS: tuple[bytes, ...] = (
    b"\x00",
    b"\r",
    b"\n",
    b"\t",
    b"\x0b",
    b"\x0c",
    b" ",
    b"\x7f",
    b"\x80",
    b"\x85",
    b"\xa0",
    b"\xff",
    b":",
    b",",
    b";",
    b'"',
    b"\\",
    b"=",
    b"\x01",
    b"\x1b",
    b"_",
)
