"""Every requirement sentence of RFC 9112, and of the RFC 9110 sections the catalog cites, classified once.

Theory of operation: ``REQUIREMENTS`` is data, one frozen ``Requirement`` per sentence that holds a BCP 14
keyword, in document order, as ``conformance.catalog.rfc.extract`` reads it from the RFCs' xml2rfc sources:
the id (``9112/6.3/r5``: RFC, section, ordinal among the section's requirement sentences), the keyword(s)
and the sentence itself. A self-test re-extracts the sentences from the sources and fails when this table
lists other ones, so the table cannot drift from the RFC text; it also checks every case id named here.

RFC 9110 is in scope where the catalog cites it: every section some case's ``rfc`` names, and the
subsections of such a section when it holds no requirement sentence of its own (§5.6.1's live in §5.6.1.1
and §5.6.1.2). RFC 9112 is in scope whole.

Each requirement has exactly one classification:

- ``checked``: a rule a sans-I/O message layer must meet, or a permission it must let its caller use (a
  MAY such as pipelining); ``cases`` are the catalog cases that check it. A ``checked`` requirement with no
  case yet is what ``h11spec requirements --missing`` lists;
- ``choice``: a choice point, where conforming implementations may differ: a MAY, a SHOULD whose
  alternative is taken in the field, or a MUST that leaves the outcome open ("reject, or replace with SP",
  "an appropriate 4xx"). ``choice`` names it with a slug; the reference's switches
  (``conformance/reference/choices.py``) use the same slugs. Its ``cases`` are the catalog cases about it;
- ``out-of-scope``: nothing a message layer can meet or break, with one of the ``REASONS``.

Testable means ``checked`` or ``choice``; a testable requirement is covered when at least one case names
it. Coverage is covered over testable (``conformance.catalog.coverage``).
"""

from __future__ import annotations

import dataclasses

CHECKED, CHOICE, OUT_OF_SCOPE = "checked", "choice", "out-of-scope"
KINDS = (CHECKED, CHOICE, OUT_OF_SCOPE)

REASONS: dict[str, str] = {
    "notation": "Defines the requirement keywords themselves; it requires nothing of an implementation.",
    "intermediary": "About proxies, gateways, tunnels or other intermediaries; a message layer forwards "
    "nothing.",
    "cache": "About caches; a message layer stores nothing.",
    "tls": "About TLS; a sans-I/O message layer never sees the transport.",
    "registry": "About IANA registrations or the authors of other specifications.",
    "caller-io": "Connection management the h11 API leaves to its caller: timeouts, retries, monitoring "
    "the socket, when to open or close it.",
    "application": "A decision of the application above the message layer: which target, fields, framing "
    "headers, versions and content to send, and what received values mean; the layer carries them.",
    "codings": "About transfer codings other than chunked; the h11 API decodes only chunked and rejects "
    "any other coding (9112/7/te-unknown-coding-501).",
    "media-type": 'About the "message/http" media type, which a message layer sees only as content.',
}


@dataclasses.dataclass(frozen=True)
class Requirement:
    """One requirement sentence and its classification (see the module docstring)."""

    id: str
    keyword: str
    sentence: str
    kind: str
    cases: tuple[str, ...] = ()
    choice: str = ""
    reason: str = ""
    note: str = ""  # what the cases leave open, or why a rule falls to the caller

    def __post_init__(self) -> None:
        valid = {
            CHECKED: not self.choice and not self.reason,
            CHOICE: bool(self.choice) and not self.reason,
            OUT_OF_SCOPE: self.reason in REASONS and not self.choice and not self.cases,
        }
        if not valid.get(self.kind, False):
            raise ValueError(f"{self.id}: inconsistent classification {self.kind!r}")

    @property
    def rfc(self) -> str:
        """``RFC 9112`` or ``RFC 9110``."""
        return "RFC " + self.id.split("/")[0]

    @property
    def section(self) -> str:
        """The section number, ``6.3``."""
        return self.id.split("/")[1]

    @property
    def testable(self) -> bool:
        """True for ``checked`` and ``choice`` requirements."""
        return self.kind != OUT_OF_SCOPE

    @property
    def covered(self) -> bool:
        """True when the requirement is testable and at least one case checks it."""
        return self.testable and bool(self.cases)


# Choice points that are not switches of the reference: the cases themselves list every allowed outcome
# (``Either``), so no engine needs the reference to take each alternative. Every other choice slug names a
# switch of ``conformance.reference.choices`` (a test checks both).
OPEN_CHOICES: dict[str, str] = {
    "rejection-status-code": "the status hint of a rejection the RFC fixes no code for: the cases list each "
    "acceptable hint",
    "chunked-parameters": "chunk extensions the recipient does not understand: ignored, or an error",
    "combine-field-lines": "field lines of one name combined into one value or kept apart: both read alike",
    "extra-data-after-response": "bytes after the last response: discarded, or left unread",
    "field-value-crlfnul-handling": "CR, LF or NUL in a field value: the message rejected, or the byte "
    "replaced with SP",
}


def _checked(rid: str, keyword: str, sentence: str, *cases: str, note: str = "") -> Requirement:
    return Requirement(rid, keyword, sentence, CHECKED, cases, note=note)


def _choice(rid: str, keyword: str, sentence: str, slug: str, *cases: str, note: str = "") -> Requirement:
    return Requirement(rid, keyword, sentence, CHOICE, cases, choice=slug, note=note)


def _out(rid: str, keyword: str, sentence: str, reason: str, note: str = "") -> Requirement:
    return Requirement(rid, keyword, sentence, OUT_OF_SCOPE, reason=reason, note=note)


