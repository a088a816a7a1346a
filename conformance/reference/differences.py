"""Where the reference implementation departs from h11 0.16, and why: one record per difference.

Theory of operation: the reference is h11's API and behaviour (docs/h11-behaviour.md) except where
h11 0.16 breaks a MUST of RFC 9112 or RFC 9110. Each such place is listed here exactly once, under a
stable ``name`` that the catalog profiles and the h11 mode below use to tell a known divergence from a bug.
The reference's code cites the name next to the rule it changes (grep for ``differences:``), so the
list and the code can be read side by side. Names never change once committed; a difference that goes
away is deleted, not renamed.

Each difference is also a switch, set where the rule is enforced: the rule site asks
``h11_rule(name)`` and, inside ``h11_mode()``, does what h11 0.16 does instead (the reference then
models h11 for that rule). Outside ``h11_mode`` every rule follows the RFC. The switches are internal
configuration held in a context variable read when the rule runs, not API; the engines compare an
implementation with the reference in h11 mode under the ``h11`` profile (``conformance.oracle``), so a
documented difference needs no mask anywhere: adding one is its record here and its switch at the rule.
A test holds that every record has its switch in the reference's code and that, on the record's
catalog cases, the reference in h11 mode behaves as h11 does.

Where the RFCs allow more than one behaviour the place is a choice point instead (``choices.py``),
never both; a test keeps the two tables apart. Choice points are alternatives the RFC allows, which
the oracle enumerates; differences are h11's departures from a MUST, which it never enumerates.

Considered and deliberately *not* made differences (h11 behaviour kept):

- CTLs other than NUL, CR and LF in field values, sent or received: RFC 9110 §5.5 lets recipients
  retain them ("MAY retain such characters for the sake of robustness"), and CR/LF/NUL are already
  rejected by h11, so no CR or LF can reach the wire through a field.
- Received trailers carrying framing fields (Content-Length, Transfer-Encoding, Host): RFC 9110
  §6.5.1 only forbids *merging* them into the header section, which neither h11 nor the reference
  does (they are handed over in ``EndOfMessage.headers``). Sending them is a difference
  (``send-framing-trailer``).
- Upgrade sent without an ``upgrade`` Connection option (RFC 9110 §7.8 sender MUST): requests get no
  automatic headers in h11, the user builds them; a recipient has no MUST here.
"""

from __future__ import annotations

import contextlib
import contextvars
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from conformance.errors import HarnessError


@dataclass(frozen=True)
class Difference:
    """One documented departure of the reference from h11 0.16, made to meet an RFC MUST."""

    name: str  # stable slug, used by the catalog profiles and asked for at the rule (``h11_rule``)
    rfc: str  # "RFC 9112 §6.1"
    sentence: str  # the RFC sentence (quoted)
    h11: str  # what h11 0.16 does
    reference: str  # what we do
    case_ids: tuple[str, ...] = ()  # filled in by the catalog


