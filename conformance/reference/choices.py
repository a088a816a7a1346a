"""Where RFC 9112/9110 leave a recipient a choice: one record per choice point, and the switch for it.

Theory of operation: a *difference* (``differences.py``) is a place where h11 0.16 breaks a MUST and
the reference does not; a *choice point* is a place where the RFC allows more than one behaviour
(a MAY, a SHOULD, "reject or replace", a status code it does not fix). Each choice point is listed
here once, with the sentence, its named alternatives, the one h11 takes and the one the reference
takes by default (today's behaviour, which is h11's everywhere). A test keeps the two tables apart.

The reference implements every alternative. The public h11 API does not change: the switches are an
internal configuration held in a context variable. ``assign({"leading-empty-lines": "ignore"})`` is a
context manager; a ``Connection`` built inside it keeps that assignment for its whole life and adds
the id of every choice point its input reaches to the ``Record`` the manager yields (``touched``).
Outside any ``assign`` a Connection takes the defaults and keeps its own record, readable through
``touched_by(conn)``. The oracle (``conformance.oracle``) runs the reference under the default, then
under the alternatives of the points the input touched, to get the set of conforming outcomes.
"""

from __future__ import annotations

import contextlib
import contextvars
import dataclasses
import itertools
from collections.abc import Iterator, Mapping
from typing import Any

from conformance.errors import HarnessError

__all__ = [
    "CHOICES",
    "DEFAULTS",
    "Choice",
    "Record",
    "assign",
    "assignments",
    "choice",
    "context",
    "touched_by",
]


@dataclasses.dataclass(frozen=True)
class Choice:
    """One place where the RFC lets a recipient choose; ``alternatives`` maps a name to what it does."""

    id: str  # stable kebab-case slug
    rfc: str  # "RFC 9112 §2.2"
    level: str  # "MAY", "SHOULD", "MUST-either" (a MUST naming the alternatives) or "open"
    sentence: str  # the RFC sentence (quoted)
    alternatives: Mapping[str, str]  # alternative name -> what the reference does under it
    h11: str  # the alternative h11 0.16 takes
    default: str  # the alternative the reference takes unless told otherwise
    recommended: str | None = None  # for a SHOULD: the alternative the RFC recommends
    role: str = "both"  # the role of the recipient the point applies to: "server", "client", "both"
    # A sender's point: the choice is what a side writes and where its own state goes, not how it reads.
    # Only such a point may excuse what a sender wrote (the model's wire invariant reads under it).
    sender: bool = False


