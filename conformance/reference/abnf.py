"""The HTTP/1.1 grammar the reference parses and validates with, each regex after its RFC ABNF.

Theory of operation: every rule is a ``bytes`` regex fragment built from the quoted ABNF, so the
reader can check each line against RFC 9112 / RFC 9110 / RFC 3986. Where the reference (like h11 0.16)
is more lenient than the ABNF, the comment says so and why; where it is stricter than h11 because of an
RFC MUST, the comment names the entry of ``differences.py``. Compiled patterns at the bottom are the
only things other modules use.
"""

from __future__ import annotations

import re

# RFC 9110 §5.6.2:
#   token          = 1*tchar
#   tchar          = "!" / "#" / "$" / "%" / "&" / "'" / "*"
#                  / "+" / "-" / "." / "^" / "_" / "`" / "|" / "~"
#                  / DIGIT / ALPHA
TOKEN = rb"[-!#$%&'*+.^_`|~0-9A-Za-z]+"

# RFC 9110 §5.6.3:
#   OWS            = *( SP / HTAB )
#   BWS            = OWS
OWS = rb"[ \t]*"

# RFC 9110 §5.5:
#   field-value    = *field-content
#   field-content  = field-vchar [ 1*( SP / HTAB / field-vchar ) field-vchar ]
#   field-vchar    = VCHAR / obs-text
# Leniency kept from h11 (RFC 9110 §5.5 "recipients MAY retain such characters"): a field byte is
# anything but NUL and ASCII whitespace, so CTLs 0x01-0x08, 0x0E-0x1F and 0x7F pass; CR, LF, NUL,
# VT and FF never do, so no field can split a message.
FIELD_VCHAR = rb"[^\x00\s]"
FIELD_CONTENT = FIELD_VCHAR + rb"+(?:[ \t]+" + FIELD_VCHAR + rb"+)*"
FIELD_VALUE = rb"(?:" + FIELD_CONTENT + rb")?"

# RFC 9112 §5:
#   field-line     = field-name ":" OWS field-value OWS
# Whitespace before ":" is not allowed (RFC 9112 §5.1 MUST reject), and the grammar rejects it.
FIELD_LINE = rb"(?P<name>" + TOKEN + rb"):" + OWS + rb"(?P<value>" + FIELD_VALUE + rb")" + OWS

# RFC 9112 §2.3:
#   HTTP-version   = HTTP-name "/" DIGIT "." DIGIT
#   HTTP-name      = %s"HTTP"
HTTP_VERSION = rb"HTTP/(?P<http_version>[0-9]\.[0-9])"

# RFC 9112 §3:
#   request-line   = method SP request-target SP HTTP-version
# RFC 9112 §3.2 request-target forms are not distinguished (h11 behaviour, no MUST on recipients
# beyond "400 for an invalid target"): any run of visible ASCII is a target.
METHOD = TOKEN
REQUEST_TARGET = rb"[\x21-\x7e]+"
REQUEST_LINE = rb"(?P<method>" + METHOD + rb") (?P<target>" + REQUEST_TARGET + rb") " + HTTP_VERSION

# RFC 9112 §4:
#   status-line    = HTTP-version SP status-code SP [ reason-phrase ]
#   status-code    = 3DIGIT
#   reason-phrase  = 1*( HTAB / SP / VCHAR / obs-text )
# Received: lenient like h11 (the SP before an empty reason may be missing; CTLs other than NUL, CR,
# LF, VT and FF are kept: RFC 9112 §4 says a client SHOULD ignore the reason-phrase content).
RECEIVED_REASON = rb"[^\x00\n\r\x0b\x0c]*"
STATUS_LINE = HTTP_VERSION + rb" (?P<status_code>[0-9]{3})(?: (?P<reason>" + RECEIVED_REASON + rb"))?"
# Sent: strict ABNF (differences: reason-phrase-injection), empty allowed as in h11.
REASON_PHRASE = rb"[\t\x20-\x7e\x80-\xff]*"

# RFC 9110 §8.6:
#   Content-Length = 1*DIGIT
# Implementation limit (h11): at most 20 digits, so the value fits any sane integer.
CONTENT_LENGTH = rb"[0-9]{1,20}"

