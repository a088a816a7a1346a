"""Header lists: the ``Headers`` sequence, bytesifying, validation and the framing-field rules.

Theory of operation: a header list is stored once as ``(raw_name, lowercase_name, value)`` triples;
``Headers`` shows the ``(lowercase_name, value)`` view as a read-only sequence and the raw casing
through ``raw_items()`` (what the writer puts on the wire). User-supplied headers go through
``check_fields`` (as_bytes, grammar, lowercase, Content-Length / Transfer-Encoding rules);
headers the reader parsed are already grammatical, so the reader builds the triples itself and only
the framing-field rules run (``apply_framing_rules``). Comma-list helpers (``field_tokens``,
``replace_field``) serve keep-alive, Expect, Upgrade and the automatic response headers.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import Any, SupportsIndex, overload

from conformance.reference.abnf import content_length_re, field_value_re, token_re
from conformance.reference.differences import h11_rule
from conformance.reference.errors import LocalProtocolError
from conformance.reference.rejections import reject

__all__ = [
    "Headers",
    "as_bytes",
    "check_fields",
    "field_tokens",
    "replace_field",
]

Triple = tuple[bytes, bytes, bytes]

_CONTENT_LENGTH = b"content-length"
_TRANSFER_ENCODING = b"transfer-encoding"
_FRAMING = frozenset((_CONTENT_LENGTH, _TRANSFER_ENCODING))


def as_bytes(value: Any) -> bytes:
    """Coerce a user-supplied protocol element to ``bytes``.

    Returns:
        ``bytes`` unchanged; ``str`` ASCII-encoded; ``bytearray`` / ``memoryview`` copied to bytes.

    Raises:
        UnicodeEncodeError: a ``str`` with non-ASCII characters (h11 behaviour, not an LPE).
        TypeError: an ``int`` (``bytes(5)`` would silently be five NULs) or anything not bytes-like.
    """
    if type(value) is bytes:
        return value
    if isinstance(value, str):
        return value.encode("ascii")
    if isinstance(value, int):
        raise TypeError("an int is not bytes: pass bytes, bytearray, memoryview or an ASCII str")
    return bytes(value)


class Headers(Sequence[tuple[bytes, bytes]]):
    """A normalized header list: a sequence of ``(lowercase_name, value)`` pairs.

    ``raw_items()`` gives ``(name_as_sent, value)``. Equality compares the lowercase view and also
    holds against a plain list of pairs. Like h11's, slicing is not supported.
    """

    __slots__ = ("_full_items",)

    def __init__(self, full_items: list[Triple]) -> None:
        self._full_items = full_items

    def __bool__(self) -> bool:
        return bool(self._full_items)

    def __eq__(self, other: object) -> bool:
        # A non-iterable ``other`` raises TypeError, as in h11.
        result: bool = list(self) == list(other)  # type: ignore[call-overload]
        return result

    __hash__ = None  # type: ignore[assignment]

    def __len__(self) -> int:
        return len(self._full_items)

    def __repr__(self) -> str:
        return f"<Headers({list(self)!r})>"

    @overload
    def __getitem__(self, idx: SupportsIndex) -> tuple[bytes, bytes]: ...

    @overload
    def __getitem__(self, idx: slice) -> Sequence[tuple[bytes, bytes]]: ...

    def __getitem__(self, idx: Any) -> Any:
        # A slice yields a list of triples, which does not unpack into three: ValueError, as h11.
        _, name, value = self._full_items[idx]
        return (name, value)

    def __iter__(self) -> Iterator[tuple[bytes, bytes]]:
        for _, name, value in self._full_items:
            yield (name, value)

    def raw_items(self) -> list[tuple[bytes, bytes]]:
        """The pairs with each name as the caller or peer spelled it."""
        return [(raw, value) for raw, _, value in self._full_items]


def _content_length_value(value: bytes, long_numerals: bool = False) -> bytes:
    # RFC 9110 §8.6: a recipient MAY collapse an identical comma list ("5, 5") to one value; any
    # other list is invalid framing (RFC 9112 §6.3).
    if b"," in value:
        pieces = {piece.strip() for piece in value.split(b",")}
        if len(pieces) > 1:
            raise reject("content-length", "conflicting Content-Length headers", local=True)
        value = pieces.pop()
    # choices: long-numeral ("value": leading zeros do not count towards the 20-digit limit).
    digits = (value.lstrip(b"0") or b"0") if long_numerals and value.isdigit() else value
    if not content_length_re.fullmatch(digits):
        raise reject("content-length", "bad Content-Length", local=True)
    return value


def _final_coding(value: bytes) -> bytes:
    # The last element of a (combined) Transfer-Encoding list, as h11 would read it.
    return value.rsplit(b",", 1)[-1].strip().lower()


class _FramingRules:
    """The Content-Length / Transfer-Encoding rules, applied one field at a time, in order.

    Order matters for which error wins: h11 checks each pair completely (grammar, then these rules)
    before looking at the next one. The *hint* of a Transfer-Encoding error, though, depends on the
    whole field, so the caller works it out first (``apply_framing_rules``) and passes it in.
    """

    __slots__ = ("long_numerals", "seen_cl", "seen_te", "te_final_chunked", "te_hint")

    def __init__(self, te_hint: int, long_numerals: bool = False, te_final_chunked: bool = False) -> None:
        self.te_hint = te_hint
        self.long_numerals = long_numerals  # choices: long-numeral
        self.te_final_chunked = te_final_chunked  # choices: te-final-chunked-response
        self.seen_cl: bytes | None = None
        self.seen_te = False

    def take(self, item: Triple) -> Triple | None:
        """The triple to keep for this framing field (``None``: a repeated equal Content-Length)."""
        name = item[1]
        if name == _CONTENT_LENGTH:
            value = _content_length_value(item[2], self.long_numerals)
            if self.seen_cl is not None:
                if value != self.seen_cl:
                    raise reject("content-length", "conflicting Content-Length headers", local=True)
                return None
            self.seen_cl = value
            return (item[0], name, value)
        if self.te_final_chunked:  # the reader checked the final coding is chunked
            return (item[0], name, item[2].lower())
        if self.seen_te:
            raise reject("transfer-encoding", "multiple Transfer-Encoding headers", self.te_hint, local=True)
        value = item[2].lower()
        if value != b"chunked":
            raise reject(
                "transfer-encoding", "Only Transfer-Encoding: chunked is supported", self.te_hint, local=True
            )
        self.seen_te = True
        return (item[0], name, value)


def apply_framing_rules(
    items: list[Triple],
    not_final_hint: int = 501,
    *,
    long_numerals: bool = False,
    te_final_chunked: bool = False,
) -> list[Triple]:
    """Collapse Content-Length and check Transfer-Encoding on an otherwise valid triple list.

    Returns:
        The triples to keep: a repeated equal Content-Length is dropped, Transfer-Encoding lowercased.

    Raises:
        LocalProtocolError: conflicting or bad Content-Length (400); a Transfer-Encoding other than
            one ``chunked``, whether one line or several (501, or ``not_final_hint`` when chunked is
            not the final coding of the combined field value).
    """
    te_hint = 501
    if not_final_hint != 501:
        # differences: te-chunked-not-final: the final coding of the combined list (RFC 9110 §5.3:
        # the field lines joined with commas, so the last line's last coding) decides; "chunked"
        # then "gzip" on two lines is the same 400 as "chunked, gzip" on one (RFC 9112 §6.3).
        te_values = [item[2] for item in items if item[1] == _TRANSFER_ENCODING]
        if te_values and _final_coding(te_values[-1]) != b"chunked":
            # h11 mode: 501 for every unsupported coding, as for responses.
            te_hint = 501 if h11_rule("te-chunked-not-final") else not_final_hint
    rules = _FramingRules(te_hint, long_numerals, te_final_chunked)
    out: list[Triple] = []
    for item in items:
        if item[1] in _FRAMING:
            kept = rules.take(item)
            if kept is not None:
                out.append(kept)
        else:
            out.append(item)
    return out


def check_fields(headers: Iterable[Any]) -> Headers:
    """Validate and normalize user-supplied headers (any iterable of 2-item pairs).

    Returns:
        A ``Headers``; an existing ``Headers`` is returned as is (it is already normalized).

    Raises:
        LocalProtocolError: an illegal name or value, or a framing-field rule (``apply_framing_rules``),
            whichever pair comes first.
        TypeError, UnicodeEncodeError, ValueError: a pair that is not two bytes-like items.
    """
    if type(headers) is Headers:
        return headers
    items: list[Triple] = []
    rules: _FramingRules | None = None
    for raw_name, raw_value in headers:
        name = as_bytes(raw_name)
        value = as_bytes(raw_value)
        if not token_re.fullmatch(name):
            raise LocalProtocolError(f"Illegal header name {name!r}")
        if not field_value_re.fullmatch(value):
            raise LocalProtocolError(f"Illegal header value {value!r}")
        lower = name.lower()
        if lower in _FRAMING:
            if rules is None:
                rules = _FramingRules(501)
            kept = rules.take((name, lower, value))
            if kept is not None:
                items.append(kept)
        else:
            items.append((name, lower, value))
    return Headers(items)


def field_tokens(headers: Headers, name: bytes) -> list[bytes]:
    """Every non-empty, stripped, lowercased element of the comma lists in the ``name`` fields.

    Returns:
        The elements in order (``name`` must be lowercase).
    """
    out: list[bytes] = []
    for _, found, value in headers._full_items:
        if found == name:
            for piece in value.lower().split(b","):
                piece = piece.strip()
                if piece:
                    out.append(piece)
    return out


def has_comma_element(headers: Headers, name: bytes) -> bool:
    """Whether the ``name`` fields (lowercase) hold at least one non-empty comma-list element."""
    for _, found, value in headers._full_items:
        if found == name and any(piece.strip() for piece in value.split(b",")):
            return True
    return False


def replace_field(headers: Headers, name: bytes, values: Sequence[bytes]) -> Headers:
    """A copy of ``headers`` with every ``name`` field removed and one field per value appended.

    Returns:
        New ``Headers``; appended names are title-cased (``Transfer-Encoding``), as h11 writes them.
    """
    items = [item for item in headers._full_items if item[1] != name]
    raw = name.title()
    for value in values:
        items.append((raw, name, value))
    return Headers(items)
