"""Message framing: Content-Length, Transfer-Encoding and their conflicts (RFC 9112 §6, RFC 9110 §8.6).

Vectors 1-25 and 59 of docs/vectors.md, on the request side (server role) and, where the rule applies
to responses, the response side (client role). Rows are tables: one list of Content-Length values, one of
Transfer-Encoding values, each with the outcome it must have.
"""

from __future__ import annotations

from conformance.catalog.case import LPE, RPE, Accept, Case, Either, Reject, ev, req, resp
from conformance.catalog.cases._common import (
    CLOSED,
    GET,
    GET_WIRE,
    HELLO_CHUNKED,
    case,
    chunk,
    data,
    eom,
    grammar_case,
    ok,
    post,
    request_bytes,
    response_bytes,
    served,
)
from conformance.drive import EventRecord
from conformance.verdict import Level

MUST, SHOULD, MAY = Level.MUST, Level.SHOULD, Level.MAY
R6_1, R6_2, R6_3 = "RFC 9112 §6.1", "RFC 9112 §6.2", "RFC 9112 §6.3"

CASES: list[Case] = []
add = CASES.append

# --- Vector 1: Content-Length and Transfer-Encoding together -------------------------------------------
CLTE = b"Content-Length: 5\r\nTransfer-Encoding: chunked\r\n"
TECL = b"Transfer-Encoding: chunked\r\nContent-Length: 5\r\n"
for slug, hdrs in (("cl-te-both-must-close", CLTE), ("te-cl-both-must-close", TECL)):
    head = post(hdrs)
    add(
        case(
            f"9112/6.1/{slug}",
            R6_1,
            MUST,
            "cl-te",
            "server",
            Either(
                Reject(RPE),
                Accept(events=(head, chunk(b"hello"), eom()), states={"their_state": "MUST_CLOSE"}),
            ),
            wire=request_bytes(hdrs, HELLO_CHUNKED),
            eof=False,
            vectors=(1,),
            h11_expect=Accept(events=(head, chunk(b"hello"), eom()), states={"their_state": "DONE"}),
            difference="cl-te-keepalive",
            note="Read without EOF: after the message, the client's side must be MUST_CLOSE (or rejected).",
        )
    )
head = post(CLTE)
add(
    case(
        "9112/6.1/cl-te-pipelined-not-processed",
        R6_1,
        MUST,
        "cl-te",
        "server",
        Either(Reject(RPE, events=()), Reject(RPE, events=(head, chunk(b"hello"), eom()))),
        wire=request_bytes(CLTE, HELLO_CHUNKED) + GET_WIRE,
        vectors=(1, 55),
        h11_expect=Accept(events=served(head, chunk(b"hello"), eom(), GET, eom())),
        difference="cl-te-keepalive",
        note="A request pipelined after a CL+TE request must not be processed: the connection closes.",
    )
)
smuggle = b"Content-Length: 6\r\nTransfer-Encoding: chunked\r\n"
add(
    case(
        "9112/6.3/cl-te-te-overrides-cl",
        "RFC 9112 §6.3",
        MUST,
        "te-overrides",
        "server",
        Either(Reject(RPE, events=()), Reject(RPE, events=(post(smuggle), eom()))),
        wire=request_bytes(smuggle, b"0\r\n\r\nX"),
        vectors=(1,),
        # h11 keeps the connection open after CL+TE, so 'X' starts a next request: refused at EOF.
        h11_expect=Reject(RPE, events=(post(smuggle), eom())),
        difference="cl-te-keepalive",
        note="CL.TE: framed by Content-Length the body would swallow 'X'; by Transfer-Encoding 'X' "
        "is left over.",
    )
)
add(
    case(
        "9112/6.3/te-cl-response-te-overrides",
        R6_3,
        MUST,
        "te-overrides",
        "client",
        Either(Reject(RPE), Accept(events=(ok(CLTE), chunk(b"hello"), eom(), CLOSED))),
        wire=response_bytes(CLTE, HELLO_CHUNKED),
        vectors=(1,),
    )
)

