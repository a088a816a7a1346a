"""Shared sentences, wire builders and leniency names for the catalog's topic modules.

The RFC sentences that several modules quote live here once (``S``), so a sentence is spelled the same in
every case and report. ``LENIENCIES`` lists h11 0.16 behaviours that differ from the strict reading of a
SHOULD/MAY or an allowed choice without breaking a MUST, and the defects of h11's own API that the h11
profile documents: an ``h11_expect`` names one of these or a ``conformance.reference.differences`` entry.
"""

from __future__ import annotations

from typing import Any

from conformance.catalog.case import (
    CLOSED,
    HOST,
    Accept,
    Case,
    Either,
    Headers,
    Outcome,
    chunk,
    data,
    eom,
    req,
    resp,
)
from conformance.drive import EventRecord
from conformance.verdict import Level

LENIENCIES: dict[str, str] = {
    # Not leniencies but defects of h11's own API (no RFC MUST involved), documented so that the h11
    # profile can describe h11 0.16 as it is.
    "h11-huge-status-crash": (
        "h11 raises ValueError, not LocalProtocolError, for an out-of-range status code too long to print"
        " (past the interpreter's 4300-digit int/str conversion limit): its error message formats the number."
    ),
    "h11-any-http-version": "h11 accepts any HTTP/d.d version (HTTP/2.0, HTTP/0.9) and never answers 505.",
    "h11-no-leading-crlf": "h11 rejects empty lines before the request-line (RFC 9112 §2.2 SHOULD "
    "ignore one).",
    "h11-request-target-form": "h11 does not check the request-target form against the method.",
    "h11-chunk-start-split": (
        "h11 sets Data.chunk_start only when a chunk-size line and the chunk's first data byte are parsed in"
        " the same receive_data call; a size line that arrives alone loses the flag (an API quirk: the flag"
        " no longer marks the wire's chunk boundary)."
    ),
}
# Documented differences under which the h11 profile tolerates split-dependent outcomes (each split is
# graded alone): h11 applies its size limit only to incomplete data.
SPLIT_DEPENDENT = frozenset({"size-limit-split-invariant"})