# RFC 9112 §7.1:
#   chunk-size     = 1*HEXDIG
#   chunk-ext      = *( BWS ";" BWS chunk-ext-name [ BWS "=" BWS chunk-ext-val ] )
#   chunk-ext-name = token
#   chunk-ext-val  = token / quoted-string
# RFC 9110 §5.6.4:
#   quoted-string  = DQUOTE *( qdtext / quoted-pair ) DQUOTE
#   qdtext         = HTAB / SP / %x21 / %x23-5B / %x5D-7E / obs-text
#   quoted-pair    = "\" ( HTAB / SP / VCHAR / obs-text )
# differences: chunk-ext-bare-cr (only this grammar, so no CR/NUL/CTL), chunk-ext-bws (BWS accepted);
# their h11 modes are the two patterns after CHUNK_HEADER.
# Leniency kept from h11: at most 20 hex digits; trailing SP/HTAB before CRLF.
QUOTED_STRING = rb'"(?:[\t \x21\x23-\x5b\x5d-\x7e\x80-\xff]|\\[\t \x21-\x7e\x80-\xff])*"'
CHUNK_EXT = (
    rb"(?:"
    + OWS
    + rb";"
    + OWS
    + TOKEN
    + rb"(?:"
    + OWS
    + rb"="
    + OWS
    + rb"(?:"
    + TOKEN
    + rb"|"
    + QUOTED_STRING
    + rb"))?)*"
)
CHUNK_HEADER = rb"(?P<chunk_size>[0-9A-Fa-f]{1,20})" + CHUNK_EXT + OWS + rb"\r\n"
# h11 mode of chunk-ext-bare-cr: after ";" any bytes but LF (the line ends at its first CRLF).
H11_CHUNK_HEADER = rb"(?P<chunk_size>[0-9A-Fa-f]{1,20})(?:" + OWS + rb";[^\n]*)?" + OWS + rb"\r\n"
# h11 mode of chunk-ext-bws: whitespace between the chunk size and the first ";" is refused.
BWS_BEFORE_CHUNK_EXT = rb"[0-9A-Fa-f]{1,20}[ \t]+;"

# RFC 3986 §3.2.2 / §3.2.3, used by RFC 9112 §3.2 (Host = uri-host [ ":" port ]):
#   host        = IP-literal / IPv4address / reg-name
#   IP-literal  = "[" ( IPv6address / IPvFuture  ) "]"
#   IPvFuture   = "v" 1*HEXDIG "." 1*( unreserved / sub-delims / ":" )
#   reg-name    = *( unreserved / pct-encoded / sub-delims )
#   port        = *DIGIT
# IPv4address is a subset of reg-name; IPv6address is checked by its alphabet only (HEXDIG, ":" and
# "." for an embedded IPv4 tail), which is enough to keep every byte outside the grammar out.
UNRESERVED = rb"A-Za-z0-9\-._~"
SUB_DELIMS = rb"!$&'()*+,;="
REG_NAME = rb"(?:[" + UNRESERVED + SUB_DELIMS + rb"]|%[0-9A-Fa-f]{2})*"
IP_LITERAL = rb"\[(?:[0-9A-Fa-f:.]+|v[0-9A-Fa-f]+\.[" + UNRESERVED + SUB_DELIMS + rb":]+)\]"
HOST = rb"(?:" + IP_LITERAL + rb"|" + REG_NAME + rb")(?::[0-9]*)?"

token_re = re.compile(TOKEN)
field_value_re = re.compile(FIELD_VALUE)
field_line_re = re.compile(FIELD_LINE)
# Fast path for a whole header block without obs-fold: every line a field line, LF or CRLF ended.
field_block_re = re.compile(rb"(?:" + FIELD_LINE + rb"\r?\n)*")
field_pairs_re = re.compile(FIELD_LINE + rb"\r?\n")
request_line_re = re.compile(REQUEST_LINE)
status_line_re = re.compile(STATUS_LINE)
request_target_re = re.compile(REQUEST_TARGET)
reason_phrase_re = re.compile(REASON_PHRASE)
content_length_re = re.compile(CONTENT_LENGTH)
chunk_header_re = re.compile(CHUNK_HEADER)
h11_chunk_header_re = re.compile(H11_CHUNK_HEADER)
bws_before_chunk_ext_re = re.compile(BWS_BEFORE_CHUNK_EXT)
host_re = re.compile(HOST)
# The end of a head (or trailer section): a line end followed by an empty line, LF or CRLF style.
blank_line_re = re.compile(rb"\n\r?\n")
