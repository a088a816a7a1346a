"""What backs each rejection of received bytes: a rule id, its requirement level per role, the RFC text.

Theory of operation: the reference raises on received bytes through ``reject(rule, message)``, which
builds the usual ``RemoteProtocolError`` (or a ``LocalProtocolError`` from shared validation code that
``next_event`` converts) and sets the internal attribute ``_h11spec_rule`` on it; the public
``ProtocolError`` signature does not change. ``RULES`` says, for each rule, how strongly the RFC backs
the rejection for a server (it reads requests) and for a client (it reads responses):

- MUST: a specific requirement forbids going on (bare CR, an invalid Content-Length, the Host rules...);
- SHOULD: the bytes only break the message grammar and the recipient is a server: RFC 9112 §2.2 says it
  SHOULD answer 400 and close, so accepting is a warning, not a violation;
- MAY: the bytes only break the grammar and the recipient is a client: RFC 9110 §2.2 lets it recover a
  usable element from an invalid construct, so accepting is allowed.

A rejection taken at a choice point (``choices.py``: the RFC allows several outcomes) carries the choice
point's id as its rule and is graded ``CHOICE``: the oracle enumerates the allowed alternatives, and an
implementation matching none of them breaks the requirement the choice point quotes. An error without a
rule (none should reach a caller) is graded MUST, the strict reading.
"""

from __future__ import annotations

import dataclasses
import re
from typing import Final

from conformance.errors import RULE_ATTRIBUTE, rule_of
from conformance.reference.choices import DEFAULTS as CHOICE_POINTS
from conformance.reference.errors import LocalProtocolError, ProtocolError, RemoteProtocolError

__all__ = [
    "CHOICE",
    "MAY",
    "MUST",
    "RULES",
    "SHOULD",
    "Rule",
    "field_line_rule",
    "level_of",
    "reject",
    "rule_of",
    "start_line_rule",
]

MUST: Final = "MUST"
SHOULD: Final = "SHOULD"
MAY: Final = "MAY"
CHOICE: Final = "CHOICE"

_GRAMMAR_SERVER = (
    "When a server listening only for HTTP request messages, or processing what appears from the"
    " start-line to be an HTTP request message, receives a sequence of octets that does not match the"
    " HTTP-message grammar aside from the robustness exceptions listed above, the server SHOULD respond"
    " with a 400 (Bad Request) response and close the connection."
)
_GRAMMAR_CLIENT = (
    "Unless noted otherwise, a recipient MAY attempt to recover a usable protocol element from an"
    " invalid construct."
)


@dataclasses.dataclass(frozen=True)
class Rule:
    """One backing for rejections: the level for a server and for a client, where, and the sentence."""

    server: str
    client: str
    rfc: str
    sentence: str


def _grammar(what: str) -> Rule:
    return Rule(
        SHOULD,
        MAY,
        "RFC 9112 §2.2 (server), RFC 9110 §2.2 (client)",
        f"{what} does not match the grammar. Server: {_GRAMMAR_SERVER} Client: {_GRAMMAR_CLIENT}",
    )


def _must(rfc: str, sentence: str) -> Rule:
    return Rule(MUST, MUST, rfc, sentence)