DIFFERENCES: tuple[Difference, ...] = (
    Difference(
        name="cl-te-keepalive",
        rfc="RFC 9112 §6.1",
        sentence=(
            "A server MAY reject a request that contains both Content-Length and Transfer-Encoding"
            " or process such a request in accordance with the Transfer-Encoding alone. Regardless,"
            " the server MUST close the connection after responding to such a request to avoid the"
            " potential attacks."
        ),
        h11="Frames the message by Transfer-Encoding and keeps the connection reusable.",
        reference=(
            "Frames the message by Transfer-Encoding but turns keep-alive off, for requests and"
            " responses, sent or received: the sender's role ends the message in MUST_CLOSE."
        ),
        case_ids=(
            "9112/6.1/cl-te-both-must-close",
            "9112/6.1/te-cl-both-must-close",
            "9112/6.1/cl-te-pipelined-not-processed",
            "9112/6.3/cl-te-te-overrides-cl",
        ),
    ),
    Difference(
        name="request-when-server-not-idle",
        rfc="RFC 9112 §9.3",
        sentence=(
            "A server MUST send its responses to those requests in the same order that the"
            " requests were received."
        ),
        h11=(
            "A client Request while the server is not IDLE (e.g. after a 408 sent from IDLE)"
            " raises AttributeError from send/next_event (and still enters ERROR). The same defect"
            " (an error message formatted from a tuple event key) makes a response that would fire a"
            " pending switch in a state that cannot take it (a second 200 to CONNECT) raise"
            " AttributeError from send."
        ),
        reference=(
            'Raises the normal "can\'t handle event type Request when role=SERVER and state=..."'
            " LocalProtocolError (RemoteProtocolError from next_event), and for the switching"
            ' response "can\'t handle event type _SWITCH_CONNECT ..." (or _SWITCH_UPGRADE).'
        ),
        case_ids=("9112/9.3/request-after-unsolicited-response",),
    ),
    Difference(
        name="reason-phrase-injection",
        rfc="RFC 9112 §4",
        sentence="reason-phrase  = 1*( HTAB / SP / VCHAR / obs-text )",
        h11=(
            "The reason phrase is not validated: CR, LF and NUL are written raw, so a reason"
            " can inject header lines or split the response."
        ),
        reference=(
            "A reason phrase containing any CTL other than HTAB (CR, LF, NUL included) raises"
            ' LocalProtocolError "Illegal reason phrase ..." when the event is constructed.'
        ),
        case_ids=(
            "9112/4/send-cr-in-reason",
            "9112/4/send-lf-in-reason",
            "9112/4/send-nul-in-reason",
            "9112/4/send-crlf-in-reason",
        ),
    ),
    Difference(
        name="te-in-http10",
        rfc="RFC 9112 §6.1",
        sentence=(
            "A server or client that receives an HTTP/1.0 message containing a Transfer-Encoding"
            " header field MUST treat the message as if the framing is faulty, even if a"
            " Content-Length is present, and close the connection after processing the message."
        ),
        h11="Honours chunked framing in an HTTP/1.0 message (the connection closes anyway).",
        reference="Rejects the received message: RemoteProtocolError, hint 400.",
        case_ids=(
            "9112/6.1/te-in-http10-request",
            "9112/6.1/te-and-cl-in-http10-request",
            "9112/6.1/te-in-http10-response",
        ),
    ),
    Difference(
        name="host-value-invalid",
        rfc="RFC 9112 §3.2",
        sentence=(
            "A server MUST respond with a 400 (Bad Request) status code to any HTTP/1.1 request"
            " message that lacks a Host header field and to any request message that contains"
            " more than one Host header field line or a Host header field with an invalid field"
            " value."
        ),
        h11="The Host value is not validated (any field value, including empty, is accepted).",
        reference=(
            'Host must match uri-host [ ":" port ] (RFC 3986) or be empty; otherwise'
            ' "Invalid Host header" LocalProtocolError at construction, RemoteProtocolError 400'
            " when received."
        ),
        case_ids=(
            "9112/3.2/host-comma-list",
            "9112/3.2/host-userinfo",
            "9112/3.2/host-with-path",
            "9112/3.2/host-inner-space",
            "9112/3.2/host-bad-port",
            "9112/3.2/send-host-invalid",
        ),
    ),
    Difference(
        name="chunk-ext-bare-cr",
        rfc="RFC 9112 §2.2, §7.1.1",
        sentence=(
            "A sender MUST NOT generate a bare CR (a CR character not immediately followed by LF)"
            " within any protocol elements other than the content. A recipient of such a bare CR"
            " MUST consider that element to be invalid or replace each bare CR with SP before"
            " processing the element or forwarding the message."
        ),
        h11="Accepts any bytes except LF after ';' in a chunk-size line (CR and NUL included).",
        reference=(
            'Chunk extensions must match chunk-ext = *( BWS ";" BWS chunk-ext-name'
            ' [ BWS "=" BWS chunk-ext-val ] ); CR, NUL and other CTLs are rejected'
            ' ("illegal chunk header", RemoteProtocolError 400).'
        ),
        case_ids=(
            "9112/7.1.1/chunk-ext-bare-semicolon-cr",
            "9112/7.1.1/chunk-ext-cr-in-value",
            "9112/7.1.1/chunk-ext-cr-in-value-response",
            "9112/7.1.1/chunk-ext-nul",
            "9112/7.1.1/chunk-ext-unbalanced-quote",
            "9112/7.1.1/chunk-ext-bad-token",
        ),
    ),
    Difference(
        name="chunk-ext-bws",
        rfc="RFC 9110 §5.6.3, RFC 9112 §7.1.1",
        sentence=(
            "A recipient MUST parse for such bad whitespace and remove it before interpreting the"
            " protocol element."
        ),
        h11='Rejects whitespace between the chunk size and ";" ("5 ;a\\r\\n").',
        reference="Accepts BWS (SP / HTAB) around ';' and '=' in chunk extensions.",
        case_ids=("9112/7.1.1/chunk-ext-bws-before-semicolon",),
    ),
    Difference(
        name="send-cl-with-te",
        rfc="RFC 9112 §6.2",
        sentence=(
            "A sender MUST NOT send a Content-Length header field in any message that contains a"
            " Transfer-Encoding header field."
        ),
        h11="Sends a Request, InformationalResponse or length-0 Response carrying both as given.",
        reference=(
            "send() of any message that still has both headers after the automatic response"
            " headers raises LocalProtocolError: Requests, 1xx, and Responses whose framing"
            " is length 0 (304, answers to HEAD), which the clean-up leaves alone."
        ),
        case_ids=("9112/6.2/send-cl-with-te",),
    ),
    Difference(
        name="send-framing-on-1xx-204",
        rfc="RFC 9112 §6.1; RFC 9110 §8.6",
        sentence=(
            "A server MUST NOT send a Transfer-Encoding header field in any response with a status"
            " code of 1xx (Informational) or 204 (No Content). / A server MUST NOT send a"
            " Content-Length header field in any response with a status code of 1xx"
            " (Informational) or 204 (No Content)."
        ),
        h11="Writes Content-Length / Transfer-Encoding on a 1xx or 204 as given.",
        reference="send() of such a response raises LocalProtocolError.",
        case_ids=(
            "9110/8.6/send-framing-on-204-cl",
            "9110/8.6/send-framing-on-204-te",
            "9110/8.6/send-framing-on-1xx-cl",
            "9110/8.6/send-framing-on-1xx-te",
        ),
    ),
    Difference(
        name="send-framing-on-connect-2xx",
        rfc="RFC 9112 §6.1; RFC 9110 §8.6",
        sentence=(
            "A server MUST NOT send a Transfer-Encoding header field in any 2xx (Successful)"
            " response to a CONNECT request. / A server MUST NOT send a Content-Length header"
            " field in any 2xx (Successful) response to a CONNECT request."
        ),
        h11="Writes Content-Length / Transfer-Encoding on a 2xx answer to CONNECT as given.",
        reference="send() of such a response raises LocalProtocolError.",
        case_ids=("9110/9.3.6/connect-2xx-no-framing-sent",),
    ),
    Difference(
        name="connect-2xx-framing-ignored",
        rfc="RFC 9112 §6.3",
        sentence=(
            "Any 2xx (Successful) response to a CONNECT request implies that the connection will"
            " become a tunnel immediately after the empty line that concludes the header fields. A"
            " client MUST ignore any Content-Length or Transfer-Encoding header fields received in"
            " such a message."
        ),
        h11=(
            "Validates those fields before it knows the response answers CONNECT: an invalid value"
            ' ("Content-Length: abc", "Content-Length: 1, 2", "Transfer-Encoding: gzip") raises'
            " RemoteProtocolError and the tunnel never opens."
        ),
        reference=(
            "A client reading a 2xx to its CONNECT request leaves Content-Length and"
            " Transfer-Encoding alone: their values are not checked, collapsed or lowercased (they"
            " are handed over as received), the HTTP/1.0 Transfer-Encoding rule and the"
            " cl-identical-list choice point do not apply, and the tunnel opens. 1xx and non-2xx"
            " answers to CONNECT are checked as any response."
        ),
        case_ids=(
            "9112/6.3/connect-2xx-ignores-invalid-cl",
            "9112/6.3/connect-2xx-ignores-cl-list",
            "9112/6.3/connect-2xx-ignores-invalid-te",
            "9112/6.3/connect-2xx-ignores-invalid-cl-and-te",
        ),
    ),
    Difference(
        name="te-chunked-not-final",
        rfc="RFC 9112 §6.3",
        sentence=(
            "If a Transfer-Encoding header field is present in a request and the chunked transfer"
            " coding is not the final encoding, the message body length cannot be determined"
            " reliably; the server MUST respond with the 400 (Bad Request) status code and then"
            " close the connection."
        ),
        h11='Every unsupported Transfer-Encoding gets error_status_hint 501 ("chunked, gzip" too).',
        reference=(
            "A received request (server side) whose last transfer coding is not chunked is still"
            " rejected, but with error_status_hint 400, on one field line or several (the combined"
            ' list decides: "chunked" then "gzip" is 400); 501 stays for codings we do not implement'
            ' before a final chunked ("gzip, chunked"), and for responses, trailers and events the'
            " caller builds (the MUST is about the server's answer to a request)."
        ),
        case_ids=(
            "9112/6.3/te-chunked-then-gzip",
            "9112/6.3/te-chunked-then-gzip-two-lines",
            "9112/6.3/te-xchunked",
            "9112/6.3/te-identity",
            "9112/6.3/te-chunkedchunked",
            "9112/6.3/te-chunked-nbsp",
            "9112/6.3/te-chunked-high-byte",
            "9112/6.3/te-quoted",
            "9112/6.3/te-obs-fold-trailing-coding",
        ),
    ),
    Difference(
        name="upgrade-in-http10",
        rfc="RFC 9110 §7.8",
        sentence=("A server MUST ignore an Upgrade header field that is received in an HTTP/1.0 request."),
        h11="An HTTP/1.0 request's Upgrade header proposes a protocol switch.",
        reference=(
            "An Upgrade header in a request whose http_version is below 1.1 proposes nothing"
            " (a 101 in reply is then the usual no-pending-proposal error)."
        ),
        case_ids=("9110/7.8/upgrade-in-http10-ignored",),
    ),
    Difference(
        name="send-101-without-upgrade",
        rfc="RFC 9110 §7.8",
        sentence=(
            "A server that sends a 101 (Switching Protocols) response MUST send an Upgrade header"
            " field to indicate the new protocol(s) to which the connection is being switched."
        ),
        h11="Sends a 101 without an Upgrade header field.",
        reference="send() of a 101 without a non-empty Upgrade header raises LocalProtocolError.",
        case_ids=("9110/7.8/send-101-without-upgrade",),
    ),
    Difference(
        name="send-framing-trailer",
        rfc="RFC 9110 §6.5.1",
        sentence=(
            "A sender MUST NOT generate a trailer field unless the sender knows the corresponding"
            " header field name's definition permits the field to be sent in trailers."
        ),
        h11="Sends Content-Length, Transfer-Encoding or Host as trailer fields.",
        reference=(
            "send() of an EndOfMessage whose trailers contain Content-Length,"
            " Transfer-Encoding or Host raises LocalProtocolError."
        ),
        case_ids=("9110/6.5.1/send-trailer-framing-field",),
    ),
    Difference(
        name="size-limit-split-invariant",
        rfc="RFC 9110 §5.4",
        sentence=(
            "A server that receives a request header field line, field value, or set of fields"
            " larger than it wishes to process MUST respond with an appropriate 4xx (Client Error)"
            " status code."
        ),
        h11=(
            "max_incomplete_event_size limits only what it could not parse yet: a head, chunk-size"
            " line or trailer section over the limit is accepted when it arrives complete in one"
            " receive_data and refused (RemoteProtocolError 431) when it arrives in pieces."
        ),
        reference=(
            "Decides by size, not by arrival: a head (blank line included), chunk-size line (CRLF"
            " included) or trailer section longer than max_incomplete_event_size raises"
            ' RemoteProtocolError "Receive buffer too long" (431), complete or not, in either'
            " role; anything within the limit is accepted in every split."
        ),
        case_ids=(
            "9112/7.1.1/chunk-ext-oversized",
            "9110/5.4/header-section-too-large-complete",
            "9110/5.4/head-past-limit",
        ),
    ),
)