# --- Vectors 2-12: Content-Length values -----------------------------------------------------------------
# (slug, header lines, body, vectors, outcome for the server role); None body means "hello".
BAD_CL: list[tuple[str, bytes, tuple[int, ...]]] = [
    ("cl-two-lines-differ", b"Content-Length: 1\r\nContent-Length: 2\r\n", (2,)),
    ("cl-list-differ", b"Content-Length: 1, 2\r\n", (2,)),
    ("cl-plus-sign", b"Content-Length: +5\r\n", (4,)),
    ("cl-negative", b"Content-Length: -1\r\n", (5,)),
    ("cl-negative-zero", b"Content-Length: -0\r\n", (5,)),
    ("cl-hex-prefix", b"Content-Length: 0x5\r\n", (6,)),
    ("cl-underscore", b"Content-Length: 1_0\r\n", (8,)),
    ("cl-empty", b"Content-Length: \r\n", (9,)),
    ("cl-non-numeric", b"Content-Length: abc\r\n", (10,)),
    ("cl-numeric-prefix", b"Content-Length: 5abc\r\n", (10,)),
    ("cl-internal-space", b"Content-Length: 5 0\r\n", (11,)),
    ("cl-decimal-point", b"Content-Length: 5.0\r\n", (10,)),
    ("cl-exponent", b"Content-Length: 5e0\r\n", (10,)),
    ("cl-fullwidth-digit", "Content-Length: \uff15\r\n".encode(), (10, 44)),
]
for slug, hdrs, vecs in BAD_CL:
    add(
        case(
            f"9112/6.3/{slug}",
            R6_3,
            MUST,
            "cl-invalid",
            "server",
            Reject(RPE, 400, events=()),
            wire=request_bytes(hdrs, b"hello"),
            vectors=vecs,
            note="An invalid Content-Length in a request: unrecoverable, 400.",
        )
    )
for slug, hdrs, vecs in BAD_CL[:8]:
    add(
        case(
            f"9112/6.3/{slug}-response",
            R6_3,
            MUST,
            "cl-invalid",
            "client",
            Reject(RPE, events=()),
            wire=response_bytes(hdrs, b"hello"),
            vectors=vecs,
            note="A user agent MUST close the connection and discard a response with an invalid "
            "Content-Length.",
        )
    )

GOOD_CL: list[tuple[str, bytes, bytes, tuple[int, ...], str]] = [
    ("cl-leading-zeros-decimal", b"Content-Length: 010\r\n", b"0123456789", (7,), "cl-grammar"),
    ("cl-trailing-ows", b"Content-Length: 5 \t\r\n", b"hello", (11,), "cl-valid"),
    ("cl-leading-ows", b"Content-Length: \t 5\r\n", b"hello", (11,), "cl-valid"),
    ("cl-zero", b"Content-Length: 0\r\n", b"", (), "cl-valid"),
]
for slug, hdrs, body, vecs, key in GOOD_CL:
    events = (post(hdrs), data(body), eom()) if body else (post(hdrs), eom())
    add(
        case(
            f"9112/6.2/{slug}",
            R6_2,
            MUST,
            key,
            "server",
            Accept(events=served(*events)),
            wire=request_bytes(hdrs, body),
            vectors=vecs,
        )
    )
add(
    case(
        "9112/6.2/cl-leading-zeros-response",
        R6_2,
        MUST,
        "cl-grammar",
        "client",
        Accept(events=(ok(b"Content-Length: 010\r\n"), data(b"0123456789"), eom(), CLOSED)),
        wire=response_bytes(b"Content-Length: 010\r\n", b"0123456789"),
        vectors=(7,),
    )
)

SAME_CL = [
    ("cl-list-identical", b"Content-Length: 5, 5\r\n"),
    ("cl-lines-identical", b"Content-Length: 5\r\nContent-Length: 5\r\n"),
    ("cl-list-identical-empty-element", b"Content-Length: 5, ,5\r\n"),
]
for slug, hdrs in SAME_CL:
    add(
        case(
            f"9112/6.3/{slug}",
            R6_3,
            MUST,
            "cl-invalid",
            "server",
            Either(Reject(RPE), Accept(events=None, states=None)),
            wire=request_bytes(hdrs, b"hello"),
            vectors=(3,),
            note="Identical values may be read as one (the body is then 'hello'), or rejected.",
        )
    )