RULES: Final[dict[str, Rule]] = {
    "grammar-request-line": Rule(
        SHOULD,
        MAY,
        "RFC 9112 §3",
        "Recipients of an invalid request-line SHOULD respond with either a 400 (Bad Request) error or a"
        " 301 (Moved Permanently) redirect with the request-target properly encoded.",
    ),
    "grammar-status-line": _grammar("The status-line"),
    "grammar-field-line": _grammar("A field line"),
    "grammar-empty-head": _grammar("An empty line where a start-line belongs"),
    "ws-before-colon": Rule(
        MUST,
        MAY,
        "RFC 9112 §5.1",
        "A server MUST reject, with a response status code of 400 (Bad Request), any received request"
        " message that contains whitespace between a header field name and colon.",
    ),
    "field-value-nul-cr-lf": _must(
        "RFC 9110 §5.5",
        "a recipient of CR, LF, or NUL within a field value MUST either reject the message or replace"
        " each of those characters with SP before further processing or forwarding of that message.",
    ),
    "content-length": _must(
        "RFC 9112 §6.3",
        "If a message is received without Transfer-Encoding and with an invalid Content-Length header"
        " field, then the message framing is invalid and the recipient MUST treat it as an unrecoverable"
        " error",
    ),
    # A client may read a response whose final coding is not chunked until close (RFC 9112 §6.3): that is
    # the choice point te-not-chunked-response, so the oracle already tries it; a client that goes on any
    # other way (framing it as chunked, say) breaks the framing rule: MUST.
    "transfer-encoding": Rule(
        MUST,
        MUST,
        "RFC 9112 §6.3",
        "If a Transfer-Encoding header field is present in a request and the chunked transfer coding is"
        " not the final encoding, the message body length cannot be determined reliably; the server MUST"
        " respond with the 400 (Bad Request) status code and then close the connection.",
    ),
    "te-in-http10": _must(
        "RFC 9112 §6.1",
        "A server or client that receives an HTTP/1.0 message containing a Transfer-Encoding header field"
        " MUST treat the message as if the framing is faulty, even if a Content-Length is present, and"
        " close the connection after processing the message.",
    ),
    "host": Rule(
        MUST,
        MAY,
        "RFC 9112 §3.2",
        "A server MUST respond with a 400 (Bad Request) status code to any HTTP/1.1 request message that"
        " lacks a Host header field and to any request message that contains more than one Host header"
        " field line or a Host header field with an invalid field value.",
    ),
    "chunked-framing": _must(
        "RFC 9112 §8",
        "A client that receives an incomplete response message, which can occur when a connection is"
        " closed prematurely or when decoding a supposedly chunked transfer coding fails, MUST record the"
        " message as incomplete.",
    ),
    "incomplete-message": _must(
        "RFC 9112 §8",
        "A client that receives an incomplete response message, which can occur when a connection is"
        " closed prematurely or when decoding a supposedly chunked transfer coding fails, MUST record the"
        " message as incomplete.",
    ),
    "size-limit": _must(
        "RFC 9110 §5.4",
        "A server that receives a request header field line, field value, or set of fields larger than it"
        " wishes to process MUST respond with an appropriate 4xx (Client Error) status code.",
    ),
    # A 101 (or a 2xx to CONNECT) nobody asked for: the server broke a MUST NOT (RFC 9110 §7.8); a user
    # agent may ignore it as an unexpected 1xx.
    "unexpected-switch": Rule(
        MUST,
        MAY,
        "RFC 9110 §15.2",
        "A client MUST be able to parse one or more 1xx responses received prior to a final response, even"
        " if the client does not expect one. A user agent MAY ignore unexpected 1xx responses.",
    ),
    "data-after-close": _must(
        "RFC 9112 §9.6",
        "The peer's side is over (its message ended the connection's use): bytes after it are not a"
        " message of this connection.",
    ),
}


_WS_BEFORE_COLON = re.compile(rb"[^\s:]+[ \t]+:")


_FRAMING_RULES = {b"content-length": "content-length", b"transfer-encoding": "transfer-encoding"}


def start_line_rule(line: bytes, grammar: str) -> str:
    """The rule refusing a start-line that does not match: a kept bare CR (choice point bare-cr), else
    ``grammar``."""
    return "bare-cr" if b"\r" in line else grammar


def field_line_rule(line: bytes) -> str:
    """The rule refusing a field line that does not match: a kept bare CR, a NUL in the value, whitespace
    before the colon, an invalid framing field, else the grammar."""
    if b"\r" in line:
        return "bare-cr"
    colon = line.find(b":")
    if colon >= 0 and b"\x00" in line[colon:]:
        return "field-value-nul-cr-lf"
    if _WS_BEFORE_COLON.match(line):
        return "ws-before-colon"
    # An invalid Content-Length or Transfer-Encoding line leaves the framing undetermined (RFC 9112 §6.3).
    return (
        _FRAMING_RULES.get(line[:colon].lower(), "grammar-field-line") if colon >= 0 else "grammar-field-line"
    )


def reject(rule: str, message: str, error_status_hint: int = 400, *, local: bool = False) -> ProtocolError:
    """The error to raise for received bytes refused under ``rule`` (a ``RULES`` key or a choice point).

    ``local`` builds the ``LocalProtocolError`` that validation code shared with ``send`` raises (the
    connection converts it when it reads).
    """
    if rule not in RULES and rule not in CHOICE_POINTS:
        raise KeyError(f"unknown rejection rule {rule!r}")
    cls = LocalProtocolError if local else RemoteProtocolError
    error = cls(message, error_status_hint)
    setattr(error, RULE_ATTRIBUTE, rule)
    return error


def level_of(rule: str | None, role: str) -> str:
    """How strongly the RFC backs a rejection under ``rule`` for a recipient in ``role`` ("server" reads
    requests, "client" reads responses): MUST, SHOULD, MAY, or CHOICE for a choice point's rejection."""
    if rule is None:
        return MUST
    if rule in CHOICE_POINTS:
        return CHOICE
    backing = RULES[rule]
    return backing.server if role == "server" else backing.client
