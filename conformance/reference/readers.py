"""Turning received bytes into events: the receive buffer and one reader per (role, state).

Theory of operation: ``InBuffer`` is a ``bytearray`` consumed from the front (CPython makes that
amortised O(1)) that remembers where its search for the end of a head stopped, so feeding a head in
many small pieces never rescans from the start. A *reader* is a callable taking the buffer and
returning an event, or ``None`` for "need more data". ``READERS`` maps the peer's ``(role, state)`` to
its reader (``CONNECT_READERS`` after a CONNECT request, whose 2xx answer's framing fields are
ignored); in SEND_BODY the reader is a body reader chosen by the message framing
(``BODY_READERS``), and a body reader's ``read_eof`` says what a clean EOF means for it. A head is
parsed whole: find the blank line, match the start line, then check the whole field block with one
regex and pull the (name, value) pairs with a second (abnf.py); only a block with obs-fold or a bad
line goes line by line, which is also where the precise error message comes from. Events are built
through their fast constructors.

Size limit (differences: size-limit-split-invariant, RFC 9110 §5.4): a head, a chunk-size line or a
trailer section longer than the buffer's ``limit`` (the connection's max_incomplete_event_size) is
refused with 431 whether it arrived whole or in pieces; ``Connection.next_event`` refuses an
*incomplete* one once the buffer outgrows the limit. An incomplete event is a strict prefix of the
complete one, so the two checks agree on every split: the outcome depends on the size, not on the
arrival.

Readers raise ``RemoteProtocolError`` directly; the few ``LocalProtocolError`` s from shared
validation code are converted by ``Connection.next_event``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

from conformance.reference.abnf import (
    blank_line_re,
    bws_before_chunk_ext_re,
    chunk_header_re,
    field_block_re,
    field_line_re,
    field_pairs_re,
    h11_chunk_header_re,
    request_line_re,
    status_line_re,
)
from conformance.reference.choices import DEFAULTS
from conformance.reference.differences import h11_rule
from conformance.reference.errors import ProtocolError
from conformance.reference.events import (
    Data,
    EndOfMessage,
    Event,
    InformationalResponse,
    Request,
    Response,
)
from conformance.reference.headers import Headers, Triple, apply_framing_rules
from conformance.reference.rejections import field_line_rule, reject, start_line_rule
from conformance.reference.sentinels import (
    CLIENT,
    CLOSED,
    DONE,
    IDLE,
    MUST_CLOSE,
    SEND_RESPONSE,
    SERVER,
    Sentinel,
)

__all__ = ["BODY_READERS", "CONNECT_READERS", "READERS", "InBuffer", "too_long"]

_set = object.__setattr__
_BARE_CR = re.compile(rb"\r(?!\n)")
_FRAMING = frozenset((b"content-length", b"transfer-encoding"))
# choices: ctl-in-field-value: the CTLs a received field value may keep (NUL, CR, LF, VT, FF never do).
_FIELD_CTL = re.compile(rb"[\x01-\x08\x0e-\x1f\x7f]")
# choices: start-line-whitespace (RFC 9112 §3, §4): the whitespace a recipient MAY split a start-line on.
_START_WS = b" \t\x0b\x0c"
_START_WS_RUN = re.compile(rb"[ \t\x0b\x0c]+")
# choices: long-numeral: a numeral past the 20-digit limit whose value fits it (leading zeros only).
_LONG_DECIMAL = re.compile(rb"0+[0-9]{1,20}")
_HEX_DIGITS = re.compile(rb"[0-9A-Fa-f]*")
_STATUS_WORDS = re.compile(
    rb"[ \t\x0b\x0c]*([^ \t\x0b\x0c]+)[ \t\x0b\x0c]+([^ \t\x0b\x0c]+)(?:[ \t\x0b\x0c]+(.*))?", re.S
)


def too_long() -> ProtocolError:
    """The error for an event larger than max_incomplete_event_size (h11's message and hint)."""
    return reject("size-limit", "Receive buffer too long", 431)


class InBuffer:
    """Bytes received and not yet parsed; consumed from the front."""

    __slots__ = ("choices", "data", "limit", "reached", "search_from", "touched")

    def __init__(
        self,
        limit: int = 16 * 1024,
        choices: Mapping[str, Any] = DEFAULTS,
        touched: set[str] | None = None,
        reached: dict[str, int] | None = None,
    ) -> None:
        self.data = bytearray()
        # The alternative taken at each choice point (choices.py) and the points the input reached.
        self.choices = choices
        self.touched: set[str] = set() if touched is None else touched
        self.reached: dict[str, int] = {} if reached is None else reached  # times each point was reached
        # The longest head, chunk-size line or trailer section accepted, line ends included.
        self.limit = limit
        # Where the next search for a line end / blank line starts (0 after every consumption).
        self.search_from = 0

    def __len__(self) -> int:
        return len(self.data)

    def __bool__(self) -> bool:
        return bool(self.data)

    def __iadd__(self, more: Any) -> InBuffer:
        self.data += more
        return self

    def take(self, choice_id: str, *, tentative: bool = False) -> str:
        """Note that the input reached choice point ``choice_id``; the alternative in force there.

        An assignment may give a sequence of alternatives, one per time the point is reached (the
        last repeats): how the oracle models taking different alternatives within one connection.
        A ``tentative`` look (incomplete input that may reach the point) does not count as a time.
        """
        self.touched.add(choice_id)
        count = self.reached.get(choice_id, 0)
        if not tentative:
            self.reached[choice_id] = count + 1
        alternative = self.choices[choice_id]
        if type(alternative) is tuple:
            alternative = alternative[min(count, len(alternative) - 1)]
        return str(alternative)

    def _bare_lf(self) -> None:
        # choices: bare-lf (RFC 9112 §2.2 MAY recognize a single LF as a line terminator).
        if self.take("bare-lf") == "reject":
            raise reject("bare-lf", "bare LF line terminator")

    def _line_ends(self, head: bytes, blank: int) -> bytes:
        """``head`` after the bare-LF and bare-CR choice points (``blank``: length of the blank line)."""
        crlf = head.count(b"\r\n")
        if blank == 1 or head.count(b"\n") != crlf:
            self._bare_lf()
        # choices: bare-cr (RFC 9112 §2.2): the grammar rejects every bare CR unless replaced.
        if head.count(b"\r") != crlf and self.take("bare-cr") == "replace":
            head = _BARE_CR.sub(b" ", head)
        return head

    def extract_at_most(self, count: int) -> bytearray | None:
        """Up to ``count`` bytes from the front, or ``None`` if the buffer is empty."""
        data = self.data
        if not data:
            return None
        if len(data) <= count:
            self.data = bytearray()
            self.search_from = 0
            return data
        out = data[:count]
        del data[:count]
        self.search_from = 0
        return out

    def maybe_extract_head(self, start_line: bool = False) -> bytes | None:
        """A complete head (or trailer section): every line with its line end, blank line dropped.

        Returns:
            ``None`` while no blank line has arrived; ``b""`` when the buffer starts with one; else
            the lines up to and including the last line's LF (LF or CRLF line ends).

        Raises:
            RemoteProtocolError: the head, blank line included, is longer than ``limit`` (431); for
                a head with a ``start_line`` whose first byte is illegal, the 400 an incomplete
                head gets (``first_byte_is_illegal``), so that every split agrees.
        """
        data = self.data
        first = data[:1]
        if first == b"\n":
            self._bare_lf()
            del data[:1]
            self.search_from = 0
            return b""
        if first == b"\r" and data[1:2] == b"\n":
            del data[:2]
            self.search_from = 0
            return b""
        match = blank_line_re.search(data, self.search_from)
        if match is None:
            self.search_from = max(0, len(data) - 2)
            return None
        # differences: size-limit-split-invariant (a complete head counts, as an incomplete one; in
        # h11 mode only the connection's check of what is still incomplete applies).
        if match.end() > self.limit and not h11_rule("size-limit-split-invariant"):
            if start_line and data[0] < 0x21:
                raise reject("grammar-request-line", "illegal request line")
            raise too_long()
        head = bytes(data[: match.start() + 1])
        del data[: match.end()]
        self.search_from = 0
        return self._line_ends(head, match.end() - match.start() - 1)

    def maybe_extract_crlf_line(self) -> bytes | None:
        """One line up to and including CRLF (a bare LF does not end it), or ``None``.

        Raises:
            RemoteProtocolError: the line, CRLF included, is longer than ``limit`` (431).
        """
        data = self.data
        end = data.find(b"\r\n", self.search_from)
        if end < 0:
            self.search_from = max(0, len(data) - 1)
            return None
        # differences: size-limit-split-invariant (checked before the grammar, as in pieces).
        if end + 2 > self.limit and not h11_rule("size-limit-split-invariant"):
            raise too_long()
        line = bytes(data[: end + 2])
        del data[: end + 2]
        self.search_from = 0
        return line

    def first_byte_is_illegal(self) -> bool:
        """Whether an incomplete head already starts with a byte no start line can start with.

        A CTL, SP or NUL first byte (a TLS record, binary garbage) fails at once instead of waiting
        for a blank line that may never come.
        """
        data = self.data
        return bool(data) and data[0] < 0x21


def _split_lines(block: bytes) -> list[bytes]:
    # Each line ends in LF; one CR before it is part of the line end (h11: LF or CRLF).
    return [line[:-1] if line[-1:] == b"\r" else line for line in block.split(b"\n")[:-1]]


def _parse_fields(
    block: bytes,
    buf: InBuffer,
    *,
    not_final_hint: int = 501,
    request: bool = False,
    trailer: bool = False,
    framing: bool = True,
) -> Headers:
    """The field lines of ``block`` (each ending in LF) as a normalized ``Headers``.

    ``request`` marks a request's header section (the obs-fold and cl-te-request choice points),
    ``trailer`` a trailer section (no start-line before it); without ``framing`` the Content-Length and
    Transfer-Encoding fields are kept as received, unchecked (a 2xx answer to CONNECT).

    The common case (no obs-fold, every line well-formed) is two regex calls over the whole block;
    anything else takes the line-by-line path, which also produces the precise error.

    Raises:
        RemoteProtocolError: a continuation at the start, or a line that is not a field line.
        LocalProtocolError: a Content-Length / Transfer-Encoding rule (converted by next_event).
    """
    if field_block_re.fullmatch(block):
        items = [(name, name.lower(), value) for name, value in field_pairs_re.findall(block)]
    else:
        items = _parse_field_lines(_split_lines(block), buf, request=request, trailer=trailer)
    # choices: ctl-in-field-value (RFC 9110 §5.5: recipients MAY retain other CTLs).
    if _FIELD_CTL.search(block) and buf.take("ctl-in-field-value") == "reject":
        raise reject("ctl-in-field-value", "control character in a field value")
    if framing and not _FRAMING.isdisjoint([item[1] for item in items]):
        # differences: te-in-http10 is checked by the head readers, which know the version.
        lengths = [item[2] for item in items if item[1] == b"content-length"]
        long_ok = _long_numerals(buf, lengths)
        te_any = not request and not trailer and _te_final_chunked(buf, items)
        items = apply_framing_rules(items, not_final_hint, long_numerals=long_ok, te_final_chunked=te_any)
        repeated = len(lengths) > 1 or (lengths and b"," in lengths[0])
        # choices: cl-identical-list (RFC 9110 §8.6 MAY reject an identical list).
        if repeated and buf.take("cl-identical-list") == "reject":
            raise reject("cl-identical-list", "repeated Content-Length value")
        both = request and not trailer and lengths and any(item[1] == b"transfer-encoding" for item in items)
        # choices: cl-te-request (RFC 9112 §6.1 MAY reject a request with both).
        if both and buf.take("cl-te-request") == "reject":
            raise reject("cl-te-request", "both Content-Length and Transfer-Encoding in a request")
    return Headers(items)


def _long_numerals(buf: InBuffer, lengths: list[bytes]) -> bool:
    """Whether a Content-Length numeral past 20 digits is read by its value (choices: long-numeral)."""
    long = any(
        len(piece) > 20 and _LONG_DECIMAL.fullmatch(piece)
        for value in lengths
        for piece in (p.strip(b" \t") for p in value.split(b","))
    )
    return bool(long) and buf.take("long-numeral") == "value"


def _te_final_chunked(buf: InBuffer, items: list[Triple]) -> bool:
    """Whether a response's Transfer-Encoding other than one "chunked" is kept as listed: framed by a final
    chunked coding (choices: te-final-chunked-response, RFC 9112 §6.3 rule 4), or read until close when
    chunked is not final (choices: te-not-chunked-response, rule 5); ``_framing`` then reads which."""
    values = [item[2] for item in items if item[1] == b"transfer-encoding"]
    if not values:
        return False
    codings = [c.strip().lower() for v in values for c in v.split(b",")]
    if codings == [b"chunked"] or not all(codings):
        return False
    if codings[-1] != b"chunked":
        return buf.take("te-not-chunked-response") == "close-delimited"
    return buf.take("te-final-chunked-response") == "frame"


def _unfold(buf: InBuffer, line: bytes, more: bytes, request: bool) -> bytes:
    """``line`` joined with the whitespace-led line ``more`` after it: one obs-fold replaced (RFC 9112 §5.2).

    choices: obs-fold (a server MUST reject or replace with one or more SP; a user agent MUST replace).
    """
    if request and buf.take("obs-fold") == "reject":
        raise reject("obs-fold", "obs-fold in a request header section")
    rest = more.lstrip(b" \t")
    base = line.rstrip(b" \t")
    # The fold is OWS CRLF RWS: the OWS at the end of ``line``, the RWS at the start of ``more``. The two
    # widths agree when the OWS is all SP and the RWS one octet: only other folds reach obs-fold-width.
    ows, rws = line[len(base) :], len(more) - len(rest)
    if (ows.strip(b" ") or rws > 1) and buf.take("obs-fold-width") == "keep-width":
        return base + b" " * (len(ows) + rws) + rest
    return line + b" " + rest


def _parse_field_lines(lines: list[bytes], buf: InBuffer, *, request: bool, trailer: bool) -> list[Triple]:
    items: list[Triple] = []
    count = len(lines)
    i = 0
    fullmatch = field_line_re.fullmatch
    # choices: whitespace-after-start-line (RFC 9112 §2.2: reject, or consume those lines).
    leading = count and lines[0][:1] in (b" ", b"\t") and not trailer
    if leading and buf.take("whitespace-after-start-line") == "consume":
        while i < count and lines[i][:1] in (b" ", b"\t"):
            i += 1
    while i < count:
        line = lines[i]
        i += 1
        if line[:1] in (b" ", b"\t"):
            rule = "grammar-field-line" if trailer else "whitespace-after-start-line"
            raise reject(rule, "continuation line at start of headers")
        # RFC 9112 §5.2 obs-fold: the recipient replaces each fold with SP (h11: one SP) or rejects.
        while i < count and lines[i][:1] in (b" ", b"\t"):
            line = _unfold(buf, line, lines[i], request)
            i += 1
        match = fullmatch(line)
        if match is None:
            raise reject(field_line_rule(line), f"illegal header line: {bytearray(line)!r}")
        name, value = match.group("name", "value")
        items.append((name, name.lower(), value))
    return items


def _start_line(head: bytes) -> tuple[bytes, bytes]:
    end = head.find(b"\n")
    line = head[:end]
    if line[-1:] == b"\r":
        line = line[:-1]
    return line, head[end + 1 :]


def _take_head(buf: InBuffer, missing: str, *, request: bool = False) -> tuple[bytes, bytes] | None:
    """The start line and field block of a complete head, or None while it is incomplete.

    Both roles fail an incomplete head at once when its first byte is below 0x21 (TLS records, NUL),
    with the same "illegal request line" message on the client side too, as h11.
    """
    head = buf.maybe_extract_head(True)
    # choices: leading-empty-lines (RFC 9112 §2.2: a server SHOULD ignore empty lines before a request).
    while request and head == b"" and buf.take("leading-empty-lines") == "ignore":
        head = buf.maybe_extract_head(True)
    if head is None:
        if request and buf.data == b"\r" and buf.take("leading-empty-lines", tentative=True) == "ignore":
            return None  # maybe the first half of an empty line to ignore
        if (
            buf.data[:1]
            and buf.data[0] in _START_WS
            and buf.take("start-line-whitespace", tentative=True) == "words"
        ):
            return None  # whitespace before the start-line's first word: ignored under "words"
        if buf.first_byte_is_illegal():
            raise reject("grammar-request-line" if request else "grammar-status-line", "illegal request line")
        return None
    if not head:
        # choices: leading-empty-lines took "reject" (a request); before a status-line it is grammar.
        raise reject("leading-empty-lines" if request else "grammar-empty-head", missing)
    return _start_line(head)


def _chunk_header(line: bytes) -> re.Match[bytes] | None:
    """The chunk-size line's match: chunk-ext's grammar, or h11's (differences: chunk-ext-bare-cr,
    chunk-ext-bws) for the differences switched to h11 mode (asked only for a line with an extension
    or one the grammar refuses, so a plain size line costs one match)."""
    match = chunk_header_re.fullmatch(line)
    if match is None and h11_rule("chunk-ext-bare-cr"):
        match = h11_chunk_header_re.fullmatch(line)
    if (
        match is not None
        and b";" in line
        and h11_rule("chunk-ext-bws")
        and bws_before_chunk_ext_re.match(line)
    ):
        return None
    return match


def _long_chunk_size(buf: InBuffer, line: bytes) -> re.Match[bytes] | None:
    """The chunk-size line's match with the leading zeros of a size past 20 hex digits dropped, when its
    value fits and the long-numeral choice point takes "value"; else None."""
    digits = _HEX_DIGITS.match(line)
    size = digits.group() if digits is not None else b""
    zeros = len(size) - len(size.lstrip(b"0"))
    if len(size) <= 20 or len(size) - zeros > 20:
        return None
    if buf.take("long-numeral") != "value":
        return None
    return _chunk_header(line[min(zeros, len(size) - 1) :])


def _has_transfer_encoding(headers: Headers) -> bool:
    return any(item[1] == b"transfer-encoding" for item in headers._full_items)


def _start_line_words(buf: InBuffer, line: bytes, status: bool) -> bytes | None:
    """``line`` with its elements split on whitespace runs and joined by one SP, when it is in that form
    only after such splitting and the start-line-whitespace choice point takes "words"; else None."""
    if status:
        found = _STATUS_WORDS.fullmatch(line)
        if found is None:
            return None
        version, code, reason = found.groups()
        normal = version + b" " + code + (b"" if reason is None else b" " + reason)
        well_formed = status_line_re.fullmatch(normal) is not None
    else:
        words = _START_WS_RUN.split(line.strip(_START_WS))
        normal = b" ".join(words)
        well_formed = len(words) == 3 and request_line_re.fullmatch(normal) is not None
    if normal == line or not well_formed:
        return None
    # choices: start-line-whitespace (RFC 9112 §3, §4 MAY parse on whitespace-delimited word boundaries).
    return normal if buf.take("start-line-whitespace") == "words" else None


def _check_http10_framing(headers: Headers, http_version: bytes) -> None:
    # differences: te-in-http10 (RFC 9112 §6.1): an HTTP/1.0 message with Transfer-Encoding has
    # faulty framing.
    if http_version < b"1.1" and _has_transfer_encoding(headers) and not h11_rule("te-in-http10"):
        raise reject("te-in-http10", "Transfer-Encoding in an HTTP/1.0 message (faulty framing)")


def read_request_head(buf: InBuffer) -> Request | None:
    """The server's reader while the client is IDLE."""
    taken = _take_head(buf, "no request line received", request=True)
    if taken is None:
        return None
    line, block = taken
    match = request_line_re.fullmatch(line)
    if match is None:
        normal = _start_line_words(buf, line, status=False)
        match = None if normal is None else request_line_re.fullmatch(normal)
    if match is None:
        raise reject(
            start_line_rule(line, "grammar-request-line"), f"illegal request line: {bytearray(line)!r}"
        )
    method, target, http_version = match.group("method", "target", "http_version")
    # differences: te-chunked-not-final: RFC 9112 §6.3 says a server MUST answer 400 (not 501) to
    # a request whose last transfer coding is not chunked.
    headers = _parse_fields(block, buf, not_final_hint=400, request=True)
    if http_version != b"1.1":
        if http_version[:1] != b"1" and buf.take("other-major-version") == "reject":
            # choices: other-major-version (RFC 9110 §15.6.6: 505 refuses a major version).
            raise reject("other-major-version", "unsupported HTTP major version", 505)
        _check_http10_framing(headers, http_version)
    return Request._from_parser(method, headers, target, http_version)


def read_response_head(buf: InBuffer, connect: bool = False) -> Response | InformationalResponse | None:
    """The client's reader while the server is IDLE or SEND_RESPONSE (``connect``: it answers CONNECT)."""
    taken = _take_head(buf, "no response line received")
    if taken is None:
        return None
    line, block = taken
    match = status_line_re.fullmatch(line)
    if match is None:
        normal = _start_line_words(buf, line, status=True)
        match = None if normal is None else status_line_re.fullmatch(normal)
    if match is None:
        raise reject(
            start_line_rule(line, "grammar-status-line"), f"illegal status line: {bytearray(line)!r}"
        )
    http_version, code, reason = match.group("http_version", "status_code", "reason")
    status_code = int(code)
    # differences: connect-2xx-framing-ignored (RFC 9112 §6.3 rule 2): a 2xx to CONNECT is a tunnel after
    # its head, and the client MUST ignore its Content-Length and Transfer-Encoding, values included.
    tunnel = connect and 200 <= status_code < 300 and not h11_rule("connect-2xx-framing-ignored")
    headers = _parse_fields(block, buf, framing=not tunnel)
    if http_version != b"1.1":
        if http_version[:1] != b"1" and buf.take("other-major-version") == "reject":
            # choices: other-major-version (a client need not read another major version as HTTP/1.1).
            raise reject("other-major-version", "unsupported HTTP major version")
        if not tunnel:
            _check_http10_framing(headers, http_version)
    # choices: framing-on-bodyless-response (the sender broke a MUST; the length is 0 anyway).
    bodyless = status_code < 200 or status_code == 204
    if (
        bodyless
        and not _FRAMING.isdisjoint([item[1] for item in headers._full_items])
        and buf.take("framing-on-bodyless-response") == "reject"
    ):
        raise reject(
            "framing-on-bodyless-response", "Content-Length or Transfer-Encoding on a 1xx or 204 response"
        )
    if status_code < 200:
        # 000-099 fail the range check with the constructor's own message.
        return InformationalResponse(
            headers=headers,
            status_code=status_code,
            http_version=http_version,
            reason=reason or b"",
            _parsed=status_code >= 100,
        )
    response: Response = object.__new__(Response)
    _set(response, "headers", headers)
    _set(response, "http_version", http_version)
    _set(response, "reason", reason or b"")
    _set(response, "status_code", status_code)
    return response


def read_connect_response_head(buf: InBuffer) -> Response | InformationalResponse | None:
    """The client's reader while the server answers a CONNECT request (``CONNECT_READERS``)."""
    return read_response_head(buf, True)


def read_after_done(buf: InBuffer) -> None:
    """The reader once the peer's message is over: any byte is an error."""
    if buf:
        raise reject("data-after-close", "Got data when expecting EOF")


class LengthBodyReader:
    """A body of exactly ``length`` bytes (RFC 9112 §6.3 rule 6)."""

    __slots__ = ("_length", "_remaining")

    def __init__(self, length: int) -> None:
        self._length = length
        self._remaining = length

    def __call__(self, buf: InBuffer) -> Event | None:
        if self._remaining == 0:
            return EndOfMessage()
        data = buf.extract_at_most(self._remaining)
        if data is None:
            return None
        self._remaining -= len(data)
        return Data(data)

    def read_eof(self) -> Event:
        """EOF before the declared length: an error."""
        raise reject(
            "incomplete-message",
            "peer closed connection without sending complete message body "
            f"(received {self._length - self._remaining} bytes, expected {self._length})",
        )


class ChunkBodyReader:
    """The chunked transfer coding (RFC 9112 §7.1), trailers included."""

    __slots__ = ("_bytes_in_chunk", "_chunk_start", "_footer_left", "_reading_trailer", "request")

    def __init__(self) -> None:
        self.request = False  # a request's body (its trailer section reaches the obs-fold choice point)
        self._bytes_in_chunk = 0
        self._chunk_start = False  # the next Data begins a chunk (its size line is read, no data yet)
        self._footer_left = b""  # the part of the CRLF after chunk-data still to be read
        self._reading_trailer = False

    def __call__(self, buf: InBuffer) -> Event | None:
        if self._reading_trailer:
            return self._read_trailer(buf)
        want = self._footer_left
        if want:
            # The CRLF that ends chunk-data: exactly CRLF (a bare LF is not accepted, as h11: RFC 9112 §2.2
            # lets a recipient recognise a bare LF only in "the start-line and fields", so the bare-lf
            # choice point does not reach chunk-data, and a lax chunk terminator is a smuggling risk). It is
            # consumed as it arrives, byte by byte if need be, and bad bytes are consumed too (h11
            # behaviour, visible in trailing_data and in what EOF means after a lone CR).
            got = bytes(buf.data[: len(want)])
            if got:
                del buf.data[: len(got)]
                buf.search_from = 0
            if got != want[: len(got)]:
                raise reject(
                    "chunked-framing", f"malformed chunk footer: {bytearray(got)!r} (expected {want!r})"
                )
            want = self._footer_left = want[len(got) :]
            if want:
                return None
        # The flags mark the wire's chunk boundaries whatever the split: a size line read alone leaves
        # chunk_start pending for the first data byte (h11 0.16 drops it; leniency h11-chunk-start-split).
        if self._bytes_in_chunk == 0:
            line = buf.maybe_extract_crlf_line()
            if line is None:
                return None
            match = _chunk_header(line)
            if match is None:
                match = _long_chunk_size(buf, line)
            if match is None:
                raise reject("chunked-framing", f"illegal chunk header: {bytearray(line)!r}")
            size = int(match.group("chunk_size"), 16)
            if size == 0:
                self._reading_trailer = True
                return self._read_trailer(buf)
            self._bytes_in_chunk = size
            self._chunk_start = True
        data = buf.extract_at_most(self._bytes_in_chunk)
        if data is None:
            return None
        chunk_start, self._chunk_start = self._chunk_start, False
        self._bytes_in_chunk -= len(data)
        chunk_end = self._bytes_in_chunk == 0
        if chunk_end:
            self._footer_left = b"\r\n"
        return Data(data, chunk_start, chunk_end)

    def _read_trailer(self, buf: InBuffer) -> Event | None:
        block = buf.maybe_extract_head()
        if block is None:
            return None
        headers = _parse_fields(block, buf, request=self.request, trailer=True)
        # choices: framing-in-trailer (RFC 9110 §6.5.1: a sender MUST NOT put framing fields in trailers).
        framing = any(item[1] in _FRAMING for item in headers._full_items)
        if framing and buf.take("framing-in-trailer") == "reject":
            raise reject("framing-in-trailer", "framing field in a trailer section")
        if headers and buf.take("trailer-fields") == "discard":
            # choices: trailer-fields (RFC 9112 §7.1.2 MAY retain or discard).
            headers = Headers([])
        return EndOfMessage(headers=headers, _parsed=True)

    def read_eof(self) -> Event:
        """EOF inside a chunked body: an error."""
        raise reject(
            "incomplete-message",
            "peer closed connection without sending complete message body (incomplete chunked read)",
        )


class UntilCloseReader:
    """A body delimited by the connection closing (RFC 9112 §6.3 rule 8)."""

    __slots__ = ()

    def __call__(self, buf: InBuffer) -> Event | None:
        data = buf.extract_at_most(len(buf.data))
        if data is None:
            return None
        return Data(data)

    def read_eof(self) -> Event:
        """EOF is the end of the message."""
        return EndOfMessage()


Reader = Callable[[InBuffer], Any]

READERS: dict[tuple[Sentinel, Sentinel], Reader] = {
    (CLIENT, IDLE): read_request_head,
    (SERVER, IDLE): read_response_head,
    (SERVER, SEND_RESPONSE): read_response_head,
    (CLIENT, DONE): read_after_done,
    (CLIENT, MUST_CLOSE): read_after_done,
    (CLIENT, CLOSED): read_after_done,
    (SERVER, DONE): read_after_done,
    (SERVER, MUST_CLOSE): read_after_done,
    (SERVER, CLOSED): read_after_done,
}

# After a CONNECT request: the same readers, but the response head is read knowing it answers CONNECT.
CONNECT_READERS: dict[tuple[Sentinel, Sentinel], Reader] = {
    **READERS,
    (SERVER, SEND_RESPONSE): read_connect_response_head,
}

BODY_READERS: dict[str, Callable[..., Reader]] = {
    "chunked": ChunkBodyReader,
    "content-length": LengthBodyReader,
    "http/1.0": UntilCloseReader,
}