# Accepting an identical list must still frame 5 bytes: check the events when accepted.
add(
    case(
        "9112/6.3/cl-list-identical-frames-once",
        R6_3,
        MUST,
        "cl-invalid",
        "server",
        Either(
            Reject(RPE),
            Accept(events=served(post(b"Content-Length: 5, 5\r\n"), data(b"hello"), eom(), GET, eom())),
        ),
        wire=request_bytes(b"Content-Length: 5, 5\r\n", b"hello") + GET_WIRE,
        vectors=(3, 25),
    )
)
for slug, value in (
    ("cl-overflow-2-64", b"18446744073709551616"),
    ("cl-overflow-2-64-plus-1", b"18446744073709551617"),
    ("cl-overflow-2-63", b"9223372036854775808"),
    ("cl-overflow-30-digits", b"1" * 30),
):
    add(
        case(
            f"9110/8.6/{slug}",
            "RFC 9110 §8.6",
            MUST,
            "cl-overflow",
            "server",
            Reject(RPE),
            wire=request_bytes(b"Content-Length: " + value + b"\r\n", b"X"),
            vectors=(12,),
            # Every length here may be read exactly (arbitrary-precision integers): the body is then
            # incomplete and EOF makes the rejection, so each may wait for EOF.
            eof_rejects=True,
            note="A wrapped length (0 or 1) would complete the message; a correct one waits, then sees EOF.",
        )
    )

# --- Vectors 13-22: Transfer-Encoding values ----------------------------------------------------------------
chunked_events = (chunk(b"hello"), eom())
TE_NOT_FINAL = [
    ("te-chunked-then-gzip", b"Transfer-Encoding: chunked, gzip\r\n", (13,)),
    (
        "te-chunked-then-gzip-two-lines",
        b"Transfer-Encoding: chunked\r\nTransfer-Encoding: gzip\r\n",
        (13, 14),
    ),
    ("te-xchunked", b"Transfer-Encoding: xchunked\r\n", (15,)),
    ("te-identity", b"Transfer-Encoding: identity\r\n", (15,)),
    ("te-chunkedchunked", b"Transfer-Encoding: chunkedchunked\r\n", (15,)),
    ("te-chunked-vt", b"Transfer-Encoding: chunked\x0b\r\n", (18,)),
    ("te-chunked-nbsp", b"Transfer-Encoding: \xa0chunked\r\n", (18, 44)),
    ("te-chunked-high-byte", b"Transfer-Encoding: chunked\x85\r\n", (18, 44)),
    ("te-chunked-ff", b"Transfer-Encoding: \x0cchunked\r\n", (18,)),
    ("te-quoted", b'Transfer-Encoding: "chunked"\r\n', (20,)),
    ("te-obs-fold-trailing-coding", b"Transfer-Encoding: chunked\r\n gzip\r\n", (22, 39)),
]
# Values naming no chunked coding at all (an unknown coding, or no coding): RFC 9112 §6.1 "A server that
# receives a request message with a transfer coding it does not understand SHOULD respond with 501 (Not
# Implemented)" applies beside §6.3's 400, so either status conforms; where chunked is named but not
# final, §6.3's 400 is the answer.
CHUNKED_NAMED = {"te-chunked-then-gzip", "te-chunked-then-gzip-two-lines", "te-obs-fold-trailing-coding"}
for slug, hdrs, vecs in TE_NOT_FINAL:
    add(
        case(
            f"9112/6.3/{slug}",
            R6_3,
            MUST,
            "te-not-final",
            "server",
            Reject(RPE, 400) if slug in CHUNKED_NAMED else Either(Reject(RPE, 400), Reject(RPE, 501)),
            wire=request_bytes(hdrs, HELLO_CHUNKED),
            vectors=vecs,
            # h11 refuses VT and FF in any field value (400): it differs only where it reads the coding (501).
            h11_expect=None if slug in ("te-chunked-vt", "te-chunked-ff") else Reject(RPE, 501),
            difference=None if slug in ("te-chunked-vt", "te-chunked-ff") else "te-chunked-not-final",
            note="The final coding is not chunked (or the value is no coding at all): 400, then close.",
        )
    )