CHOICES: tuple[Choice, ...] = (
    Choice(
        id="leading-empty-lines",
        rfc="RFC 9112 §2.2",
        level="SHOULD",
        sentence=(
            "In the interest of robustness, a server that is expecting to receive and parse a"
            " request-line SHOULD ignore at least one empty line (CRLF) received prior to the"
            " request-line."
        ),
        alternatives={
            "reject": 'Empty lines before a request-line are "no request line received" (400).',
            "ignore": "Every empty line (CRLF or LF) before a request-line is skipped.",
        },
        h11="reject",
        default="reject",
        recommended="ignore",
        role="server",
    ),
    Choice(
        id="bare-lf",
        rfc="RFC 9112 §2.2",
        level="MAY",
        sentence=(
            "Although the line terminator for the start-line and fields is the sequence CRLF, a"
            " recipient MAY recognize a single LF as a line terminator and ignore any preceding CR."
        ),
        alternatives={
            "recognize": "A bare LF ends a line of a head or trailer section (the blank line too).",
            "reject": "A head or trailer section with a bare LF line end is rejected (400).",
        },
        h11="recognize",
        default="recognize",
    ),
    Choice(
        id="bare-cr",
        rfc="RFC 9112 §2.2",
        level="MUST-either",
        sentence=(
            "A recipient of such a bare CR MUST consider that element to be invalid or replace each"
            " bare CR with SP before processing the element or forwarding the message."
        ),
        alternatives={
            "reject": "A head or trailer section with a bare CR is rejected (400).",
            "replace": "Each bare CR of a head or trailer section is read as SP.",
        },
        h11="reject",
        default="reject",
    ),
    Choice(
        id="obs-fold",
        rfc="RFC 9112 §5.2",
        level="MUST-either",
        sentence=(
            "A server that receives an obs-fold in a request message that is not within a"
            ' "message/http" container MUST either reject the message by sending a 400 (Bad'
            " Request), preferably with a representation explaining that obsolete line folding is"
            " unacceptable, or replace each received obs-fold with one or more SP octets prior to"
            " interpreting the field value or forwarding the message downstream."
        ),
        alternatives={
            "replace": "Each fold of a request's header or trailer section becomes SP (see obs-fold-width).",
            "reject": "A request's header or trailer section with a fold is rejected (400).",
        },
        h11="replace",
        default="replace",
        role="server",
    ),
    Choice(
        id="obs-fold-width",
        rfc="RFC 9112 §5.2",
        level="open",
        sentence=(
            "A user agent that receives an obs-fold in a response message that is not within a"
            ' "message/http" container MUST replace each received obs-fold with one or more SP octets prior'
            " to interpreting the field value. (A server that replaces one in a request: the same words.)"
        ),
        alternatives={
            "one": (
                "A fold's CRLF and the whitespace after it become one SP; whitespace before the CRLF stays as"
                " received (reached only where that differs from keep-width)."
            ),
            "keep-width": (
                "A fold (OWS CRLF RWS) becomes one SP per whitespace octet, the CRLF dropped: the fold's"
                " width is kept."
            ),
        },
        h11="one",
        default="one",
    ),
    Choice(
        id="whitespace-after-start-line",
        rfc="RFC 9112 §2.2",
        level="MUST-either",
        sentence=(
            "A recipient that receives whitespace between the start-line and the first header field"
            " MUST either reject the message as invalid or consume each whitespace-preceded line"
            " without further processing of it (i.e., ignore the entire line, along with any"
            " subsequent lines preceded by whitespace, until a properly formed header field is"
            " received or the header section is terminated)."
        ),
        alternatives={
            "reject": '"continuation line at start of headers" (400).',
            "consume": "The whitespace-preceded lines after the start-line are dropped.",
        },
        h11="reject",
        default="reject",
    ),
    Choice(
        id="cl-identical-list",
        rfc="RFC 9110 §8.6",
        level="MAY",
        sentence=(
            "a recipient of a Content-Length header field value consisting of the same decimal"
            ' value repeated as a comma-separated list (e.g, "Content-Length: 42, 42") MAY either'
            " reject the message as invalid or replace that invalid field value with a single"
            " instance of the decimal value"
        ),
        alternatives={
            "collapse": 'Identical Content-Length values ("5, 5" or two equal lines) count as one.',
            "reject": "A Content-Length list or repeated Content-Length line is rejected (400).",
        },
        h11="collapse",
        default="collapse",
    ),
    Choice(
        id="cl-te-request",
        rfc="RFC 9112 §6.1",
        level="MAY",
        sentence=(
            "A server MAY reject a request that contains both Content-Length and Transfer-Encoding"
            " or process such a request in accordance with the Transfer-Encoding alone."
        ),
        alternatives={
            "transfer-encoding": "The request is framed by Transfer-Encoding (and the connection closes).",
            "reject": "The request is rejected (400).",
        },
        h11="transfer-encoding",
        default="transfer-encoding",
        role="server",
    ),
    Choice(
        id="trailer-fields",
        rfc="RFC 9112 §7.1.2",
        level="MAY",
        sentence=(
            "A recipient that removes the chunked coding from a message MAY selectively retain or"
            " discard the received trailer fields."
        ),
        alternatives={
            "retain": "Received trailer fields are handed over in EndOfMessage.headers.",
            "discard": "Received trailer fields are dropped (EndOfMessage has no headers).",
        },
        h11="retain",
        default="retain",
    ),
    Choice(
        id="framing-in-trailer",
        rfc="RFC 9110 §6.5.1",
        level="open",
        sentence=(
            "Many fields cannot be processed outside the header section because their evaluation is"
            " necessary prior to receiving the content, such as those that describe message framing,"
            " routing, authentication, request modifiers, response controls, or content format. A sender"
            " MUST NOT generate a trailer field unless the sender knows the corresponding header field"
            " name's definition permits the field to be sent in trailers."
        ),
        alternatives={
            "accept": "A trailer section with Content-Length or Transfer-Encoding is read like any other.",
            "reject": (
                "A trailer section carrying Content-Length or Transfer-Encoding (its sender broke the MUST"
                " NOT) is rejected (400)."
            ),
        },
        h11="accept",
        default="accept",
    ),
    Choice(
        id="framing-on-bodyless-response",
        rfc="RFC 9112 §6.3; RFC 9110 §8.6",
        level="open",
        sentence=(
            "Any response to a HEAD request and any response with a 1xx (Informational), 204 (No"
            " Content), or 304 (Not Modified) status code is always terminated by the first empty"
            " line after the header fields, regardless of the header fields present in the message,"
            " and thus cannot contain a message body or trailer section. / A server MUST NOT send a"
            " Content-Length header field in any response with a status code of 1xx (Informational)"
            " or 204 (No Content)."
        ),
        alternatives={
            "ignore": "Content-Length / Transfer-Encoding on a received 1xx or 204 are ignored.",
            "reject": "A received 1xx or 204 carrying Content-Length or Transfer-Encoding is rejected.",
        },
        h11="ignore",
        default="ignore",
        role="client",
    ),
    Choice(
        id="start-line-whitespace",
        rfc="RFC 9112 §3, §4",
        level="MAY",
        sentence=(
            "Although the request-line grammar rule requires that each of the component elements be"
            " separated by a single SP octet, recipients MAY instead parse on whitespace-delimited word"
            " boundaries and, aside from the CRLF terminator, treat any form of whitespace as the SP"
            " separator while ignoring preceding or trailing whitespace; such whitespace includes one or"
            " more of the following octets: SP, HTAB, VT (%x0B), FF (%x0C), or bare CR. (RFC 9112 §4"
            " says the same of the status-line.)"
        ),
        alternatives={
            "reject": "A start-line whose elements are not separated by exactly one SP is rejected (400).",
            "words": (
                "A start-line is read on runs of SP, HTAB, VT and FF, leading and trailing ones ignored"
                " (the reason phrase after the status code is kept as sent); bare CR is the bare-cr point."
            ),
        },
        h11="reject",
        default="reject",
    ),
    Choice(
        id="denied-connect",
        rfc="RFC 9112 §9.3.1; RFC 9110 §9.3.6",
        level="open",
        sentence=(
            "Connections can be closed at any time, with or without intention. / Any response other"
            " than a successful response indicates that the tunnel has not yet been formed."
        ),
        alternatives={
            "keep": "After a non-2xx response to CONNECT the connection is reusable (DONE).",
            "close": "After a non-2xx response to CONNECT the connection closes (MUST_CLOSE).",
        },
        h11="keep",
        default="keep",
    ),
    Choice(
        id="bytes-after-close",
        rfc="RFC 9112 §9.6",
        level="open",
        sentence=(
            "The server MUST NOT process any further requests received on that connection. / A client"
            ' that sends a "close" connection option [...] MUST close the connection after reading the'
            " final response message corresponding to this request."
        ),
        alternatives={
            "reject": 'Bytes after the last message of a closing connection: "Got data when expecting EOF".',
            "leave": "They are left unread (trailing_data); next_event returns PAUSED.",
        },
        h11="reject",
        default="reject",
    ),
    Choice(
        id="response-without-request",
        rfc="RFC 9112 §9.3.1, §9.6",
        level="open",
        sentence=(
            "Connections can be closed at any time, with or without intention. / A sender SHOULD send a"
            ' Connection header field containing the "close" connection option when it intends to close a'
            " connection."
        ),
        alternatives={
            "keep": "A response sent or read before any request (a 408, say) leaves the server DONE.",
            "close": (
                'A response sent before any request carries the "close" connection option and the server'
                " then goes to MUST_CLOSE; a client reading one takes the server as MUST_CLOSE too (the"
                " connection cannot carry requests in order after it)."
            ),
        },
        h11="keep",
        default="keep",
        sender=True,
    ),
    Choice(
        id="close-delimited-response",
        rfc="RFC 9112 §6.3, §9.3.1",
        level="open",
        sentence=(
            "Otherwise, this is a response message without a declared message body length, so the message"
            " body length is determined by the number of octets received prior to the server closing the"
            " connection. / Connections can be closed at any time, with or without intention."
        ),
        alternatives={
            "wait": "A client reading a close-delimited response is DONE after its request, until the close.",
            "close": "A client reading a close-delimited response is MUST_CLOSE after its request at once.",
        },
        h11="wait",
        default="wait",
        role="client",
    ),
    Choice(
        id="ctl-in-field-value",
        rfc="RFC 9110 §5.5",
        level="MAY",
        sentence=(
            "Field values containing other CTL characters are also invalid; however, recipients MAY"
            " retain such characters for the sake of robustness when they appear within a safe context"
            " (e.g., an application-specific quoted string that will not be processed by any downstream"
            " HTTP parser)."
        ),
        alternatives={
            "retain": "A received field value keeps its CTLs other than NUL, CR, LF, VT and FF.",
            "reject": "A received field line with such a CTL (%x01-08, %x0E-1F, DEL) is rejected (400).",
        },
        h11="retain",
        default="retain",
    ),
    Choice(
        id="other-major-version",
        rfc="RFC 9110 §15.6.6",
        level="open",
        sentence=(
            "The 505 (HTTP Version Not Supported) status code indicates that the server does not"
            " support, or refuses to support, the major version of HTTP that was used in the request"
            " message."
        ),
        alternatives={
            "accept": "A start-line with a major version other than 1 (HTTP/2.0, HTTP/0.9) is read.",
            "reject": (
                "Such a request is rejected with status hint 505; such a response is rejected (a"
                " recipient cannot be held to read a major version it does not implement as HTTP/1.1)."
            ),
        },
        h11="accept",
        default="accept",
    ),
    Choice(
        id="long-numeral",
        rfc="RFC 9110 §8.6, §5.4; RFC 9112 §7.1",
        level="open",
        sentence=(
            "Any Content-Length field value greater than or equal to zero is valid. Since there is no"
            " predefined limit to the length of content, a recipient MUST anticipate potentially large"
            " decimal numerals and prevent parsing errors due to integer conversion overflows or precision"
            " loss due to integer conversion. / A server that receives a request header field line, field"
            " value, or set of fields larger than it wishes to process MUST respond with an appropriate 4xx"
            " (Client Error) status code."
        ),
        alternatives={
            "limit": (
                "A Content-Length or chunk-size numeral longer than 20 digits is rejected (400), even when"
                " its value is small (leading zeros)."
            ),
            "value": (
                "Leading zeros do not count: such a numeral is judged by its value (at most 20 significant"
                " digits), so thousands of leading zeros are read; the field value is kept as received."
            ),
        },
        h11="limit",
        default="limit",
    ),
    Choice(
        id="te-final-chunked-response",
        rfc="RFC 9112 §6.1, §6.3",
        level="open",
        sentence=(
            "A server that receives a request message with a transfer coding it does not understand SHOULD"
            " respond with 501 (Not Implemented). / If a Transfer-Encoding header field is present and the"
            " chunked transfer coding (Section 7.1) is the final encoding, the message body length is"
            " determined by reading and decoding the chunked data until the transfer coding indicates the"
            " data is complete."
        ),
        alternatives={
            "reject": (
                'A response whose Transfer-Encoding is anything but one "chunked" (an unknown coding, or'
                ' "chunked" twice, before a final "chunked") is rejected.'
            ),
            "frame": (
                'Such a response is framed by its final "chunked" coding; the other codings are left'
                " undecoded and the field value is kept (lower-cased)."
            ),
        },
        h11="reject",
        default="reject",
        role="client",
    ),
    Choice(
        id="te-not-chunked-response",
        rfc="RFC 9112 §6.3",
        level="open",
        sentence=(
            "If a Transfer-Encoding header field is present in a response and the chunked transfer coding is"
            " not the final encoding, the message body length is determined by reading the connection until"
            " it is closed by the server."
        ),
        alternatives={
            "reject": (
                'A response whose Transfer-Encoding does not end in "chunked" (gzip, say) is rejected: the'
                " client does not understand the coding."
            ),
            "close-delimited": (
                "Such a response's content is read until the server closes the connection, its codings"
                " left undecoded and the field value kept (lower-cased)."
            ),
        },
        h11="reject",
        default="reject",
        role="client",
    ),
    Choice(
        id="connect-request-content",
        rfc="RFC 9110 §9.3.6; RFC 9112 §6.3",
        level="open",
        sentence=(
            "A CONNECT request message does not have content. The interpretation of data sent after the"
            " header section of the CONNECT request message is specific to the version of HTTP in use. /"
            " If a valid Content-Length header field is present without Transfer-Encoding, its decimal"
            " value defines the expected message body length in octets."
        ),
        alternatives={
            "read": (
                "A CONNECT request with Content-Length or Transfer-Encoding has a body framed by them; the"
                " tunnel starts after it."
            ),
            "tunnel": (
                "A CONNECT request's framing fields are ignored: the request ends with its head and the"
                " bytes after it belong to the tunnel (trailing_data)."
            ),
        },
        h11="read",
        default="read",
        role="server",
    ),
)