S = {
    "cl-te": (
        "A server MAY reject a request that contains both Content-Length and Transfer-Encoding or process"
        " such a request in accordance with the Transfer-Encoding alone. Regardless, the server MUST close"
        " the connection after responding to such a request to avoid the potential attacks."
    ),
    "te-overrides": (
        "If a message is received with both a Transfer-Encoding and a Content-Length header field, the"
        " Transfer-Encoding overrides the Content-Length."
    ),
    "cl-invalid": (
        "If a message is received without Transfer-Encoding and with an invalid Content-Length header"
        " field, then the message framing is invalid and the recipient MUST treat it as an unrecoverable"
        " error, unless the field value can be successfully parsed as a comma-separated list, all values in"
        " the list are valid, and all values in the list are the same."
    ),
    "cl-grammar": "Content-Length = 1*DIGIT",
    "cl-overflow": (
        "a recipient MUST anticipate potentially large decimal numerals and prevent parsing errors due to"
        " integer conversion overflows or precision loss due to integer conversion"
    ),
    "cl-valid": (
        "If a valid Content-Length header field is present without Transfer-Encoding, its decimal value"
        " defines the expected message body length in octets."
    ),
    "te-not-final": (
        "If a Transfer-Encoding header field is present in a request and the chunked transfer coding is not"
        " the final encoding, the message body length cannot be determined reliably; the server MUST"
        " respond with the 400 (Bad Request) status code and then close the connection."
    ),
    "te-response-not-final": (
        "If a Transfer-Encoding header field is present in a response and the chunked transfer coding is not"
        " the final encoding, the message body length is determined by reading the connection until it is"
        " closed by the server."
    ),
    "te-chunked-final": (
        "If a Transfer-Encoding header field is present and the chunked transfer coding is the final"
        " encoding, the message body length is determined by reading and decoding the chunked data until"
        " the transfer coding indicates the data is complete."
    ),
    "chunked-once": (
        "A sender MUST NOT apply the chunked transfer coding more than once to a message body (i.e.,"
        " chunking an already chunked message is not allowed)."
    ),
    "te-unknown": (
        "A server that receives a request message with a transfer coding it does not understand SHOULD"
        " respond with 501 (Not Implemented)."
    ),
    "coding-case": "All transfer-coding names are case-insensitive.",
    "list-empty": (
        "a recipient MUST accept lists that satisfy the following syntax: #element => [ element ] *( OWS"
        ' "," OWS [ element ] )'
    ),
    "te-http10": (
        "A server or client that receives an HTTP/1.0 message containing a Transfer-Encoding header field"
        " MUST treat the message as if the framing is faulty, even if a Content-Length is present, and close"
        " the connection after processing the message."
    ),
    "request-no-body": (
        "If this is a request message and none of the above are true, then the message body length is zero"
        " (no message body is present)."
    ),
    "response-close-delimited": (
        "Otherwise, this is a response message without a declared message body length, so the message body"
        " length is determined by the number of octets received prior to the server closing the connection."
    ),
    "no-body-statuses": (
        "Any response to a HEAD request and any response with a 1xx (Informational), 204 (No Content), or"
        " 304 (Not Modified) status code is always terminated by the first empty line after the header"
        " fields, regardless of the header fields present in the message, and thus cannot contain a message"
        " body or trailer section."
    ),
    "connect-2xx": (
        "Any 2xx (Successful) response to a CONNECT request implies that the connection will become a tunnel"
        " immediately after the empty line that concludes the header fields. A client MUST ignore any"
        " Content-Length or Transfer-Encoding header fields received in such a message."
    ),
    "get-body": (
        "content received in a GET request has no generally defined semantics, cannot alter the meaning or"
        " target of the request, and might lead some implementations to reject the request and close the"
        " connection because of its potential as a request smuggling attack"
    ),
    "cl-incomplete": (
        "If the sender closes the connection or the recipient times out before the indicated number of"
        " octets are received, the recipient MUST consider the message to be incomplete and close the"
        " connection."
    ),
    "chunked-incomplete": (
        "A message body that uses the chunked transfer coding is incomplete if the zero-sized chunk that"
        " terminates the encoding has not been received."
    ),
    "pipeline": (
        'A client that supports persistent connections MAY "pipeline" its requests (i.e., send multiple'
        " requests without waiting for each response)."
    ),
    "pipeline-order": (
        "A server MAY process a sequence of pipelined requests in parallel if they all have safe methods, but"
        " it MUST send the corresponding responses in the same order that the requests were received."
    ),
    "close-server": (
        'A server that receives a "close" connection option MUST initiate closure of the connection after'
        ' it sends the final response to the request that contained the "close" connection option. The'
        " server MUST NOT process any further requests received on that connection."
    ),
    "persist": (
        'If the "close" connection option is present, the connection will not persist after the current'
        " response; else, If the received protocol is HTTP/1.1 (or later), the connection will persist after"
        " the current response"
    ),
    "http10-close": (
        'If the received protocol is HTTP/1.0, the "keep-alive" connection option is present, [...] the'
        " connection will persist after the current response; otherwise, the connection will close after"
        " the current response."
    ),
    "bare-lf": (
        "Although the line terminator for the start-line and fields is the sequence CRLF, a recipient MAY"
        " recognize a single LF as a line terminator and ignore any preceding CR."
    ),
    "bare-cr": (
        "A sender MUST NOT generate a bare CR (a CR character not immediately followed by LF) within any"
        " protocol elements other than the content. A recipient of such a bare CR MUST consider that element"
        " to be invalid or replace each bare CR with SP before processing the element or forwarding the"
        " message."
    ),
    "ws-after-start": (
        "A recipient that receives whitespace between the start-line and the first header field MUST either"
        " reject the message as invalid or consume each whitespace-preceded line without further processing"
        " of it"
    ),
    "leading-crlf": (
        "In the interest of robustness, a server that is expecting to receive and parse a request-line"
        " SHOULD ignore at least one empty line (CRLF) received prior to the request-line."
    ),
    "bad-grammar": (
        "When a server listening only for HTTP request messages [...] receives a sequence of octets that"
        " does not match the HTTP-message grammar aside from the robustness exceptions listed above, the"
        " server SHOULD respond with a 400 (Bad Request) response and close the connection."
    ),
    "ws-colon": (
        "No whitespace is allowed between the field name and colon. [...] A server MUST reject, with a"
        " response status code of 400 (Bad Request), any received request message that contains whitespace"
        " between a header field name and colon."
    ),
    "ws-colon-proxy": (
        "A proxy MUST remove any such whitespace from a response message before forwarding the message"
        " downstream."
    ),
    "obs-fold-server": (
        'A server that receives an obs-fold in a request message that is not within a "message/http"'
        " container MUST either reject the message by sending a 400 (Bad Request) [...] or replace each"
        " received obs-fold with one or more SP octets prior to interpreting the field value or forwarding"
        " the message downstream."
    ),
    "obs-fold-client": (
        'A user agent that receives an obs-fold in a response message that is not within a "message/http"'
        " container MUST replace each received obs-fold with one or more SP octets prior to interpreting the"
        " field value."
    ),
    "field-crlfnul": (
        "a recipient of CR, LF, or NUL within a field value MUST either reject the message or replace each"
        " of those characters with SP before further processing or forwarding of that message."
    ),
    "field-ctl": (
        "Field values containing other CTL characters are also invalid; however, recipients MAY retain such"
        " characters for the sake of robustness when they appear within a safe context"
    ),
    "field-name": "field-name = token",
    "field-line": 'field-line = field-name ":" OWS field-value OWS',
    "request-line": "request-line = method SP request-target SP HTTP-version",
    "request-line-ws": (
        "Although the request-line grammar rule requires that each of the component elements be separated"
        " by a single SP octet, recipients MAY instead parse on whitespace-delimited word boundaries and,"
        " aside from the CRLF terminator, treat any form of whitespace as the SP separator"
    ),
    "target-no-ws": "No whitespace is allowed in the request-target.",
    "invalid-request-line": (
        "Recipients of an invalid request-line SHOULD respond with either a 400 (Bad Request) error or a 301"
        " (Moved Permanently) redirect with the request-target properly encoded."
    ),
    "method": "method = token",
    "method-case": "The method token is case-sensitive",
    "http-version": 'HTTP-version = HTTP-name "/" DIGIT "." DIGIT ; HTTP-name = %s"HTTP"',
    "status-line": "status-line = HTTP-version SP status-code SP [ reason-phrase ]",
    "status-code": "The status-code element is a 3-digit integer code",
    "reason": "reason-phrase = 1*( HTAB / SP / VCHAR / obs-text )",
    "status-space": (
        "A server MUST send the space that separates the status-code from the reason-phrase even when the"
        " reason-phrase is absent (i.e., the status-line would end with the space)."
    ),
    "host-400": (
        "A server MUST respond with a 400 (Bad Request) status code to any HTTP/1.1 request message that"
        " lacks a Host header field and to any request message that contains more than one Host header field"
        " line or a Host header field with an invalid field value."
    ),
    "host-send": "A client MUST send a Host header field in all HTTP/1.1 request messages.",
    "chunk-size": "chunk-size = 1*HEXDIG",
    "chunk-overflow": (
        "Recipients MUST anticipate potentially large hexadecimal numerals and prevent parsing errors due to"
        " integer conversion overflows or precision loss due to integer representation."
    ),
    "chunk": "chunk = chunk-size [ chunk-ext ] CRLF chunk-data CRLF",
    "chunk-ext": 'chunk-ext = *( BWS ";" BWS chunk-ext-name [ BWS "=" BWS chunk-ext-val ] )',
    "chunk-ext-ignore": "A recipient MUST ignore unrecognized chunk extensions.",
    "chunk-ext-limit": (
        "A server ought to limit the total length of chunk extensions received in a request to an amount"
        " reasonable for the services provided [...] and generate an appropriate 4xx (Client Error) response"
        " if that amount is exceeded."
    ),
    "last-chunk": (
        "The chunked transfer coding is complete when a chunk with a chunk-size of zero is received, possibly"
        " followed by a trailer section, and finally terminated by an empty line."
    ),
    "trailer-merge": (
        "A recipient MUST NOT merge a received trailer field into the header section unless its corresponding"
        " header field definition explicitly permits and instructs how the trailer field value can be safely"
        " merged."
    ),
    "trailer-send": (
        "A sender MUST NOT generate a trailer field unless the sender knows the corresponding header field"
        " name's definition permits the field to be sent in trailers."
    ),
    "parse-1xx": (
        "A client MUST be able to parse one or more 1xx responses received prior to a final response, even if"
        " the client does not expect one."
    ),
    "field-too-large": (
        "A server that receives a request header field line, field value, or set of fields larger than it"
        " wishes to process MUST respond with an appropriate 4xx (Client Error) status code."
    ),
    "target-too-long": (
        "A server that receives a request-target longer than any URI it wishes to parse MUST respond with a"
        " 414 (URI Too Long) status code"
    ),
    "major-version": (
        "A server can send a 505 (HTTP Version Not Supported) response if it wishes, for any "
        "reason, to refuse"
        " service of the client's major protocol version."
    ),
}