# Vector 14: chunked applied twice (RFC 9112 §6.1 forbids it to the sender).
TWICE = b"Transfer-Encoding: chunked, chunked\r\n"
TWO_LINES = b"Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n"
add(
    case(
        "9112/6.1/te-chunked-twice",
        R6_1,
        MUST,
        "chunked-once",
        "server",
        Either(Reject(RPE), Accept(events=served(post(TWICE), *chunked_events))),
        wire=request_bytes(TWICE, HELLO_CHUNKED),
        vectors=(14,),
        note="A message chunked twice was generated against a MUST NOT (a sender's rule). The final chunked"
        " frames it either way (RFC 9112 §6.3: 'the message body length is determined by reading and decoding"
        " the chunked data'); leaving the inner coding undecoded is the recipient's affair, so rejecting and"
        " decoding the outer coding alone both conform. Decoding it otherwise does not.",
    )
)
add(
    case(
        "9112/6.1/te-chunked-two-lines",
        R6_1,
        MUST,
        "chunked-once",
        "server",
        Either(Reject(RPE), Accept(events=served(post(TWO_LINES), *chunked_events))),
        wire=request_bytes(TWO_LINES, HELLO_CHUNKED),
        vectors=(14,),
    )
)
add(
    case(
        "9112/6.1/te-chunked-twice-response",
        R6_1,
        MUST,
        "chunked-once",
        "client",
        Either(Reject(RPE), Accept(events=(ok(TWICE), *chunked_events, CLOSED))),
        wire=response_bytes(TWICE, HELLO_CHUNKED),
        vectors=(14,),
    )
)
add(
    case(
        "9112/7/te-unknown-coding-501",
        "RFC 9112 §7",
        SHOULD,
        "te-unknown",
        "server",
        Reject(RPE, 501),
        wire=request_bytes(b"Transfer-Encoding: gzip, chunked\r\n", HELLO_CHUNKED),
        vectors=(15,),
        note="gzip is a coding we may not understand: 501 is the suggested status.",
    )
)
for slug, value in (("te-uppercase", b"CHUNKED"), ("te-mixed-case", b"ChUnKeD")):
    hdrs = b"Transfer-Encoding: " + value + b"\r\n"
    add(
        case(
            f"9112/7/{slug}",
            "RFC 9112 §7",
            MUST,
            "coding-case",
            "server",
            Accept(events=served(post(hdrs), *chunked_events)),
            wire=request_bytes(hdrs, HELLO_CHUNKED),
            vectors=(17,),
        )
    )
add(
    case(
        "9112/7/te-uppercase-response",
        "RFC 9112 §7",
        MUST,
        "coding-case",
        "client",
        Accept(events=(ok(b"Transfer-Encoding: CHUNKED\r\n"), *chunked_events, CLOSED)),
        wire=response_bytes(b"Transfer-Encoding: CHUNKED\r\n", HELLO_CHUNKED),
        vectors=(17,),
    )
)
hdrs = b"Transfer-Encoding:\tchunked\t\r\n"
add(
    case(
        "9112/5.1/te-value-htab-ows",
        "RFC 9112 §5.1",
        MUST,
        "field-line",
        "server",
        Accept(events=served(post(hdrs), *chunked_events)),
        wire=request_bytes(hdrs, HELLO_CHUNKED),
        vectors=(18,),
    )
)
for slug, value in (
    ("te-list-trailing-comma", b"chunked,"),
    ("te-list-leading-comma", b", chunked"),
    ("te-list-empty-element", b" ,, chunked"),
):
    hdrs = b"Transfer-Encoding: " + value + b"\r\n"
    add(
        case(
            f"9110/5.6.1/{slug}",
            "RFC 9110 §5.6.1",
            MUST,
            "list-empty",
            "server",
            Either(Reject(RPE), Accept(events=served(post(hdrs), *chunked_events))),
            wire=request_bytes(hdrs, HELLO_CHUNKED),
            vectors=(16,),
            note="Empty list elements do not count: this is 'chunked'. Rejecting is the cautious choice; any"
            " other framing is wrong.",
        )
    )
for slug, value in (("te-chunked-param", b"chunked;x=y"), ("te-chunked-param-ows", b"chunked ; q=1")):
    hdrs = b"Transfer-Encoding: " + value + b"\r\n"
    add(
        case(
            f"9112/7/{slug}",
            "RFC 9112 §7",
            MAY,
            "te-chunked-final",
            "server",
            Either(Reject(RPE), Accept(events=served(post(hdrs), *chunked_events))),
            wire=request_bytes(hdrs, HELLO_CHUNKED),
            vectors=(20,),
            note="chunked defines no parameters: reject, or frame as chunked; nothing else.",
        )
    )
# Vector 19: header-name obfuscation: not the Transfer-Encoding field, so the request has no body.
for slug, name, vecs in (
    ("te-name-underscore", b"Transfer_Encoding", (19,)),
    ("te-name-misspelt", b"Transfer-Encodin", (19,)),
):
    hdrs = name + b": chunked\r\n"
    add(
        case(
            f"9112/6.3/{slug}",
            R6_3,
            MUST,
            "request-no-body",
            "server",
            Either(Reject(RPE, events=()), Reject(RPE, events=(post(hdrs), eom()))),
            wire=request_bytes(hdrs, HELLO_CHUNKED),
            vectors=vecs,
            note="A different field name: no framing header, so the 'chunk' bytes are the next "
            "(bad) request.",
        )
    )