_BY_ID: dict[str, Choice] = {c.id: c for c in CHOICES}
DEFAULTS: Mapping[str, str] = {c.id: c.default for c in CHOICES}


def choice(choice_id: str) -> Choice:
    """The choice point called ``choice_id``.

    Raises:
        HarnessError: no choice point has that id.
    """
    try:
        return _BY_ID[choice_id]
    except KeyError:
        known = ", ".join(sorted(_BY_ID))
        raise HarnessError(f"unknown choice point {choice_id!r}; known: {known}") from None


@dataclasses.dataclass
class Record:
    """The choice points that inputs reached, for the Connections built under one ``assign``."""

    assignment: Mapping[str, Any]
    touched: set[str] = dataclasses.field(default_factory=set)
    # One per Connection: times it reached each point (a sequence of alternatives counts per connection).
    counts: list[dict[str, int]] = dataclasses.field(default_factory=list)

    @property
    def reached(self) -> dict[str, int]:
        """The most times one Connection of the block reached each choice point."""
        most: dict[str, int] = {}
        for counts in self.counts:
            for choice_id, times in counts.items():
                most[choice_id] = max(most.get(choice_id, 0), times)
        return most


_CURRENT: contextvars.ContextVar[Record | None] = contextvars.ContextVar("h11spec_choices", default=None)