REQUIREMENTS: tuple[Requirement, ...] = (
    _out(
        "9112/1.1/r1",
        "MUST/MUST NOT/REQUIRED/SHALL/SHALL NOT/SHOULD/SHOULD NOT/RECOMMENDED/NOT RECOMMENDED/MAY/OPTIONAL",
        (
            'The key words "MUST", "MUST NOT", "REQUIRED", "SHALL", "SHALL NOT", "SHOULD", "SHOULD NOT", '
            '"RECOMMENDED", "NOT RECOMMENDED", "MAY", and "OPTIONAL" in this document are to be '
            "interpreted as described in BCP 14 [RFC2119] [RFC8174] when, and only when, they appear in "
            "all capitals, as shown here."
        ),
        "notation",
    ),
    _checked(
        "9112/2.2/r1",
        "MUST",
        (
            "A recipient MUST parse an HTTP message as a sequence of octets in an encoding that is a "
            "superset of US-ASCII [USASCII]."
        ),
        "9112/6.3/cl-fullwidth-digit",
        "9112/5/te-name-unicode-lookalike",
        "9112/5/field-value-obs-text",
        "9112/3.1/method-non-ascii",
    ),
    _choice(
        "9112/2.2/r2",
        "MAY",
        (
            "Although the line terminator for the start-line and fields is the sequence CRLF, a recipient "
            "MAY recognize a single LF as a line terminator and ignore any preceding CR."
        ),
        "bare-lf",
        "9112/2.2/bare-lf-everywhere",
        "9112/2.2/bare-lf-request-line",
        "9112/2.2/bare-lf-final",
        "9112/2.2/bare-lf-response",
        "9112/2.2/bare-lf-chunked-trailer",
        "9112/7.1/chunk-size-bare-lf",
        "9112/7.1/chunk-last-bare-lf",
        "9112/2.2/leading-lf-no-crash",
    ),
    _checked(
        "9112/2.2/r3",
        "MUST NOT",
        (
            "A sender MUST NOT generate a bare CR (a CR character not immediately followed by LF) within "
            "any protocol elements other than the content."
        ),
        "9110/5.5/send-cr-in-header-value-request",
        "9110/5.5/send-cr-in-header-value-response",
        "9110/5.1/send-cr-in-header-name-request",
        "9112/3.1/send-cr-in-method",
        "9112/3.2/send-cr-in-target",
        "9112/4/send-cr-in-reason",
        "9110/5.5/send-cr-in-trailer-value",
    ),
    _choice(
        "9112/2.2/r4",
        "MUST",
        (
            "A recipient of such a bare CR MUST consider that element to be invalid or replace each bare "
            "CR with SP before processing the element or forwarding the message."
        ),
        "bare-cr",
        "9112/2.2/field-value-bare-cr",
        "9112/2.2/field-value-bare-cr-end",
        "9112/2.2/field-name-bare-cr",
        "9112/2.2/header-end-cr-x",
        "9112/2.2/header-end-cr-x-response",
        "9112/2.2/request-line-bare-cr",
        "9112/7.1/chunk-size-bare-cr",
        "9112/7.1/chunk-size-bare-cr-response",
        "9112/7.1.1/chunk-ext-bare-semicolon-cr",
        "9112/7.1.1/chunk-ext-cr-in-value",
        "9112/7.1.1/chunk-ext-cr-in-value-response",
        "9110/5.5/field-value-bare-cr-response",
    ),
    _checked(
        "9112/2.2/r5",
        "MUST NOT",
        "An HTTP/1.1 user agent MUST NOT preface or follow a request with an extra CRLF.",
        "9112/3/send-request-line",
        "9112/6.2/send-cl-exact",
    ),
    _checked(
        "9112/2.2/r6",
        "MUST",
        (
            "If terminating the request message body with a line-ending is desired, then the user agent "
            "MUST count the terminating CRLF octets as part of the message body length."
        ),
        "9112/6.2/send-cl-overrun",
        "9112/6.2/send-cl-exact",
        note=(
            "The layer's part: every body byte counts toward Content-Length, so an uncounted CRLF "
            "overruns it and is refused."
        ),
    ),
    _choice(
        "9112/2.2/r7",
        "SHOULD",
        (
            "In the interest of robustness, a server that is expecting to receive and parse a "
            "request-line SHOULD ignore at least one empty line (CRLF) received prior to the "
            "request-line."
        ),
        "leading-empty-lines",
        "9112/2.2/leading-crlf-ignored",
        "9112/2.2/leading-crlf-between-requests",
    ),
    _checked(
        "9112/2.2/r8",
        "MUST NOT",
        "A sender MUST NOT send whitespace between the start-line and the first header field.",
        "9112/2.2/send-ws-before-first-field",
    ),
    _choice(
        "9112/2.2/r9",
        "MUST",
        (
            "A recipient that receives whitespace between the start-line and the first header field MUST "
            "either reject the message as invalid or consume each whitespace-preceded line without "
            "further processing of it (i.e., ignore the entire line, along with any subsequent lines "
            "preceded by whitespace, until a properly formed header field is received or the header "
            "section is terminated)."
        ),
        "whitespace-after-start-line",
        "9112/2.2/ws-line-after-request-line",
        "9112/2.2/ws-line-after-request-line-host",
        "9112/2.2/ws-line-after-status-line",
    ),
    _choice(
        "9112/2.2/r10",
        "SHOULD",
        (
            "When a server listening only for HTTP request messages, or processing what appears from the "
            "start-line to be an HTTP request message, receives a sequence of octets that does not match "
            "the HTTP-message grammar aside from the robustness exceptions listed above, the server "
            "SHOULD respond with a 400 (Bad Request) response and close the connection."
        ),
        "rejection-status-code",
        "9112/2.2/auto-close-on-error-from-idle",
        "9112/2.3/tls-handshake-rejected",
        "9112/9.3.2/invalid-after-valid",
    ),
    _out(
        "9112/2.3/r1",
        "MUST",
        (
            "Intermediaries that process HTTP messages (i.e., all intermediaries other than those acting "
            "as tunnels) MUST send their own HTTP-version in forwarded messages, unless it is "
            "purposefully downgraded as a workaround for an upstream issue."
        ),
        "intermediary",
    ),
    _out(
        "9112/2.3/r2",
        "MAY",
        (
            "A server MAY send an HTTP/1.0 response to an HTTP/1.1 request if it is known or suspected "
            "that the client incorrectly implements the HTTP specification and is incapable of correctly "
            "processing later version responses, such as when a client fails to parse the version number "
            "correctly or when an intermediary is known to blindly forward the HTTP-version even when it "
            "doesn't conform to the given minor version of the protocol."
        ),
        "application",
    ),
    _out(
        "9112/2.3/r3",
        "SHOULD NOT",
        (
            "Such protocol downgrades SHOULD NOT be performed unless triggered by specific client "
            "attributes, such as when one or more of the request header fields (e.g., User-Agent) "
            "uniquely match the values sent by a client known to be in error."
        ),
        "application",
    ),
    _choice(
        "9112/3/r1",
        "MAY",
        (
            "Although the request-line grammar rule requires that each of the component elements be "
            "separated by a single SP octet, recipients MAY instead parse on whitespace-delimited word "
            "boundaries and, aside from the CRLF terminator, treat any form of whitespace as the SP "
            "separator while ignoring preceding or trailing whitespace; such whitespace includes one or "
            "more of the following octets: SP, HTAB, VT (%x0B), FF (%x0C), or bare CR."
        ),
        "start-line-whitespace",
        "9112/3/request-line-ws-lenient",
        "9112/3/request-line-double-sp",
        "9112/3/request-line-htab",
        "9112/3/request-line-vt",
        "9112/3/request-line-ff",
        "9112/3/request-line-trailing-sp",
    ),
    _out(
        "9112/3/r2",
        "SHOULD",
        (
            "A server that receives a method longer than any that it implements SHOULD respond with a 501 "
            "(Not Implemented) status code."
        ),
        "application",
    ),
    _checked(
        "9112/3/r3",
        "MUST",
        (
            "A server that receives a request-target longer than any URI it wishes to parse MUST respond "
            "with a 414 (URI Too Long) status code (see [HTTP, status.414])."
        ),
        "9112/3/target-too-long-limited",
    ),
    _checked(
        "9112/3/r4",
        "RECOMMENDED",
        (
            "It is RECOMMENDED that all HTTP senders and recipients support, at a minimum, request-line "
            "lengths of 8000 octets."
        ),
        "9112/3/request-line-8000-octets",
    ),
    _choice(
        "9112/3.2/r1",
        "SHOULD",
        (
            "Recipients of an invalid request-line SHOULD respond with either a 400 (Bad Request) error "
            "or a 301 (Moved Permanently) redirect with the request-target properly encoded."
        ),
        "rejection-status-code",
        "9112/3.2/asterisk-form-with-get",
        "9112/3.2/authority-form-without-connect",
    ),
    _checked(
        "9112/3.2/r2",
        "SHOULD NOT",
        (
            "A recipient SHOULD NOT attempt to autocorrect and then process the request without a "
            "redirect, since the invalid request-line might be deliberately crafted to bypass security "
            "filters along the request chain."
        ),
        "9112/3.2/target-with-space",
        "9112/3.2/target-with-ctl",
        "9112/3/request-line-double-sp",
    ),
    _checked(
        "9112/3.2/r3",
        "MUST",
        ("A client MUST send a Host header field ([HTTP, field.host]) in all HTTP/1.1 request messages."),
        "9112/3.2/send-host-missing",
    ),
    _out(
        "9112/3.2/r4",
        "MUST",
        (
            "If the target URI includes an authority component, then a client MUST send a field value for "
            "Host that is identical to that authority component, excluding any userinfo subcomponent and "
            'its "@" delimiter ([HTTP, uri.schemes]).'
        ),
        "application",
    ),
    _out(
        "9112/3.2/r5",
        "MUST",
        (
            "If the authority component is missing or undefined for the target URI, then a client MUST "
            "send a Host header field with an empty field value."
        ),
        "application",
    ),
    _checked(
        "9112/3.2/r6",
        "MUST",
        (
            "A server MUST respond with a 400 (Bad Request) status code to any HTTP/1.1 request message "
            "that lacks a Host header field and to any request message that contains more than one Host "
            "header field line or a Host header field with an invalid field value."
        ),
        "9112/3.2/host-missing",
        "9112/3.2/host-duplicated",
        "9112/3.2/host-duplicated-differ",
        "9112/3.2/host-duplicated-http10",
        "9112/3.2/host-comma-list",
        "9112/3.2/host-userinfo",
        "9112/3.2/host-with-path",
        "9112/3.2/host-inner-space",
        "9112/3.2/host-bad-port",
        "9112/3.2/host-empty-allowed",
        "9112/3.2/host-missing-http10-ok",
    ),
    _out(
        "9112/3.2.1/r1",
        "MUST",
        (
            "When making a request directly to an origin server, other than a CONNECT or server-wide "
            "OPTIONS request (as detailed below), a client MUST send only the absolute path and query "
            "components of the target URI as the request-target."
        ),
        "application",
    ),
    _checked(
        "9112/3.2.1/r2",
        "MUST",
        (
            'If the target URI\'s path component is empty, the client MUST send "/" as the path within the '
            "origin-form of request-target."
        ),
        "9112/3.2/send-target-empty",
    ),
    _out(
        "9112/3.2.2/r1",
        "MUST",
        (
            "When making a request to a proxy, other than a CONNECT or server-wide OPTIONS request (as "
            "detailed below), a client MUST send the target URI in absolute-form as the request-target."
        ),
        "application",
    ),
    _checked(
        "9112/3.2.2/r2",
        "MUST",
        (
            "A client MUST send a Host header field in an HTTP/1.1 request even if the request-target is "
            "in the absolute-form, since this allows the Host information to be forwarded through ancient "
            "HTTP/1.0 proxies that might not have implemented Host."
        ),
        "9112/3.2.2/send-absolute-form-host-missing",
    ),
    _out(
        "9112/3.2.2/r3",
        "MUST",
        (
            "When a proxy receives a request with an absolute-form of request-target, the proxy MUST "
            "ignore the received Host header field (if any) and instead replace it with the host "
            "information of the request-target."
        ),
        "intermediary",
    ),
    _out(
        "9112/3.2.2/r4",
        "MUST",
        (
            "A proxy that forwards such a request MUST generate a new Host field value based on the "
            "received request-target rather than forward the received Host field value."
        ),
        "intermediary",
    ),
    _out(
        "9112/3.2.2/r5",
        "MUST",
        (
            "When an origin server receives a request with an absolute-form of request-target, the origin "
            "server MUST ignore the received Host header field (if any) and instead use the host "
            "information of the request-target."
        ),
        "application",
    ),
    _checked(
        "9112/3.2.2/r6",
        "MUST",
        (
            "A server MUST accept the absolute-form in requests even though most HTTP/1.1 clients will "
            "only send the absolute-form to a proxy."
        ),
        "9112/3/target-absolute-form",
    ),
    _out(
        "9112/3.2.3/r1",
        "MUST",
        (
            "When making a CONNECT request to establish a tunnel through one or more proxies, a client "
            "MUST send only the host and port of the tunnel destination as the request-target."
        ),
        "application",
        note=(
            "The h11 API sends the target the caller gives and does not tell request-target forms apart "
            "(the reference keeps h11's behaviour here)."
        ),
    ),
    _out(
        "9112/3.2.4/r1",
        "MUST",
        (
            "When a client wishes to request OPTIONS for the server as a whole, as opposed to a specific "
            'named resource of that server, the client MUST send only "*" (%x2A) as the request-target.'
        ),
        "application",
    ),
    _out(
        "9112/3.2.4/r2",
        "MUST",
        (
            "If a proxy receives an OPTIONS request with an absolute-form of request-target in which the "
            "URI has an empty path and no query component, then the last proxy on the request chain MUST "
            'send a request-target of "*" when it forwards the request to the indicated origin server.'
        ),
        "intermediary",
    ),
    _out(
        "9112/3.3/r1",
        "MAY",
        (
            "A server that can uniquely identify an authority from the request context MAY use that "
            "identity as a default without this risk."
        ),
        "application",
    ),
    _checked(
        "9112/4/r1",
        "OPTIONAL",
        (
            "The first line of a response message is the status-line, consisting of the protocol version, "
            "a space (SP), the status code, and another space and ending with an OPTIONAL textual phrase "
            "describing the status code."
        ),
        "9112/4/status-reason-empty",
        "9112/4/status-line-space-no-reason",
    ),
    _choice(
        "9112/4/r2",
        "MAY",
        (
            "Although the status-line grammar rule requires that each of the component elements be "
            "separated by a single SP octet, recipients MAY instead parse on whitespace-delimited word "
            "boundaries and, aside from the line terminator, treat any form of whitespace as the SP "
            "separator while ignoring preceding or trailing whitespace; such whitespace includes one or "
            "more of the following octets: SP, HTAB, VT (%x0B), FF (%x0C), or bare CR."
        ),
        "start-line-whitespace",
        "9112/4/status-line-ws-lenient",
        "9112/4/status-no-space-before-missing-reason",
    ),
    _checked(
        "9112/4/r3",
        "SHOULD",
        (
            "A client SHOULD ignore the reason-phrase content because it is not a reliable channel for "
            "information (it might be translated for a given locale, overwritten by intermediaries, or "
            "discarded when the message is forwarded via other versions of HTTP)."
        ),
        "9112/4/status-reason-obs-text",
        "9112/4/status-reason-spaces",
    ),
    _checked(
        "9112/4/r4",
        "MUST",
        (
            "A server MUST send the space that separates the status-code from the reason-phrase even when "
            "the reason-phrase is absent (i.e., the status-line would end with the space)."
        ),
        "9112/4/status-line-space-no-reason",
    ),
    _checked(
        "9112/5.1/r1",
        "MUST",
        (
            "A server MUST reject, with a response status code of 400 (Bad Request), any received request "
            "message that contains whitespace between a header field name and colon."
        ),
        "9112/5.1/ws-before-colon-space",
        "9112/5.1/ws-before-colon-tab",
        "9112/5.1/ws-before-colon-content-length",
    ),
    _out(
        "9112/5.1/r2",
        "MUST",
        (
            "A proxy MUST remove any such whitespace from a response message before forwarding the "
            "message downstream."
        ),
        "intermediary",
    ),
    _checked(
        "9112/5.2/r1",
        "MUST NOT",
        (
            "A sender MUST NOT generate a message that includes line folding (i.e., that has any field "
            "line value that contains a match to the obs-fold rule) unless the message is intended for "
            'packaging within the "message/http" media type.'
        ),
        "9110/5.5/send-crlf-in-header-value-request",
        "9110/5.5/send-crlf-in-header-value-response",
        "9110/5.5/send-crlf-in-trailer-value",
    ),
    _choice(
        "9112/5.2/r2",
        "MUST",
        (
            'A server that receives an obs-fold in a request message that is not within a "message/http" '
            "container MUST either reject the message by sending a 400 (Bad Request), preferably with a "
            "representation explaining that obsolete line folding is unacceptable, or replace each "
            "received obs-fold with one or more SP octets prior to interpreting the field value or "
            "forwarding the message downstream."
        ),
        "obs-fold",
        "9112/5.2/obs-fold-request",
        "9112/5.2/obs-fold-request-tab",
        "9112/5.2/obs-fold-request-wide",
        "9112/5.2/obs-fold-request-trailer",
        "9112/5.2/obs-fold-content-length",
        "9112/5.2/te-obs-fold-value",
    ),
    _out(
        "9112/5.2/r3",
        "MUST",
        (
            "A proxy or gateway that receives an obs-fold in a response message that is not within a "
            '"message/http" container MUST either discard the message and replace it with a 502 (Bad '
            "Gateway) response, preferably with a representation explaining that unacceptable line "
            "folding was received, or replace each received obs-fold with one or more SP octets prior to "
            "interpreting the field value or forwarding the message downstream."
        ),
        "intermediary",
    ),
    _checked(
        "9112/5.2/r4",
        "MUST",
        (
            "A user agent that receives an obs-fold in a response message that is not within a "
            '"message/http" container MUST replace each received obs-fold with one or more SP octets '
            "prior to interpreting the field value."
        ),
        "9112/5.2/obs-fold-response",
        "9112/5.2/te-obs-fold-response",
        "9112/5.2/obs-fold-response-wide",
    ),
    _checked(
        "9112/6.1/r1",
        "MUST",
        (
            "A recipient MUST be able to parse the chunked transfer coding (Section 7.1) because it plays "
            "a crucial role in framing messages when the content size is not known in advance."
        ),
        "9112/7.1/chunk-many-small",
        "9112/7.1/chunk-size-uppercase-hex",
        "9112/7.1/chunk-data-contains-crlf",
    ),
    _checked(
        "9112/6.1/r2",
        "MUST NOT",
        (
            "A sender MUST NOT apply the chunked transfer coding more than once to a message body (i.e., "
            "chunking an already chunked message is not allowed)."
        ),
        "9112/6.1/te-chunked-twice",
        "9112/6.1/te-chunked-two-lines",
        "9112/6.1/te-chunked-twice-response",
    ),
    _checked(
        "9112/6.1/r3",
        "MUST",
        (
            "If any transfer coding other than chunked is applied to a request's content, the sender MUST "
            "apply chunked as the final transfer coding to ensure that the message is properly framed."
        ),
        "9112/6.1/send-te-not-chunked",
    ),
    _checked(
        "9112/6.1/r4",
        "MUST",
        (
            "If any transfer coding other than chunked is applied to a response's content, the sender "
            "MUST either apply chunked as the final transfer coding or terminate the message by closing "
            "the connection."
        ),
        "9112/6.1/send-te-not-chunked-response",
    ),
    _out(
        "9112/6.1/r5",
        "MAY",
        (
            "Any recipient along the request/response chain MAY decode the received transfer coding(s) or "
            "apply additional transfer coding(s) to the message body, assuming that corresponding changes "
            "are made to the Transfer-Encoding field value."
        ),
        "intermediary",
    ),
    _checked(
        "9112/6.1/r6",
        "MAY",
        (
            "Transfer-Encoding MAY be sent in a response to a HEAD request or in a 304 (Not Modified) "
            "response ([HTTP, status.304]) to a GET request, neither of which includes a message body, to "
            "indicate that the origin server would have applied a transfer coding to the message body if "
            "the request had been an unconditional GET."
        ),
        "9112/6.3/head-response-with-te-has-no-body",
        "9112/6.3/304-with-te-has-no-body",
    ),
    _checked(
        "9112/6.1/r7",
        "MUST NOT",
        (
            "A server MUST NOT send a Transfer-Encoding header field in any response with a status code "
            "of 1xx (Informational) or 204 (No Content)."
        ),
        "9110/8.6/send-framing-on-204-te",
        "9110/8.6/send-framing-on-1xx-te",
    ),
    _checked(
        "9112/6.1/r8",
        "MUST NOT",
        (
            "A server MUST NOT send a Transfer-Encoding header field in any 2xx (Successful) response to "
            "a CONNECT request ([HTTP, CONNECT])."
        ),
        "9110/9.3.6/connect-2xx-no-framing-sent",
    ),
    _choice(
        "9112/6.1/r9",
        "SHOULD",
        (
            "A server that receives a request message with a transfer coding it does not understand "
            "SHOULD respond with 501 (Not Implemented)."
        ),
        "rejection-status-code",
        "9112/7/te-unknown-coding-501",
    ),
    _out(
        "9112/6.1/r10",
        "MUST NOT",
        (
            "A client MUST NOT send a request containing Transfer-Encoding unless it knows the server "
            "will handle HTTP/1.1 requests (or later minor revisions); such knowledge might be in the "
            "form of specific user configuration or by remembering the version of a prior received "
            "response."
        ),
        "application",
    ),
    _checked(
        "9112/6.1/r11",
        "MUST NOT",
        (
            "A server MUST NOT send a response containing Transfer-Encoding unless the corresponding "
            "request indicates HTTP/1.1 (or later minor revisions)."
        ),
        "9112/6.1/auto-close-http10",
    ),
    _choice(
        "9112/6.1/r12",
        "MAY",
        (
            "A server MAY reject a request that contains both Content-Length and Transfer-Encoding or "
            "process such a request in accordance with the Transfer-Encoding alone."
        ),
        "cl-te-request",
        "9112/6.1/cl-te-both-must-close",
        "9112/6.1/te-cl-both-must-close",
    ),
    _checked(
        "9112/6.1/r13",
        "MUST",
        (
            "Regardless, the server MUST close the connection after responding to such a request to avoid "
            "the potential attacks."
        ),
        "9112/6.1/cl-te-both-must-close",
        "9112/6.1/te-cl-both-must-close",
        "9112/6.1/cl-te-pipelined-not-processed",
    ),
    _checked(
        "9112/6.1/r14",
        "MUST",
        (
            "A server or client that receives an HTTP/1.0 message containing a Transfer-Encoding header "
            "field MUST treat the message as if the framing is faulty, even if a Content-Length is "
            "present, and close the connection after processing the message."
        ),
        "9112/6.1/te-in-http10-request",
        "9112/6.1/te-and-cl-in-http10-request",
        "9112/6.1/te-in-http10-response",
    ),
    _checked(
        "9112/6.2/r1",
        "MUST NOT",
        (
            "A sender MUST NOT send a Content-Length header field in any message that contains a "
            "Transfer-Encoding header field."
        ),
        "9112/6.2/send-cl-with-te",
    ),
    _checked(
        "9112/6.3/r1",
        "MUST",
        (
            "A client MUST ignore any Content-Length or Transfer-Encoding header fields received in such "
            "a message."
        ),
        "9112/6.3/connect-2xx-ignores-cl",
        "9112/6.3/connect-2xx-ignores-invalid-cl",
        "9112/6.3/connect-2xx-ignores-cl-list",
        "9112/6.3/connect-2xx-ignores-invalid-te",
        "9112/6.3/connect-2xx-ignores-invalid-cl-and-te",
    ),
    _out(
        "9112/6.3/r2",
        "MUST",
        (
            "An intermediary that chooses to forward the message MUST first remove the received "
            "Content-Length field and process the Transfer-Encoding (as described below) prior to "
            "forwarding the message downstream."
        ),
        "intermediary",
    ),
    _checked(
        "9112/6.3/r3",
        "MUST",
        (
            "If a Transfer-Encoding header field is present in a request and the chunked transfer coding "
            "is not the final encoding, the message body length cannot be determined reliably; the server "
            "MUST respond with the 400 (Bad Request) status code and then close the connection."
        ),
        "9112/6.3/te-chunked-then-gzip",
        "9112/6.3/te-chunked-then-gzip-two-lines",
        "9112/6.3/te-xchunked",
        "9112/6.3/te-identity",
        "9112/6.3/te-chunkedchunked",
        "9112/6.3/te-quoted",
    ),
    _checked(
        "9112/6.3/r4",
        "MUST",
        (
            "If a message is received without Transfer-Encoding and with an invalid Content-Length header "
            "field, then the message framing is invalid and the recipient MUST treat it as an "
            "unrecoverable error, unless the field value can be successfully parsed as a comma-separated "
            "list ([HTTP, abnf.extension]), all values in the list are valid, and all values in the list "
            "are the same (in which case, the message is processed with that single value used as the "
            "Content-Length field value)."
        ),
        "9112/6.3/cl-two-lines-differ",
        "9112/6.3/cl-list-differ",
        "9112/6.3/cl-plus-sign",
        "9112/6.3/cl-negative",
        "9112/6.3/cl-hex-prefix",
        "9112/6.3/cl-non-numeric",
        "9112/6.3/cl-empty",
    ),
    _checked(
        "9112/6.3/r5",
        "MUST",
        (
            "If the unrecoverable error is in a request message, the server MUST respond with a 400 (Bad "
            "Request) status code and then close the connection."
        ),
        "9112/6.3/cl-two-lines-differ",
        "9112/6.3/cl-list-differ",
        "9112/6.3/cl-plus-sign",
        "9112/6.3/cl-non-numeric",
    ),
    _out(
        "9112/6.3/r6",
        "MUST",
        (
            "If it is in a response message received by a proxy, the proxy MUST close the connection to "
            "the server, discard the received response, and send a 502 (Bad Gateway) response to the "
            "client."
        ),
        "intermediary",
    ),
    _checked(
        "9112/6.3/r7",
        "MUST",
        (
            "If it is in a response message received by a user agent, the user agent MUST close the "
            "connection to the server and discard the received response."
        ),
        "9112/6.3/cl-two-lines-differ-response",
        "9112/6.3/cl-list-differ-response",
        "9112/6.3/cl-plus-sign-response",
        "9112/6.3/cl-empty-response",
        "9112/6.3/connect-300-invalid-cl-rejected",
        "9112/6.3/connect-407-invalid-cl-rejected",
    ),
    _checked(
        "9112/6.3/r8",
        "MUST",
        (
            "If the sender closes the connection or the recipient times out before the indicated number "
            "of octets are received, the recipient MUST consider the message to be incomplete and close "
            "the connection."
        ),
        "9112/8/eof-in-cl-body",
        "9112/8/eof-in-response-cl-body",
    ),
    _checked(
        "9112/6.3/r9",
        "SHOULD",
        (
            "Since there is no way to distinguish a successfully completed, close-delimited response "
            "message from a partially received message interrupted by network failure, a server SHOULD "
            "generate encoding or length-delimited messages whenever possible."
        ),
        "9112/6.3/auto-chunked-http11",
    ),
    _out(
        "9112/6.3/r10",
        "MAY",
        (
            "A server MAY reject a request that contains a message body but not a Content-Length by "
            "responding with 411 (Length Required)."
        ),
        "application",
    ),
    _out(
        "9112/6.3/r11",
        "SHOULD",
        (
            "Unless a transfer coding other than chunked has been applied, a client that sends a request "
            "containing a message body SHOULD use a valid Content-Length header field if the message body "
            "length is known in advance, rather than the chunked transfer coding, since some existing "
            "services respond to chunked with a 411 (Length Required) status code even though they "
            "understand the chunked transfer coding."
        ),
        "application",
    ),
    _checked(
        "9112/6.3/r12",
        "MUST",
        (
            "A user agent that sends a request that contains a message body MUST send either a valid "
            "Content-Length header field or use the chunked transfer coding."
        ),
        "9112/6.3/send-body-without-length",
    ),
    _out(
        "9112/6.3/r13",
        "MUST NOT",
        (
            "A client MUST NOT use the chunked transfer coding unless it knows the server will handle "
            "HTTP/1.1 (or later) requests; such knowledge can be in the form of specific user "
            "configuration or by remembering the version of a prior received response."
        ),
        "application",
    ),
    _choice(
        "9112/6.3/r14",
        "MAY",
        (
            "If the final response to the last request on a connection has been completely received and "
            "there remains additional data to read, a user agent MAY discard the remaining data or "
            "attempt to determine if that data belongs as part of the prior message body, which might be "
            "the case if the prior message's Content-Length value is incorrect."
        ),
        "extra-data-after-response",
        "9112/6.3/extra-data-not-a-response",
    ),
    _checked(
        "9112/6.3/r15",
        "MUST NOT",
        (
            "A client MUST NOT process, cache, or forward such extra data as a separate response, since "
            "such behavior would be vulnerable to cache poisoning."
        ),
        "9112/6.3/extra-data-not-a-response",
    ),
    _checked(
        "9112/7.1/r1",
        "OPTIONAL",
        (
            "The chunked transfer coding wraps content in order to transfer it as a series of chunks, "
            "each with its own size indicator, followed by an OPTIONAL trailer section containing trailer "
            "fields."
        ),
        "9112/7.1.2/chunk-trailer-field",
        "9112/7.1/chunk-many-small",
    ),
    _checked(
        "9112/7.1/r2",
        "MUST",
        "A recipient MUST be able to parse and decode the chunked transfer coding.",
        "9112/7.1/chunk-many-small",
        "9112/7.1/chunk-data-contains-crlf",
        "9112/7.1/chunk-size-leading-zeros",
        "9112/7.1/chunked-then-pipelined",
        "9112/7.1.1/chunk-ext-bws-after-semicolon",
        "9112/7.1.1/chunk-ext-bws-around-equals",
    ),
    _choice(
        "9112/7.1/r3",
        "MUST",
        (
            "Therefore, recipients MUST anticipate potentially large hexadecimal numerals and prevent "
            "parsing errors due to integer conversion overflows or precision loss due to integer "
            "representation."
        ),
        "long-numeral",
        "9112/7.1/chunk-overflow-2-64",
        "9112/7.1/chunk-overflow-2-64-response",
        "9112/7.1/chunk-overflow-2-64-plus-5",
        "9112/7.1/chunk-overflow-40-digits",
        "9112/7.1/chunk-size-4301-leading-zeros",
        note=(
            "Values past 2^64 are refused under both alternatives; a numeral past 20 digits whose value is "
            "small (leading zeros) is refused as too long under limit (RFC 9110 §5.4) or read under value."
        ),
    ),
    _choice(
        "9112/7.1/r4",
        "SHOULD",
        "Their presence SHOULD be treated as an error.",
        "chunked-parameters",
        "9112/7/te-chunked-param",
        "9112/7/te-chunked-param-ows",
    ),
    _checked(
        "9112/7.1.1/r1",
        "MUST",
        "A recipient MUST ignore unrecognized chunk extensions.",
        "9112/7.1.1/chunk-ext-ignored",
        "9112/7.1.1/chunk-ext-quoted",
        "9112/7.1.1/chunk-ext-on-last",
        "9112/7.1/chunk-ext-ignored-response",
    ),
    _choice(
        "9112/7.1.2/r1",
        "MAY",
        (
            "A recipient that removes the chunked coding from a message MAY selectively retain or discard "
            "the received trailer fields."
        ),
        "trailer-fields",
        "9112/7.1.2/chunk-trailer-field",
    ),
    _checked(
        "9112/7.1.2/r2",
        "MUST",
        (
            "A recipient that retains a received trailer field MUST either store/forward the trailer "
            "field separately from the received header fields or merge the received trailer field into "
            "the header section."
        ),
        "9112/7.1.2/chunk-trailer-field",
    ),
    _checked(
        "9112/7.1.2/r3",
        "MUST NOT",
        (
            "A recipient MUST NOT merge a received trailer field into the header section unless its "
            "corresponding header field definition explicitly permits and instructs how the trailer field "
            "value can be safely merged."
        ),
        "9110/6.5.1/trailer-content-length",
        "9110/6.5.1/trailer-transfer-encoding",
        "9110/6.5.1/trailer-host",
        "9110/6.5.1/trailer-content-length-response",
    ),
    _out(
        "9112/7.2/r1",
        "SHOULD",
        ("The presence of parameters with any of these compression codings SHOULD be treated as an error."),
        "codings",
    ),
    _out(
        "9112/7.3/r1",
        "MUST",
        "Registrations MUST include the following fields:",
        "registry",
    ),
    _out(
        "9112/7.3/r2",
        "MUST NOT",
        (
            "Names of transfer codings MUST NOT overlap with names of content codings ([HTTP, "
            "content.codings]) unless the encoding transformation is identical, as is the case for the "
            "compression codings defined in Section 7.2."
        ),
        "registry",
    ),
    _out(
        "9112/7.3/r3",
        "SHOULD NOT",
        (
            'Future registrations of transfer codings SHOULD NOT define parameters called "q" '
            "(case-insensitively) in order to avoid ambiguities."
        ),
        "registry",
    ),
    _out(
        "9112/7.3/r4",
        "MUST",
        (
            "Values to be added to this namespace require IETF Review (see Section 4.8 of [RFC8126]) and "
            "MUST conform to the purpose of transfer coding defined in this specification."
        ),
        "registry",
    ),
    _out(
        "9112/7.4/r1",
        "MUST NOT",
        (
            "A client MUST NOT send the chunked transfer coding name in TE; chunked is always acceptable "
            "for HTTP/1.1 recipients."
        ),
        "application",
        note="TE is a header the caller builds; the h11 API neither generates nor reads it.",
    ),
    _out(
        "9112/7.4/r2",
        "MAY",
        (
            "When multiple transfer codings are acceptable, the client MAY rank the codings by preference "
            'using a case-insensitive "q" parameter (similar to the qvalues used in content negotiation '
            "fields; see [HTTP, quality.values])."
        ),
        "application",
    ),
    _out(
        "9112/7.4/r3",
        "MUST",
        (
            "Since the TE header field only applies to the immediate connection, a sender of TE MUST also "
            'send a "TE" connection option within the Connection header field ([HTTP, field.connection]) '
            "in order to prevent the TE header field from being forwarded by intermediaries that do not "
            "support its semantics."
        ),
        "application",
    ),
    _checked(
        "9112/8/r1",
        "MAY",
        (
            "A server that receives an incomplete request message, usually due to a canceled request or a "
            "triggered timeout exception, MAY send an error response prior to closing the connection."
        ),
        "h11/api/server-can-answer-after-remote-error",
    ),
    _checked(
        "9112/8/r2",
        "MUST",
        (
            "A client that receives an incomplete response message, which can occur when a connection is "
            "closed prematurely or when decoding a supposedly chunked transfer coding fails, MUST record "
            "the message as incomplete."
        ),
        "9112/8/eof-in-response-cl-body",
        "9112/8/chunk-missing-last-response",
        "9112/8/chunk-truncated-data-response",
        "9112/8/eof-in-response-headers",
    ),
    _checked(
        "9112/9.2/r1",
        "MUST",
        (
            "A client that has more than one outstanding request on a connection MUST maintain a list of "
            "outstanding requests in the order sent and MUST associate each received response message on "
            "that connection to the first outstanding request that has not yet received a final (non-1xx) "
            "response."
        ),
        "9112/9.3.2/client-pipelined-responses",
    ),
    _checked(
        "9112/9.2/r2",
        "MUST NOT/SHOULD",
        (
            "If a client receives data on a connection that doesn't have outstanding requests, the client "
            "MUST NOT consider that data to be a valid response; the client SHOULD close the connection, "
            "since message delimitation is now ambiguous, unless the data consists only of one or more "
            "CRLF (which can be discarded per Section 2.2)."
        ),
        "9112/6.3/extra-data-not-a-response",
        note=(
            "Checked after the last response; a response arriving before any request is sent is still "
            "accepted by h11 and by the reference (an open gap)."
        ),
    ),
    _checked(
        "9112/9.3/r1",
        "SHOULD",
        "HTTP implementations SHOULD support persistent connections.",
        "9112/9.3/http11-persists",
        "h11/api/next-cycle-resets-to-idle",
    ),
    _out(
        "9112/9.3/r2",
        "MUST",
        (
            'A client that does not support persistent connections MUST send the "close" connection '
            "option in every request message."
        ),
        "application",
    ),
    _out(
        "9112/9.3/r3",
        "MUST",
        (
            'A server that does not support persistent connections MUST send the "close" connection '
            "option in every response message that does not have a 1xx (Informational) status code."
        ),
        "application",
    ),
    _checked(
        "9112/9.3/r4",
        "MAY",
        (
            "A client MAY send additional requests on a persistent connection until it sends or receives "
            'a "close" connection option or receives an HTTP/1.0 response without a "keep-alive" '
            "connection option."
        ),
        "9112/9.3/http11-persists",
        "h11/api/next-cycle-resets-to-idle",
    ),
    _checked(
        "9112/9.3/r5",
        "MUST",
        (
            "A server MUST read the entire request message body or close the connection after sending its "
            "response; otherwise, the remaining data on a persistent connection would be misinterpreted "
            "as the next request."
        ),
        "h11/api/next-cycle-not-done-refused",
        "9112/7.1/bad-chunk-no-resync",
    ),
    _checked(
        "9112/9.3/r6",
        "MUST",
        (
            "Likewise, a client MUST read the entire response message body if it intends to reuse the "
            "same connection for a subsequent request."
        ),
        "9112/9.3.2/client-pipelined-responses",
    ),
    _out(
        "9112/9.3/r7",
        "MUST NOT",
        (
            "A proxy server MUST NOT maintain a persistent connection with an HTTP/1.0 client (see "
            "Section C.2.2 for information and discussion of the problems with the Keep-Alive header "
            "field implemented by many HTTP/1.0 clients)."
        ),
        "intermediary",
    ),
    _checked(
        "9112/9.3.2/r1",
        "MAY",
        (
            "A client that supports persistent connections MAY pipeline its requests (i.e., send multiple "
            "requests without waiting for each response)."
        ),
        "9112/9.3.2/paused-until-next-cycle",
        "9112/9.3.2/pipelined-after-response-cycle",
        "9112/9.3.2/pipelined-three",
    ),
    _checked(
        "9112/9.3.2/r2",
        "MAY/MUST",
        (
            "A server MAY process a sequence of pipelined requests in parallel if they all have safe "
            "methods ([HTTP, safe.methods]), but it MUST send the corresponding responses in the same "
            "order that the requests were received."
        ),
        "9112/9.3.2/pipelined-three",
        "9112/9.3/request-after-unsolicited-response",
    ),
    _out(
        "9112/9.3.2/r3",
        "SHOULD",
        (
            "A client that pipelines requests SHOULD retry unanswered requests if the connection closes "
            "before it receives all of the corresponding responses."
        ),
        "caller-io",
    ),
    _out(
        "9112/9.3.2/r4",
        "MUST NOT",
        (
            "When retrying pipelined requests after a failed connection (a connection not explicitly "
            "closed by the server in its last complete response), a client MUST NOT pipeline immediately "
            "after connection establishment, since the first remaining request in the prior pipeline "
            "might have caused an error response that can be lost again if multiple requests are sent on "
            "a prematurely closed connection (see the TCP reset problem described in Section 9.6)."
        ),
        "caller-io",
    ),
    _out(
        "9112/9.3.2/r5",
        "SHOULD NOT",
        (
            "A user agent SHOULD NOT pipeline requests after a non-idempotent method, until the final "
            "response status code for that method has been received, unless the user agent has a means to "
            "detect and recover from partial failure conditions involving the pipelined sequence."
        ),
        "caller-io",
    ),
    _out(
        "9112/9.3.2/r6",
        "MAY",
        (
            "An intermediary that receives pipelined requests MAY pipeline those requests when forwarding "
            "them inbound, since it can rely on the outbound user agent(s) to determine what requests can "
            "be safely pipelined."
        ),
        "intermediary",
    ),
    _out(
        "9112/9.3.2/r7",
        "MAY/SHOULD",
        (
            "If the inbound connection fails before receiving a response, the pipelining intermediary MAY "
            "attempt to retry a sequence of requests that have yet to receive a response if the requests "
            "all have idempotent methods; otherwise, the pipelining intermediary SHOULD forward any "
            "received responses and then close the corresponding outbound connection(s) so that the "
            "outbound user agent(s) can recover accordingly."
        ),
        "intermediary",
    ),
    _out(
        "9112/9.5/r1",
        "SHOULD",
        "A client or server that wishes to time out SHOULD issue a graceful close on the connection.",
        "caller-io",
    ),
    _out(
        "9112/9.5/r2",
        "SHOULD",
        (
            "Implementations SHOULD constantly monitor open connections for a received closure signal and "
            "respond to it as appropriate, since prompt closure of both sides of a connection enables "
            "allocated system resources to be reclaimed."
        ),
        "caller-io",
    ),
    _checked(
        "9112/9.5/r3",
        "MAY",
        "A client, server, or proxy MAY close the transport connection at any time.",
        "h11/state/client-closed-connectionclosed",
        "h11/state/server-closed-connectionclosed",
        "9112/8/eof-client-half-close",
    ),
    _out(
        "9112/9.5/r4",
        "SHOULD",
        (
            "A server SHOULD sustain persistent connections, when possible, and allow the underlying "
            "transport's flow-control mechanisms to resolve temporary overloads rather than terminate "
            "connections with the expectation that clients will retry."
        ),
        "caller-io",
    ),
    _out(
        "9112/9.5/r5",
        "SHOULD",
        (
            "A client sending a message body SHOULD monitor the network connection for an error response "
            "while it is transmitting the request."
        ),
        "caller-io",
    ),
    _out(
        "9112/9.5/r6",
        "SHOULD",
        (
            "If the client sees a response that indicates the server does not wish to receive the message "
            "body and is closing the connection, the client SHOULD immediately cease transmitting the "
            "body and close its side of the connection."
        ),
        "caller-io",
    ),
    _checked(
        "9112/9.6/r1",
        "SHOULD",
        (
            "A sender SHOULD send a Connection header field ([HTTP, field.connection]) containing the "
            '"close" connection option when it intends to close a connection.'
        ),
        "9112/9.6/auto-close-after-client-close",
        "9112/6.1/auto-close-http10",
        "9112/9.6/unsolicited-response-keep-or-close",
    ),
    _checked(
        "9112/9.6/r2",
        "MUST NOT/MUST",
        (
            'A client that sends a "close" connection option MUST NOT send further requests on that '
            'connection (after the one containing the "close") and MUST close the connection after '
            "reading the final response message corresponding to this request."
        ),
        "h11/state/client-must-close-request",
        "h11/api/next-cycle-refused-after-close",
        "9112/9.3/response-close-client-must-close",
    ),
    _checked(
        "9112/9.6/r3",
        "MUST",
        (
            'A server that receives a "close" connection option MUST initiate closure of the connection '
            '(see below) after it sends the final response to the request that contained the "close" '
            "connection option."
        ),
        "9112/9.6/no-request-after-connection-close",
        "9112/9.6/auto-close-after-client-close",
    ),
    _checked(
        "9112/9.6/r4",
        "SHOULD",
        'The server SHOULD send a "close" connection option in its final response on that connection.',
        "9112/9.6/auto-close-after-client-close",
    ),
    _checked(
        "9112/9.6/r5",
        "MUST NOT",
        "The server MUST NOT process any further requests received on that connection.",
        "9112/9.6/no-request-after-connection-close",
        "9112/9.6/no-request-after-http10",
    ),
    _checked(
        "9112/9.6/r6",
        "MUST",
        (
            'A server that sends a "close" connection option MUST initiate closure of the connection (see '
            'below) after it sends the response containing the "close" connection option.'
        ),
        "9112/9.6/server-sent-close",
    ),
    _checked(
        "9112/9.6/r7",
        "MUST NOT",
        "The server MUST NOT process any further requests received on that connection.",
        "9112/9.6/server-sent-close",
    ),
    _checked(
        "9112/9.6/r8",
        "MUST/SHOULD NOT",
        (
            'A client that receives a "close" connection option MUST cease sending requests on that '
            "connection and close the connection after reading the response message containing the "
            '"close" connection option; if additional pipelined requests had been sent on the connection, '
            "the client SHOULD NOT assume that they will be processed by the server."
        ),
        "9112/9.3/response-close-client-must-close",
        "9112/9.3/http10-response-client-must-close",
    ),
    _out(
        "9112/9.7/r1",
        "MUST",
        (
            'All HTTP data MUST be sent as TLS "application data" but is otherwise treated like a normal '
            "connection for HTTP (including potential reuse as a persistent connection)."
        ),
        "tls",
    ),
    _out(
        "9112/9.8/r1",
        "SHOULD",
        (
            "When encountering an incomplete close, a client SHOULD treat as completed all requests for "
            "which it has received either"
        ),
        "tls",
    ),
    _out(
        "9112/9.8/r2",
        "SHOULD",
        "A client detecting an incomplete close SHOULD recover gracefully.",
        "tls",
    ),
    _out(
        "9112/9.8/r3",
        "MUST",
        "Clients MUST send a closure alert before closing the connection.",
        "tls",
    ),
    _out(
        "9112/9.8/r4",
        "MAY",
        (
            "Clients that do not expect to receive any more data MAY choose not to wait for the server's "
            "closure alert and simply close the connection, thus generating an incomplete close on the "
            "server side."
        ),
        "tls",
    ),
    _out(
        "9112/9.8/r5",
        "SHOULD",
        (
            "Servers SHOULD be prepared to receive an incomplete close from the client, since the client "
            "can often locate the end of server data."
        ),
        "tls",
    ),
    _out(
        "9112/9.8/r6",
        "MUST",
        (
            "Servers MUST attempt to initiate an exchange of closure alerts with the client before "
            "closing the connection."
        ),
        "tls",
    ),
    _out(
        "9112/9.8/r7",
        "MAY",
        (
            "Servers MAY close the connection after sending the closure alert, thus generating an "
            "incomplete close on the client side."
        ),
        "tls",
    ),
    _out(
        "9112/10.1/r1",
        "MUST",
        (
            'A recipient of "message/http" data MUST replace any obsolete line folding with one or more '
            "SP characters when the message is consumed."
        ),
        "media-type",
    ),
    _out(
        "9110/5.1/r1",
        "MUST",
        (
            "A proxy MUST forward unrecognized header fields unless the field name is listed in the "
            "Connection header field (Section 7.6.1) or the proxy is specifically configured to block, or "
            "otherwise transform, such fields."
        ),
        "intermediary",
    ),
    _checked(
        "9110/5.1/r2",
        "SHOULD",
        "Other recipients SHOULD ignore unrecognized header and trailer fields.",
        "9112/5/field-value-ows-stripped",
        "9112/7.1.2/chunk-trailer-field",
    ),
    _choice(
        "9110/5.3/r1",
        "MAY",
        (
            "A recipient MAY combine multiple field lines within a field section that have the same field "
            "name into one field line, without changing the semantics of the message, by appending each "
            "subsequent field line value to the initial field line value in order, separated by a comma "
            '(",") and optional whitespace (OWS, defined in Section 5.6.3).'
        ),
        "combine-field-lines",
        "9110/5.3/field-order-kept",
    ),
    _out(
        "9110/5.3/r2",
        "MUST NOT",
        (
            "The order in which field lines with the same name are received is therefore significant to "
            "the interpretation of the field value; a proxy MUST NOT change the order of these field line "
            "values when forwarding a message."
        ),
        "intermediary",
    ),
    _checked(
        "9110/5.3/r3",
        "MUST NOT",
        (
            "This means that, aside from the well-known exception noted below, a sender MUST NOT generate "
            "multiple field lines with the same name in a message (whether in the headers or trailers) or "
            "append a field line when a field line of the same name already exists in the message, unless "
            "that field's definition allows multiple field line values to be recombined as a "
            "comma-separated list (i.e., at least one alternative of the field's definition allows a "
            "comma-separated list, such as an ABNF rule of #(values) defined in Section 5.6.1)."
        ),
        "9112/3.2/send-host-twice",
        "9112/6.2/send-cl-conflicting",
    ),
    _checked(
        "9110/5.3/r4",
        "MUST NOT",
        (
            "A server MUST NOT apply a request to the target resource until it receives the entire "
            "request header section, since later header field lines might include conditionals, "
            "authentication credentials, or deliberately misleading duplicate header fields that could "
            "impact request processing."
        ),
        "9112/8/eof-in-headers",
        "9112/8/eof-in-response-headers",
    ),
    _choice(
        "9110/5.4/r1",
        "MUST",
        (
            "A server that receives a request header field line, field value, or set of fields larger "
            "than it wishes to process MUST respond with an appropriate 4xx (Client Error) status code."
        ),
        "rejection-status-code",
        "9110/5.4/header-section-too-large",
        "9110/5.4/header-section-too-large-complete",
    ),
    _out(
        "9110/5.4/r2",
        "MAY",
        (
            "A client MAY discard or truncate received field lines that are larger than the client wishes "
            "to process if the field semantics are such that the dropped value(s) can be safely ignored "
            "without changing the message framing or response semantics."
        ),
        "application",
    ),
    _checked(
        "9110/5.5/r1",
        "MUST",
        (
            "When a specific version of HTTP allows such whitespace to appear in a message, a field "
            "parsing implementation MUST exclude such whitespace prior to evaluating the field value."
        ),
        "9112/5/field-value-ows-stripped",
        "9112/6.2/cl-trailing-ows",
        "9112/5.1/te-value-htab-ows",
    ),
    _out(
        "9110/5.5/r2",
        "SHOULD",
        (
            "Specifications for newly defined fields SHOULD limit their values to visible US-ASCII octets "
            "(VCHAR), SP, and HTAB."
        ),
        "registry",
    ),
    _checked(
        "9110/5.5/r3",
        "SHOULD",
        ("A recipient SHOULD treat other allowed octets in field content (i.e., obs-text) as opaque data."),
        "9112/5/field-value-obs-text",
    ),
    _choice(
        "9110/5.5/r4",
        "MUST",
        (
            "Field values containing CR, LF, or NUL characters are invalid and dangerous, due to the "
            "varying ways that implementations might parse and interpret those characters; a recipient of "
            "CR, LF, or NUL within a field value MUST either reject the message or replace each of those "
            "characters with SP before further processing or forwarding of that message."
        ),
        "field-value-crlfnul-handling",
        "9110/5.5/field-value-nul",
        "9110/5.5/field-value-nul-response",
        "9112/6.3/te-chunked-vt-response",
    ),
    _choice(
        "9110/5.5/r5",
        "MAY",
        (
            "Field values containing other CTL characters are also invalid; however, recipients MAY "
            "retain such characters for the sake of robustness when they appear within a safe context "
            "(e.g., an application-specific quoted string that will not be processed by any downstream "
            "HTTP parser)."
        ),
        "ctl-in-field-value",
        "9110/5.5/field-value-ctl-soh",
        "9110/5.5/field-value-ctl-del",
        "9110/5.5/field-value-vt",
    ),
    _out(
        "9110/5.6.1.1/r1",
        "MUST NOT",
        ("In any production that uses the list construct, a sender MUST NOT generate empty list elements."),
        "application",
    ),
    _checked(
        "9110/5.6.1.2/r1",
        "MUST",
        (
            "A recipient MUST parse and ignore a reasonable number of empty list elements: enough to "
            "handle common mistakes by senders that merge values, but not so much that they could be used "
            "as a denial-of-service mechanism."
        ),
        "9110/5.6.1/te-list-empty-element",
        "9112/6.3/cl-list-identical-empty-element",
    ),
    _checked(
        "9110/5.6.1.2/r2",
        "MUST",
        "In other words, a recipient MUST accept lists that satisfy the following syntax:",
        "9110/5.6.1/te-list-trailing-comma",
        "9110/5.6.1/te-list-leading-comma",
        "9110/5.6.1/te-list-empty-element",
    ),
    _checked(
        "9110/6.5.1/r1",
        "MUST NOT",
        (
            "A sender MUST NOT generate a trailer field unless the sender knows the corresponding header "
            "field name's definition permits the field to be sent in trailers."
        ),
        "9110/6.5.1/send-trailer-framing-field",
        "9112/6.2/send-cl-trailers",
    ),
    _checked(
        "9110/6.5.1/r2",
        "MUST NOT",
        (
            "A recipient MUST NOT merge a trailer field into a header section unless the recipient "
            "understands the corresponding header field definition and that definition explicitly permits "
            "and defines how trailer field values can be safely merged."
        ),
        "9110/6.5.1/trailer-content-length",
        "9110/6.5.1/trailer-transfer-encoding",
        "9110/6.5.1/trailer-host",
        "9110/6.5.1/trailer-authorization",
        "9110/6.5.1/trailer-content-length-response",
    ),
    _out(
        "9110/6.5.1/r3",
        "SHOULD NOT",
        (
            "Because of the potential for trailer fields to be discarded in transit, a server SHOULD NOT "
            "generate trailer fields that it believes are necessary for the user agent to receive."
        ),
        "application",
    ),
    _checked(
        "9110/7.8/r1",
        "MAY",
        (
            "A client MAY send a list of protocol names in the Upgrade header field of a request to "
            "invite the server to switch to one or more of the named protocols, in order of descending "
            "preference, before sending the final response."
        ),
        "h11/state/client-might-switch-protocol-request",
        "9110/7.8/upgrade-accepted",
    ),
    _checked(
        "9110/7.8/r2",
        "MAY",
        (
            "A server MAY ignore a received Upgrade header field if it wishes to continue using the "
            "current protocol on that connection."
        ),
        "9110/7.8/upgrade-denied-continues",
    ),
    _out(
        "9110/7.8/r3",
        "SHOULD",
        (
            "Although protocol names are registered with a preferred case, recipients SHOULD use "
            "case-insensitive comparison when matching each protocol-name to supported protocols."
        ),
        "application",
    ),
    _checked(
        "9110/7.8/r4",
        "MUST",
        (
            "A server that sends a 101 (Switching Protocols) response MUST send an Upgrade header field "
            "to indicate the new protocol(s) to which the connection is being switched; if multiple "
            "protocol layers are being switched, the sender MUST list the protocols in layer-ascending "
            "order."
        ),
        "9110/7.8/send-101-without-upgrade",
    ),
    _checked(
        "9110/7.8/r5",
        "MUST NOT",
        (
            "A server MUST NOT switch to a protocol that was not indicated by the client in the "
            "corresponding request's Upgrade header field."
        ),
        "9110/7.8/switch-without-proposal",
    ),
    _out(
        "9110/7.8/r6",
        "MAY",
        (
            "A server MAY choose to ignore the order of preference indicated by the client and select the "
            "new protocol(s) based on other factors, such as the nature of the request or the current "
            "load on the server."
        ),
        "application",
    ),
    _out(
        "9110/7.8/r7",
        "MUST",
        (
            "A server that sends a 426 (Upgrade Required) response MUST send an Upgrade header field to "
            "indicate the acceptable protocols, in order of descending preference."
        ),
        "application",
    ),
    _out(
        "9110/7.8/r8",
        "MAY",
        (
            "A server MAY send an Upgrade header field in any other response to advertise that it "
            "implements support for upgrading to the listed protocols, in order of descending preference, "
            "when appropriate for a future request."
        ),
        "application",
    ),
    _out(
        "9110/7.8/r9",
        "MUST NOT",
        (
            "A server MUST NOT switch protocols unless the received message semantics can be honored by "
            "the new protocol; an OPTIONS request can be honored by any protocol."
        ),
        "application",
    ),
    _out(
        "9110/7.8/r10",
        "MUST",
        (
            'A sender of Upgrade MUST also send an "Upgrade" connection option in the Connection header '
            "field (Section 7.6.1) to inform intermediaries not to forward this field."
        ),
        "application",
        note=(
            "Requests get no automatic headers in the h11 API; the reference's differences list records "
            "this one as considered and not made."
        ),
    ),
    _checked(
        "9110/7.8/r11",
        "MUST",
        (
            "A server that receives an Upgrade header field in an HTTP/1.0 request MUST ignore that "
            "Upgrade field."
        ),
        "9110/7.8/upgrade-in-http10-ignored",
    ),
    _checked(
        "9110/7.8/r12",
        "MUST",
        (
            'If a server receives both an Upgrade and an Expect header field with the "100-continue" '
            "expectation (Section 10.1.1), the server MUST send a 100 (Continue) response before sending "
            "a 101 (Switching Protocols) response."
        ),
    ),
    _out(
        "9110/8.6/r1",
        "SHOULD",
        (
            "A user agent SHOULD send Content-Length in a request when the method defines a meaning for "
            "enclosed content and it is not sending Transfer-Encoding."
        ),
        "application",
    ),
    _out(
        "9110/8.6/r2",
        "SHOULD NOT",
        (
            "A user agent SHOULD NOT send a Content-Length header field when the request message does not "
            "contain content and the method semantics do not anticipate such data."
        ),
        "application",
    ),
    _out(
        "9110/8.6/r3",
        "MAY/MUST NOT",
        (
            "A server MAY send a Content-Length header field in a response to a HEAD request (Section "
            "9.3.2); a server MUST NOT send Content-Length in such a response unless its field value "
            "equals the decimal number of octets that would have been sent in the content of a response "
            "if the same request had used the GET method."
        ),
        "application",
    ),
    _out(
        "9110/8.6/r4",
        "MAY/MUST NOT",
        (
            "A server MAY send a Content-Length header field in a 304 (Not Modified) response to a "
            "conditional GET request (Section 15.4.5); a server MUST NOT send Content-Length in such a "
            "response unless its field value equals the decimal number of octets that would have been "
            "sent in the content of a 200 (OK) response to the same request."
        ),
        "application",
    ),
    _checked(
        "9110/8.6/r5",
        "MUST NOT",
        (
            "A server MUST NOT send a Content-Length header field in any response with a status code of "
            "1xx (Informational) or 204 (No Content)."
        ),
        "9110/8.6/send-framing-on-204-cl",
        "9110/8.6/send-framing-on-1xx-cl",
        "9110/8.6/auto-no-framing-on-204",
    ),
    _checked(
        "9110/8.6/r6",
        "MUST NOT",
        (
            "A server MUST NOT send a Content-Length header field in any 2xx (Successful) response to a "
            "CONNECT request (Section 9.3.6)."
        ),
        "9110/9.3.6/connect-2xx-no-framing-sent",
    ),
    _out(
        "9110/8.6/r7",
        "SHOULD",
        (
            "Aside from the cases defined above, in the absence of Transfer-Encoding, an origin server "
            "SHOULD send a Content-Length header field when the content size is known prior to sending "
            "the complete header section."
        ),
        "application",
    ),
    _choice(
        "9110/8.6/r8",
        "MUST",
        (
            "Since there is no predefined limit to the length of content, a recipient MUST anticipate "
            "potentially large decimal numerals and prevent parsing errors due to integer conversion "
            "overflows or precision loss due to integer conversion (Section 17.5)."
        ),
        "long-numeral",
        "9110/8.6/cl-overflow-2-64",
        "9110/8.6/cl-overflow-2-64-plus-1",
        "9110/8.6/cl-overflow-2-63",
        "9110/8.6/cl-overflow-30-digits",
        "9110/8.6/cl-overflow-2-64-plus-1-response",
        "9110/8.6/cl-4300-leading-zeros",
        "9110/8.6/cl-4301-leading-zeros",
        note=(
            "Values past 2^64 are refused under both alternatives; a numeral past 20 digits whose value is "
            "small (leading zeros) is refused as too long under limit (RFC 9110 §5.4) or read under value."
        ),
    ),
    _out(
        "9110/8.6/r9",
        "MUST NOT",
        (
            "As a result, a sender MUST NOT forward a message with a Content-Length header field value "
            "that is known to be incorrect."
        ),
        "intermediary",
    ),
    _choice(
        "9110/8.6/r10",
        "MUST NOT/MAY",
        (
            "Likewise, a sender MUST NOT forward a message with a Content-Length header field value that "
            "does not match the ABNF above, with one exception: a recipient of a Content-Length header "
            "field value consisting of the same decimal value repeated as a comma-separated list (e.g, "
            '"Content-Length: 42, 42") MAY either reject the message as invalid or replace that invalid '
            "field value with a single instance of the decimal value, since this likely indicates that a "
            "duplicate was generated or combined by an upstream message processor."
        ),
        "cl-identical-list",
        "9112/6.3/cl-list-identical",
        "9112/6.3/cl-lines-identical",
        "9112/6.3/cl-list-identical-empty-element",
        "9112/6.3/cl-list-identical-frames-once",
    ),
    _out(
        "9110/9.3.1/r1",
        "SHOULD NOT",
        (
            "A client SHOULD NOT generate content in a GET request unless it is made directly to an "
            "origin server that has previously indicated, in or out of band, that such a request has a "
            "purpose and will be adequately supported."
        ),
        "application",
    ),
    _out(
        "9110/9.3.1/r2",
        "SHOULD NOT",
        (
            "An origin server SHOULD NOT rely on private agreements to receive content, since "
            "participants in HTTP communication are often unaware of intermediaries along the request "
            "chain."
        ),
        "application",
    ),
    _out(
        "9110/9.3.1/r3",
        "MAY",
        (
            "The response to a GET request is cacheable; a cache MAY use it to satisfy subsequent GET and "
            "HEAD requests unless otherwise indicated by the Cache-Control header field ([CACHING, "
            "field.cache-control])."
        ),
        "cache",
    ),
    _checked(
        "9110/9.3.2/r1",
        "MUST NOT",
        ("The HEAD method is identical to GET except that the server MUST NOT send content in the response."),
        "9112/6.3/send-head-response-no-body",
    ),
    _checked(
        "9110/9.3.2/r2",
        "SHOULD",
        (
            "The server SHOULD send the same header fields in response to a HEAD request as it would have "
            "sent if the request method had been GET."
        ),
        "9110/9.3.2/send-head-response-keeps-cl",
    ),
    _out(
        "9110/9.3.2/r3",
        "MAY",
        (
            "However, a server MAY omit header fields for which a value is determined only while "
            "generating the content."
        ),
        "application",
    ),
    _out(
        "9110/9.3.2/r4",
        "SHOULD NOT",
        (
            "A client SHOULD NOT generate content in a HEAD request unless it is made directly to an "
            "origin server that has previously indicated, in or out of band, that such a request has a "
            "purpose and will be adequately supported."
        ),
        "application",
    ),
    _out(
        "9110/9.3.2/r5",
        "SHOULD NOT",
        (
            "An origin server SHOULD NOT rely on private agreements to receive content, since "
            "participants in HTTP communication are often unaware of intermediaries along the request "
            "chain."
        ),
        "application",
    ),
    _out(
        "9110/9.3.2/r6",
        "MAY",
        (
            "The response to a HEAD request is cacheable; a cache MAY use it to satisfy subsequent HEAD "
            "requests unless otherwise indicated by the Cache-Control header field ([CACHING, "
            "field.cache-control])."
        ),
        "cache",
    ),
    _out(
        "9110/9.3.6/r1",
        "MUST",
        (
            "There is no default port; a client MUST send the port number even if the CONNECT request is "
            "based on a URI reference that contains an authority component with an elided port (Section "
            "4.1)."
        ),
        "application",
        note="The h11 API sends the target the caller gives and does not tell request-target forms apart.",
    ),
    _checked(
        "9110/9.3.6/r2",
        "MUST",
        (
            "A server MUST reject a CONNECT request that targets an empty or invalid port number, "
            "typically by responding with a 400 (Bad Request) status code."
        ),
    ),
    _checked(
        "9110/9.3.6/r3",
        "MAY",
        ("An origin server MAY accept a CONNECT request, but most origin servers do not implement CONNECT."),
        "9110/9.3.6/connect-2xx-switches",
        "9110/9.3.6/connect-denied",
    ),
    _out(
        "9110/9.3.6/r4",
        "MUST",
        (
            "A tunnel is closed when a tunnel intermediary detects that either side has closed its "
            "connection: the intermediary MUST attempt to send any outstanding data that came from the "
            "closed side to the other side, close both connections, and then discard any remaining data "
            "left undelivered."
        ),
        "intermediary",
    ),
    _out(
        "9110/9.3.6/r5",
        "SHOULD",
        (
            "Proxies that support CONNECT SHOULD restrict its use to a limited set of known ports or a "
            "configurable list of safe request targets."
        ),
        "intermediary",
    ),
    _checked(
        "9110/9.3.6/r6",
        "MUST NOT",
        (
            "A server MUST NOT send any Transfer-Encoding or Content-Length header fields in a 2xx "
            "(Successful) response to CONNECT."
        ),
        "9110/9.3.6/connect-2xx-no-framing-sent",
    ),
    _checked(
        "9110/9.3.6/r7",
        "MUST",
        (
            "A client MUST ignore any Content-Length or Transfer-Encoding header fields received in a "
            "successful response to CONNECT."
        ),
        "9112/6.3/connect-2xx-ignores-cl",
    ),
    _out(
        "9110/10.1.1/r1",
        "MAY",
        (
            "A server that receives an Expect field value containing a member other than 100-continue MAY "
            "respond with a 417 (Expectation Failed) status code to indicate that the unexpected "
            "expectation cannot be met."
        ),
        "application",
    ),
    _checked(
        "9110/10.1.1/r2",
        "MUST NOT",
        ("A client MUST NOT generate a 100-continue expectation in a request that does not include content."),
    ),
    _out(
        "9110/10.1.1/r3",
        "MUST",
        (
            "A client that will wait for a 100 (Continue) response before sending the request content "
            "MUST send an Expect header field containing a 100-continue expectation."
        ),
        "application",
    ),
    _checked(
        "9110/10.1.1/r4",
        "MAY",
        (
            "A client that sends a 100-continue expectation is not required to wait for any specific "
            "length of time; such a client MAY proceed to send the content even if it has not yet "
            "received a response."
        ),
        "9110/10.1.1/expect-100-cleared-by-data",
    ),
    _out(
        "9110/10.1.1/r5",
        "SHOULD NOT",
        (
            "Furthermore, since 100 (Continue) responses cannot be sent through an HTTP/1.0 intermediary, "
            "such a client SHOULD NOT wait for an indefinite period before sending the content."
        ),
        "caller-io",
    ),
    _out(
        "9110/10.1.1/r6",
        "SHOULD",
        (
            "A client that receives a 417 (Expectation Failed) status code in response to a request "
            "containing a 100-continue expectation SHOULD repeat that request without a 100-continue "
            "expectation, since the 417 response merely indicates that the response chain does not "
            "support expectations (e.g., it passes through an HTTP/1.0 server)."
        ),
        "caller-io",
    ),
    _checked(
        "9110/10.1.1/r7",
        "MUST",
        (
            "A server that receives a 100-continue expectation in an HTTP/1.0 request MUST ignore that "
            "expectation."
        ),
        "9110/10.1.1/expect-100-http10-ignored",
    ),
    _checked(
        "9110/10.1.1/r8",
        "MAY",
        (
            "A server MAY omit sending a 100 (Continue) response if it has already received some or all "
            "of the content for the corresponding request, or if the framing indicates that there is no "
            "content."
        ),
        "9110/10.1.1/expect-100-cleared-by-final",
    ),
    _checked(
        "9110/10.1.1/r9",
        "MUST",
        (
            "A server that sends a 100 (Continue) response MUST ultimately send a final status code, once "
            "it receives and processes the request content, unless the connection is closed prematurely."
        ),
        "9110/10.1.1/expect-100-cleared-by-100",
        "h11/state/server-send-response-informationalresponse",
    ),
    _out(
        "9110/10.1.1/r10",
        "SHOULD",
        (
            "A server that responds with a final status code before reading the entire request content "
            "SHOULD indicate whether it intends to close the connection (e.g., see [HTTP11, "
            "persistent.tear-down]) or continue reading the request content."
        ),
        "application",
    ),
    _checked(
        "9110/10.1.1/r11",
        "MUST",
        (
            "Upon receiving an HTTP/1.1 (or later) request that has a method, target URI, and complete "
            "header section that contains a 100-continue expectation and an indication that request "
            "content will follow, an origin server MUST send either:"
        ),
        "9110/10.1.1/expect-100-flag-set",
        "9110/10.1.1/expect-100-case-insensitive",
    ),
    _out(
        "9110/10.1.1/r12",
        "MUST NOT",
        "The origin server MUST NOT wait for the content before sending the 100 (Continue) response.",
        "caller-io",
    ),
    _out(
        "9110/10.1.1/r13",
        "MUST",
        (
            "Upon receiving an HTTP/1.1 (or later) request that has a method, target URI, and complete "
            "header section that contains a 100-continue expectation and indicates a request content will "
            "follow, a proxy MUST either:"
        ),
        "intermediary",
    ),
    _out(
        "9110/10.1.1/r14",
        "MAY",
        (
            "If the proxy believes (from configuration or past interaction) that the next inbound server "
            "only supports HTTP/1.0, the proxy MAY generate an immediate 100 (Continue) response to "
            "encourage the client to begin sending the content."
        ),
        "intermediary",
    ),
    _checked(
        "9110/15/r1",
        "MUST",
        (
            "However, a client MUST understand the class of any status code, as indicated by the first "
            "digit, and treat an unrecognized status code as being equivalent to the x00 status code of "
            "that class."
        ),
        "9112/4/status-code-unknown",
    ),
    _out(
        "9110/15/r2",
        "SHOULD",
        (
            "A client that receives a response with an invalid status code SHOULD process the response as "
            "if it had a 5xx (Server Error) status code."
        ),
        "application",
    ),
    _checked(
        "9110/15.2/r1",
        "MUST NOT",
        (
            "Since HTTP/1.0 did not define any 1xx status codes, a server MUST NOT send a 1xx response to "
            "an HTTP/1.0 client."
        ),
    ),
    _checked(
        "9110/15.2/r2",
        "MUST",
        (
            "A client MUST be able to parse one or more 1xx responses received prior to a final response, "
            "even if the client does not expect one."
        ),
        "9110/15.2/1xx-then-final",
        "9112/6.3/1xx-with-cl-has-no-body",
    ),
    _out(
        "9110/15.2/r3",
        "MAY",
        "A user agent MAY ignore unexpected 1xx responses.",
        "application",
    ),
    _out(
        "9110/15.2/r4",
        "MUST",
        (
            "A proxy MUST forward 1xx responses unless the proxy itself requested the generation of the "
            "1xx response."
        ),
        "intermediary",
    ),
    _checked(
        "9110/15.2.2/r1",
        "MUST",
        (
            "The server MUST generate an Upgrade header field in the response that indicates which "
            "protocol(s) will be in effect after this response."
        ),
        "9110/7.8/send-101-without-upgrade",
    ),
)


def choice_points() -> dict[str, tuple[str, ...]]:
    """Each choice point's slug and the ids of the requirements that name it, slugs sorted."""
    out: dict[str, list[str]] = {}
    for r in REQUIREMENTS:
        if r.kind == CHOICE:
            out.setdefault(r.choice, []).append(r.id)
    return {slug: tuple(out[slug]) for slug in sorted(out)}


__all__ = [
    "CHECKED",
    "CHOICE",
    "KINDS",
    "OUT_OF_SCOPE",
    "REASONS",
    "REQUIREMENTS",
    "Requirement",
    "choice_points",
]