for slug, hdrs, vecs in (
    ("te-name-inner-space", b"Transfer Encoding: chunked\r\n", (19, 43)),
    ("te-name-leading-ctl", b"\x0bTransfer-Encoding: chunked\r\n", (19, 43)),
    ("te-name-unicode-lookalike", "Transfer-Encod\u0131ng: chunked\r\n".encode(), (19, 43)),
    ("te-name-space-before-colon", b"Transfer-Encoding : chunked\r\n", (19, 38)),
):
    wire = request_bytes(hdrs, HELLO_CHUNKED)
    if slug == "te-name-space-before-colon":  # RFC 9112 §5.1: a server MUST reject it
        add(
            case(
                f"9112/5/{slug}",
                "RFC 9112 §5",
                MUST,
                "field-name",
                "server",
                Reject(RPE, 400),
                wire=wire,
                vectors=vecs,
            )
        )
    else:  # not a field-name token: grammar only
        add(
            grammar_case(
                f"9112/5/{slug}",
                "RFC 9112 §5",
                "field-name",
                "server",
                Reject(RPE, 400),
                wire=wire,
                vectors=vecs,
            )
        )
# Vector 21: Transfer-Encoding in HTTP/1.0.
te10 = b"Transfer-Encoding: chunked\r\n"
add(
    case(
        "9112/6.1/te-in-http10-request",
        R6_1,
        MUST,
        "te-http10",
        "server",
        Reject(RPE, 400),
        wire=request_bytes(te10, HELLO_CHUNKED, version=b"1.0"),
        vectors=(21,),
        h11_expect=Accept(
            events=served(
                req(b"POST", b"/", ((b"host", b"a"), (b"transfer-encoding", b"chunked")), b"1.0"),
                *chunked_events,
            )
        ),
        difference="te-in-http10",
    )
)
add(
    case(
        "9112/6.1/te-and-cl-in-http10-request",
        R6_1,
        MUST,
        "te-http10",
        "server",
        Reject(RPE, 400),
        wire=request_bytes(te10 + b"Content-Length: 5\r\n", HELLO_CHUNKED, version=b"1.0"),
        vectors=(1, 21),
        h11_expect=Accept(),
        difference="te-in-http10",
    )
)
add(
    case(
        "9112/6.1/te-in-http10-response",
        R6_1,
        MUST,
        "te-http10",
        "client",
        Reject(RPE),
        wire=response_bytes(te10, HELLO_CHUNKED, version=b"1.0"),
        vectors=(21,),
        h11_expect=Accept(
            events=(resp(200, ((b"transfer-encoding", b"chunked"),), b"OK", b"1.0"), *chunked_events, CLOSED)
        ),
        difference="te-in-http10",
    )
)
# Vector 22: obs-fold inside Transfer-Encoding.
folded = b"Transfer-Encoding:\r\n chunked\r\n"
add(
    case(
        "9112/5.2/te-obs-fold-value",
        "RFC 9112 §5.2",
        MUST,
        "obs-fold-server",
        "server",
        Either(
            Reject(RPE, 400), Accept(events=served(post(b"Transfer-Encoding: chunked\r\n"), *chunked_events))
        ),
        wire=request_bytes(folded, HELLO_CHUNKED),
        vectors=(22, 39),
        note="Reject, or replace the fold with SP (the value is then ' chunked').",
    )
)
add(
    case(
        "9112/5.2/te-obs-fold-response",
        "RFC 9112 §5.2",
        MUST,
        "obs-fold-client",
        "client",
        Accept(events=(ok(b"Transfer-Encoding: chunked\r\n"), *chunked_events, CLOSED)),
        wire=response_bytes(folded, HELLO_CHUNKED),
        vectors=(22,),
    )
)
# Responses: a coding other than chunked last means read until close (or refuse it).
gz = b"Transfer-Encoding: gzip\r\n"
add(
    case(
        "9112/6.3/te-response-not-chunked-close-delimited",
        R6_3,
        MAY,
        "te-response-not-final",
        "client",
        Either(Reject(RPE), Accept(events=(ok(gz), data(b"abc"), eom(), CLOSED))),
        wire=response_bytes(gz, b"abc"),
        vectors=(13, 15),
        note="A client that cannot decode gzip may refuse the response; if it reads it, it reads "
        "until close.",
    )
)