_BY_NAME: dict[str, Difference] = {d.name: d for d in DIFFERENCES}


def difference(name: str) -> Difference:
    """The documented difference called ``name``.

    Returns:
        The ``Difference`` record.

    Raises:
        HarnessError: no difference has that name (a typo in a profile or mask).
    """
    try:
        return _BY_NAME[name]
    except KeyError:
        known = ", ".join(sorted(_BY_NAME))
        raise HarnessError(f"unknown reference difference {name!r}; known: {known}") from None


_H11_MODE: contextvars.ContextVar[frozenset[str]] = contextvars.ContextVar(
    "h11spec_differences", default=frozenset()
)


def h11_rule(name: str) -> bool:
    """Whether the rule of difference ``name`` takes h11 0.16's behaviour here (inside ``h11_mode``).

    Called at the rule site in the reference; ``name`` must be a documented difference (a test holds
    it), so this stays one context-variable read on the hot path.
    """
    return name in _H11_MODE.get()


@contextlib.contextmanager
def h11_mode(names: Iterable[str] | None = None) -> Iterator[frozenset[str]]:
    """Inside the block, the rules of the differences ``names`` (default: all) behave as in h11 0.16.

    The switch is read when a rule runs, so every reference call that should model h11 (building an
    event, send, receive_data, next_event) is made inside the block.

    Yields:
        The names switched to h11's behaviour.

    Raises:
        HarnessError: an unknown difference name.
    """
    chosen = frozenset(_BY_NAME) if names is None else frozenset(difference(n).name for n in names)
    token = _H11_MODE.set(chosen)
    try:
        yield chosen
    finally:
        _H11_MODE.reset(token)