def request_bytes(
    headers: bytes = b"",
    body: bytes = b"",
    *,
    method: bytes = b"POST",
    target: bytes = b"/",
    version: bytes = b"1.1",
) -> bytes:
    """``METHOD target HTTP/version`` CRLF, ``Host: a``, the header lines (CRLF-terminated), CRLF, body."""
    return method + b" " + target + b" HTTP/" + version + b"\r\nHost: a\r\n" + headers + b"\r\n" + body


def response_bytes(
    headers: bytes = b"", body: bytes = b"", *, status: bytes = b"200 OK", version: bytes = b"1.1"
) -> bytes:
    """``HTTP/version status`` CRLF, the given header lines, CRLF, body."""
    return b"HTTP/" + version + b" " + status + b"\r\n" + headers + b"\r\n" + body


def headers_of(raw: bytes) -> Headers:
    """Header lines ``Name: value\\r\\n...`` as (lowercase name, value) pairs, for expectations."""
    out = []
    for line in raw.split(b"\r\n"):
        if line:
            name, _, value = line.partition(b":")
            out.append((name.lower(), value.strip(b" \t")))
    return tuple(out)


def post(headers: bytes, *, method: bytes = b"POST", target: bytes = b"/") -> EventRecord:
    """The Request record for ``request_bytes(headers)``."""
    return req(method, target, HOST + headers_of(headers))