# --- Vectors 23-25: bodies on GET/HEAD/OPTIONS, Expect with CL, CL: 0 then pipelined bytes --------------
for method in (b"GET", b"HEAD", b"OPTIONS"):
    hdrs = b"Content-Length: 5\r\n"
    head = post(hdrs, method=method)
    add(
        case(
            f"9110/9.3/body-on-{method.decode().lower()}-cl",
            "RFC 9110 §9.3.1",
            MUST,
            "get-body",
            "server",
            Either(Reject(RPE, events=()), Accept(events=served(head, data(b"hello"), eom()))),
            wire=request_bytes(hdrs, b"hello", method=method),
            vectors=(23,),
            note="The body is framed by Content-Length whatever the method; it is never the next request.",
        )
    )
    hdrs = b"Transfer-Encoding: chunked\r\n"
    add(
        case(
            f"9110/9.3/body-on-{method.decode().lower()}-chunked",
            "RFC 9110 §9.3.1",
            MUST,
            "get-body",
            "server",
            Either(Reject(RPE, events=()), Accept(events=served(post(hdrs, method=method), *chunked_events))),
            wire=request_bytes(hdrs, HELLO_CHUNKED, method=method),
            vectors=(23,),
        )
    )
exp = b"Expect: 100-continue\r\nContent-Length: 5\r\n"
add(
    case(
        "9110/10.1.1/expect-100-cl-framing",
        "RFC 9110 §10.1.1",
        MUST,
        "cl-valid",
        "server",
        Accept(events=served(post(exp), data(b"hello"), eom(), GET, eom())),
        wire=request_bytes(exp, b"hello") + GET_WIRE,
        vectors=(24, 25),
        note="Expect: 100-continue does not change framing: the body follows, then the next request.",
    )
)
cl0 = b"Content-Length: 0\r\n"
add(
    case(
        "9112/6.3/cl-zero-then-pipelined",
        R6_3,
        MUST,
        "cl-valid",
        "server",
        Accept(events=served(post(cl0), eom(), GET, eom())),
        wire=request_bytes(cl0) + GET_WIRE,
        vectors=(25, 57),
    )
)
add(
    case(
        "9112/6.3/no-length-request-then-pipelined",
        R6_3,
        MUST,
        "request-no-body",
        "server",
        Accept(events=served(post(b""), eom(), GET, eom())),
        wire=request_bytes(b"") + GET_WIRE,
        vectors=(25,),
    )
)

# --- Vector 59: responses that cannot have a body -------------------------------------------------------
for status, reason in ((204, b"No Content"), (304, b"Not Modified")):
    for slug, hdrs in (("cl", b"Content-Length: 5\r\n"), ("te", b"Transfer-Encoding: chunked\r\n")):
        wire = response_bytes(hdrs, b"", status=f"{status} ".encode() + reason)
        add(
            case(
                f"9112/6.3/{status}-with-{slug}-has-no-body",
                R6_3,
                MUST,
                "no-body-statuses",
                "client",
                Accept(events=(ok(hdrs, status, reason), eom(), CLOSED)),
                wire=wire,
                vectors=(59,),
                note="The header fields are ignored: the message ends at the empty line.",
            )
        )
wire = response_bytes(b"Content-Length: 5\r\n", b"", status=b"100 Continue") + response_bytes(
    b"Content-Length: 0\r\n"
)
add(
    case(
        "9112/6.3/1xx-with-cl-has-no-body",
        R6_3,
        MUST,
        "no-body-statuses",
        "client",
        Accept(
            events=(
                ok(b"Content-Length: 5\r\n", 100, b"Continue"),
                ok(b"Content-Length: 0\r\n"),
                eom(),
                CLOSED,
            )
        ),
        wire=wire,
        vectors=(59,),
    )
)
head_req = ev("Request", method=b"HEAD", target=b"/", headers=[(b"Host", b"a")])
for slug, hdrs in (("cl", b"Content-Length: 5\r\n"), ("te", b"Transfer-Encoding: chunked\r\n")):
    add(
        case(
            f"9112/6.3/head-response-with-{slug}-has-no-body",
            R6_3,
            MUST,
            "no-body-statuses",
            "client",
            Accept(events=(ok(hdrs), eom(), CLOSED)),
            wire=response_bytes(hdrs),
            request=head_req,
            vectors=(59,),
        )
    )