def _validated(mapping: Mapping[str, Any]) -> dict[str, Any]:
    full: dict[str, Any] = dict(DEFAULTS)
    for key, value in mapping.items():
        for one in value if isinstance(value, tuple) else (value,):
            if one not in choice(key).alternatives:
                names = ", ".join(choice(key).alternatives)
                raise HarnessError(f"choice point {key!r} has no alternative {one!r}; it has {names}")
        full[key] = value
    return full


@contextlib.contextmanager
def assign(mapping: Mapping[str, Any]) -> Iterator[Record]:
    """Build Connections that take ``mapping``'s alternatives (others: the defaults) inside the block.

    A value is an alternative's name, or a tuple of them: one per time an input reaches the point
    within one connection (the last repeats), to model an implementation that mixes alternatives.

    Yields:
        The ``Record`` every Connection built in the block adds its touched choice points to.

    Raises:
        HarnessError: an unknown choice point or alternative.
    """
    record = Record(_validated(mapping))
    token = _CURRENT.set(record)
    try:
        yield record
    finally:
        _CURRENT.reset(token)


def context() -> tuple[Mapping[str, Any], set[str], dict[str, int]]:
    """What a new Connection takes: the assignment in force, the set to add touched ids to (shared by
    the Connections of one ``assign``) and its own counts of times reached (listed in the Record)."""
    record = _CURRENT.get()
    if record is None:
        return DEFAULTS, set(), {}
    reached: dict[str, int] = {}
    record.counts.append(reached)
    return record.assignment, record.touched, reached


def touched_by(conn: Any) -> frozenset[str]:
    """The choice points a reference Connection's input has reached so far (a private accessor)."""
    return frozenset(conn._receive_buffer.touched)


def reached_by(conn: Any) -> dict[str, int]:
    """How many times a reference Connection's input reached each choice point (a private accessor)."""
    return dict(conn._receive_buffer.reached)


def mixtures(choice_id: str, times: int) -> Iterator[tuple[str, ...]]:
    """Every sequence of ``times`` alternatives of ``choice_id`` that is not one alternative throughout."""
    for combo in itertools.product(choice(choice_id).alternatives, repeat=times):
        if len(set(combo)) > 1:
            yield combo


def assignments(ids: frozenset[str] | set[str]) -> Iterator[dict[str, str]]:
    """Every assignment of alternatives to the choice points ``ids`` (the defaults first)."""
    ordered = sorted(ids)
    options = [
        [choice(i).default, *(a for a in choice(i).alternatives if a != choice(i).default)] for i in ordered
    ]
    for combo in itertools.product(*options):
        yield dict(zip(ordered, combo, strict=True))