def served(*events: EventRecord) -> tuple[EventRecord, ...]:
    """A server's events for one complete stream: the given ones then ConnectionClosed at EOF."""
    return (*events, CLOSED)


GET: EventRecord = req()
GET_WIRE = b"GET / HTTP/1.1\r\nHost: a\r\n\r\n"
HELLO_CHUNKED = b"5\r\nhello\r\n0\r\n\r\n"


def ok(headers: bytes = b"", status: int = 200, reason: bytes = b"OK") -> EventRecord:
    """The Response record for ``response_bytes(headers)``."""
    return resp(status, headers_of(headers), reason)


__all__ = [
    "CLOSED",
    "GET",
    "GET_WIRE",
    "HELLO_CHUNKED",
    "HOST",
    "LENIENCIES",
    "SPLIT_DEPENDENT",
    "S",
    "case",
    "chunk",
    "data",
    "eom",
    "headers_of",
    "ok",
    "post",
    "req",
    "request_bytes",
    "resp",
    "response_bytes",
    "served",
]


# Why a grammar-only rejection is graded below MUST (no specific requirement forbids recovering).
GRAMMAR_NOTES = {
    "server": (
        "Grammar only, no MUST behind the rejection: RFC 9112 §2.2 'When a server [...] receives a sequence"
        " of octets that does not match the HTTP-message grammar aside from the robustness exceptions listed"
        " above, the server SHOULD respond with a 400 (Bad Request) response and close the connection.'"
    ),
    "client": (
        "Grammar only, no MUST behind the rejection: RFC 9110 §2.2 'Unless noted otherwise, a recipient MAY"
        " attempt to recover a usable protocol element from an invalid construct.'"
    ),
}


def grammar_case(cid: str, rfc: str, sentence: str, role: str, reject: Outcome, **kwargs: Any) -> Case:
    """A case whose input breaks only the message grammar: a server SHOULD reject it (RFC 9112 §2.2, so
    accepting is a warning), a client MAY recover instead (RFC 9110 §2.2, so accepting conforms)."""
    note = " ".join(part for part in (kwargs.pop("note", ""), GRAMMAR_NOTES[role]) if part)
    if role == "server":
        return case(cid, rfc, Level.SHOULD, sentence, role, reject, note=note, **kwargs)
    return case(cid, rfc, Level.MAY, sentence, role, Either(reject, Accept()), note=note, **kwargs)


def case(cid: str, rfc: str, level: Level, sentence: str, role: str, expect: Outcome, **kwargs: Any) -> Case:
    """A ``Case`` whose sentence may be given as a key of ``S``."""
    return Case(
        id=cid, rfc=rfc, level=level, sentence=S.get(sentence, sentence), role=role, expect=expect, **kwargs
    )