connect_req = ev("Request", method=b"CONNECT", target=b"a:443", headers=[(b"Host", b"a:443")])
add(
    case(
        "9112/6.3/connect-2xx-ignores-cl",
        R6_3,
        MUST,
        "connect-2xx",
        "client",
        Accept(events=(ok(b"Content-Length: 5\r\n"),), states={"their_state": "SWITCHED_PROTOCOL"}),
        wire=response_bytes(b"Content-Length: 5\r\n"),
        request=connect_req,
        vectors=(59,),
        needs=frozenset({"protocol-switch"}),
    )
)
# The framing fields of a 2xx to CONNECT are ignored, values included: the response is delivered as
# received and what follows its head is the tunnel's (h11 validates them first: difference
# connect-2xx-framing-ignored).
TUNNEL = b"\x16\x03\x01\x00\x05hello"
CONNECT_2XX_FRAMING: list[tuple[str, bytes]] = [
    ("invalid-cl", b"Content-Length: abc\r\n"),
    ("cl-list", b"Content-Length: 1, 2\r\n"),
    ("invalid-te", b"Transfer-Encoding: gzip\r\n"),
    ("invalid-cl-and-te", b"Content-Length: abc\r\nTransfer-Encoding: gzip\r\n"),
]
for slug, hdrs in CONNECT_2XX_FRAMING:
    add(
        case(
            f"9112/6.3/connect-2xx-ignores-{slug}",
            R6_3,
            MUST,
            "connect-2xx",
            "client",
            Accept(
                events=(ok(hdrs),),
                states={"their_state": "SWITCHED_PROTOCOL", "trailing": (TUNNEL, True)},
            ),
            wire=response_bytes(hdrs, TUNNEL),
            request=connect_req,
            needs=frozenset({"protocol-switch"}),
            h11_expect=Reject(RPE, events=()),
            difference="connect-2xx-framing-ignored",
            note="The field's value is never checked: the tunnel opens and the bytes after the head are its"
            " own.",
        )
    )
# Only a 2xx makes the tunnel: an invalid Content-Length on any other final answer to CONNECT is still
# invalid framing (RFC 9110 §9.3.6: "Any response other than a successful response indicates that the tunnel
# has not yet been formed.").
for answer in (b"300 Multiple Choices", b"407 Proxy Authentication Required"):
    add(
        case(
            f"9112/6.3/connect-{answer[:3].decode()}-invalid-cl-rejected",
            R6_3,
            MUST,
            "cl-invalid",
            "client",
            Reject(RPE, events=()),
            wire=response_bytes(b"Content-Length: abc\r\n", b"hello", status=answer),
            request=connect_req,
            note="Not a 2xx, so not a tunnel: the exemption for a 2xx to CONNECT does not reach this answer.",
        )
    )
denied = ok(b"Content-Length: 0\r\n", 407, b"No")
add(
    case(
        "9110/9.3.6/connect-denied-response",
        "RFC 9110 §9.3.6",
        MUST,
        "Any response other than a successful response indicates that the tunnel has not yet been formed.",
        "client",
        # Not a tunnel: the connection goes on or closes (RFC 9112 §9.3.1: "Connections can be closed at any
        # time, with or without intention"); the choice point denied-connect.
        Either(
            Accept(events=(denied, eom()), states={"their_state": "DONE"}),
            Accept(events=(denied, eom()), states={"their_state": "MUST_CLOSE"}),
        ),
        wire=response_bytes(b"Content-Length: 0\r\n", status=b"407 No"),
        request=connect_req,
        eof=False,
        needs=frozenset({"state-machine"}),
    )
)
noframe: tuple[EventRecord, ...] = (ok(b"Connection: close\r\n"), data(b"abc"), eom(), CLOSED)
add(
    case(
        "9112/6.3/response-close-delimited",
        R6_3,
        MUST,
        "response-close-delimited",
        "client",
        Accept(events=noframe),
        wire=response_bytes(b"Connection: close\r\n", b"abc"),
        vectors=(57,),
    )
)
add(
    case(
        "9112/6.3/response-close-delimited-open",
        R6_3,
        MUST,
        "response-close-delimited",
        "client",
        # Before the close the client may still be DONE or already take the connection as closing (RFC
        # 9112 §9.3.1: "Connections can be closed at any time"); the choice point close-delimited-response.
        Either(
            Accept(events=(ok(b""), data(b"abc")), states={"our_state": "DONE"}),
            Accept(events=(ok(b""), data(b"abc")), states={"our_state": "MUST_CLOSE"}),
        ),
        wire=response_bytes(b"", b"abc"),
        eof=False,
        needs=frozenset({"state-machine"}),
    )
)
__all__ = ["CASES", "LPE"]

# --- The same smuggling vectors on the response side (client role) ---------------------------------------
add(
    case(
        "9110/8.6/cl-overflow-2-64-plus-1-response",
        "RFC 9110 §8.6",
        MUST,
        "cl-overflow",
        "client",
        Reject(RPE),
        wire=response_bytes(b"Content-Length: 18446744073709551617\r\n", b"X"),
        vectors=(12,),
        eof_rejects=True,
        note="A wrapped length (1) would complete the response; a correct client waits, then sees EOF.",
    )
)
underscore = b"Transfer_Encoding: chunked\r\n"
add(
    case(
        "9112/6.3/te-name-underscore-response",
        R6_3,
        MUST,
        "response-close-delimited",
        "client",
        Either(Reject(RPE), Accept(events=(ok(underscore), data(HELLO_CHUNKED), eom(), CLOSED))),
        wire=response_bytes(underscore, HELLO_CHUNKED),
        vectors=(19,),
        note="Not Transfer-Encoding: no declared length, so the body is read until close, chunks and all.",
    )
)
add(
    case(
        "9112/6.3/te-chunked-vt-response",
        R6_3,
        MUST,
        "field-crlfnul",
        "client",
        Either(
            Reject(RPE),
            Accept(events=(ok(b"Transfer-Encoding: chunked\x0b\r\n"), data(HELLO_CHUNKED), eom(), CLOSED)),
        ),
        wire=response_bytes(b"Transfer-Encoding: chunked\x0b\r\n", HELLO_CHUNKED),
        vectors=(18,),
        note="'chunked<VT>' is not chunked: refuse the response, or read it until close; never de-chunk it.",
    )
)

# A response framed by a final chunked after a coding the client does not know: the 501 of RFC 9112 §6.1 is
# for requests; RFC 9112 §6.3 frames any message whose final coding is chunked by that coding.
for slug, hdrs in (
    ("te-unknown-then-chunked-response", b"Transfer-Encoding: chunkedx, chunked\r\n"),
    (
        "te-unknown-line-then-chunked-response",
        b"Transfer-Encoding: chunkedx\r\nTransfer-Encoding: chunked\r\n",
    ),
):
    add(
        case(
            f"9112/6.3/{slug}",
            R6_3,
            MUST,
            "If a Transfer-Encoding header field is present and the chunked transfer coding (Section 7.1) is"
            " the final encoding, the message body length is determined by reading and decoding the chunked"
            " data until the transfer coding indicates the data is complete.",
            "client",
            Either(Reject(RPE), Accept(events=(ok(hdrs), *chunked_events, CLOSED))),
            wire=response_bytes(hdrs, HELLO_CHUNKED),
            note="Framed by the final chunked (the other coding left undecoded), or refused as a coding the"
            " client does not understand; never framed otherwise.",
        )
    )
# A CONNECT request has no content (RFC 9110 §9.3.6), yet RFC 9112 §6.3 frames a request by its fields: the
# server may read the declared body before the tunnel, or take the bytes after the head as the tunnel's.
CONNECT_CL = b"CONNECT a:443 HTTP/1.1\r\nHost: a:443\r\nContent-Length: 3\r\n\r\nabc"
connect_cl_req = req(b"CONNECT", b"a:443", ((b"Host", b"a:443"), (b"Content-Length", b"3")))
add(
    case(
        "9110/9.3.6/connect-request-with-content-length",
        "RFC 9110 §9.3.6",
        MUST,
        "A CONNECT request message does not have content. The interpretation of data sent after the header"
        " section of the CONNECT request message is specific to the version of HTTP in use.",
        "server",
        Either(
            Accept(events=(connect_cl_req, data(b"abc"), eom())),
            Accept(events=(connect_cl_req, eom())),
        ),
        wire=CONNECT_CL,
        eof=False,
        note="The body read by Content-Length and then the tunnel, or the tunnel straight after the head.",
    )
)
