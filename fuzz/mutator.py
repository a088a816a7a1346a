"""A structure-aware libFuzzer mutator: HTTP/1.1 messages mutated token by token.

Theory of operation: libFuzzer's byte-level mutations rarely turn one valid message into another valid
but *dangerous* one (two different Content-Length lines, a chunk size written ``0x5``, a field name with
a space before the colon); the smuggling vectors of docs/vectors.md are all token-level edits of
ordinary messages. This mutator reads the input as lines (content plus line ending, lenient, nothing is
validated), classifies each line (start line, field line, chunk-size line, other), and applies one to
three operators from ``OPERATORS``: duplicate, drop or reorder field lines, add conflicting framing
headers, rewrite a numeral (Content-Length, chunk size, status, version) with signs, prefixes, leading
zeros, ``_`` or huge values, add chunk extensions, change line endings, insert a byte from the dangerous
sets, fold a field, obfuscate a name, pipeline a second message, re-frame the body, and grow a numeral or a
field to thousands of digits or bytes (``GROWN_DIGITS``, ``GROWN_BYTES``: past CPython's limit of 4300
digits for int() of a decimal string, and around the 16 KiB incomplete-event limit of h11 and the
reference), so that those limits are reachable from the seeds alone (``fuzz.entry`` lets inputs grow to
64 KiB). Part of the time (and
whenever no operator applies) it falls back to libFuzzer's own mutation (``atheris.Mutate``), which also
uses the dictionary ``fuzz/http.dict``.

Every choice comes from ``random.Random(seed)``, so the same (data, max_size, seed) gives the same output
(libFuzzer's contract for custom mutators) as long as the fallback is not taken; the output never
exceeds ``max_size``.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable

from conformance.vectors import DANGEROUS

Lines = list[list[bytes]]
"""The input as [content, line ending] pairs; the last pair may have an empty ending."""

Fallback = Callable[[bytes, int], bytes]

# ------------------------------------------------------------------------------------------------
# Token tables (docs/vectors.md rows in the comments)

EOLS = (b"\r\n", b"\n", b"\r", b"\r\r\n", b"\n\r", b" \r\n", b"\r\n ", b"\r\n\t")  # 33, 34, 40, 41, 46, 47
METHODS = (
    b"GET",
    b"HEAD",
    b"POST",
    b"PUT",
    b"CONNECT",
    b"OPTIONS",
    b"DELETE",
    b"get",
    b"G ET",
    b"GE\x00T",
)  # 50
VERSIONS = (  # 49
    b"HTTP/1.1",
    b"HTTP/1.0",
    b"HTTP/2.0",
    b"HTTP/0.9",
    b"http/1.1",
    b"HTTP/1.10",
    b"HTTP/1",
    b"HTTP/11",
    b"HTTP/1.1 ",
    b"HTTP /1.1",
)
STATUSES = (b"100", b"101", b"103", b"200", b"204", b"304", b"404", b"099", b"1000", b"20", b"2OO")  # 59
TE_VALUES = (  # 13-20
    b"chunked",
    b"CHUNKED",
    b"Chunked",
    b"chunked, chunked",
    b"gzip, chunked",
    b"chunked, gzip",
    b"identity",
    b"xchunked",
    b"chunkedchunked",
    b" chunked",
    b"chunked ",
    b"\tchunked",
    b"\x0bchunked",
    b"chunked\x00",
    b", chunked",
    b"chunked,",
    b"chunked;q=1",
    b'"chunked"',
    b"chunk\xc3\xa9d",
)
FRAMING_NAMES = (  # 19, 38
    b"Content-Length",
    b"content-length",
    b"CONTENT-LENGTH",
    b"Transfer-Encoding",
    b"transfer-encoding",
    b"Transfer_Encoding",
    b"Transfer-Encoding ",
    b" Transfer-Encoding",
    b"Content-Length\t",
    b"Transfer-Encodin",
)
CHUNK_EXTS = (  # 30, 31
    b";",
    b";a",
    b";a=b",
    b"; a=b",
    b" ;a=b",
    b";a = b",
    b';a="b c"',
    b';a="b',
    b";a=b;c=d",
    b";a=\r",
    b";\rX",
    b";\x00",
    b";a=\x7f",
    b";" + b"x" * 300,
)
# Small complete messages to pipeline after the input (55).
TEMPLATES = (
    b"GET /next HTTP/1.1\r\nHost: a\r\n\r\n",
    b"POST /next HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\n\r\nabc",
    b"POST /next HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n",
    b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok",
    b"HTTP/1.1 100 Continue\r\n\r\n",
    b"0\r\n\r\n",
    b"\r\n",
)

# Lengths a grown numeral or field takes: both sides of CPython's int() limit of 4300 decimal digits
# (sys.get_int_max_str_digits()), and of the 16 KiB (16384-byte) incomplete-event limit.
GROWN_DIGITS = (4300, 4301, 5000, 10000)
GROWN_BYTES = (16300, 16383, 16384, 16385, 20000, 40000)

_FIELD = re.compile(rb"^[!#$%&'*+\-.^_`|~0-9A-Za-z]+[ \t]*:")
_CHUNK_SIZE = re.compile(rb"^[0-9a-fA-F]{1,20}(?=[; \t]|$)")
_START = re.compile(rb"^(?:[A-Za-z]+ \S+ HTTP/|HTTP/\d\.\d \d)")
_DIGITS = re.compile(rb"[0-9]+")


def numeral_variants(value: bytes) -> list[bytes]:
    """Spellings of the number ``value`` that parsers read differently (docs/vectors.md rows 4-12, 26-28).

    Returns:
        The variants: signs, ``0x``, leading zeros, ``_``, huge values, lists, whitespace, empty, off by one.
    """
    digits = value.strip() or b"0"
    try:
        number = int(digits, 16 if _CHUNK_SIZE.fullmatch(digits) and not digits.isdigit() else 10)
    except ValueError:
        number = 5
    text = str(number).encode()
    return [
        b"+" + text,
        b"-" + text,
        b"-0",
        b"0x" + f"{number:x}".encode(),
        b"0X" + f"{number:X}".encode(),
        b"00" + text,
        b"0" * 20 + text,
        text[:1] + b"_" + text[1:] if len(text) > 1 else b"1_" + text,
        b"9" * 20,
        b"18446744073709551617",
        b"f" * 17,
        text + b", " + text,
        text + b", " + str(number + 1).encode(),
        text + b"," + text,
        b" " + text,
        text + b" ",
        text + b"\t",
        text[:1] + b" " + text[1:],
        b"",
        str(number + 1).encode(),
        str(max(number - 1, 0)).encode(),
        f"{number:X}".encode(),
        text + b"abc",
        b"1e3",
        "٣".encode(),
    ]


# ------------------------------------------------------------------------------------------------
# The line view


def to_lines(data: bytes) -> Lines:
    """``data`` as [content, ending] pairs, split at CRLF or LF (a bare CR stays inside a line)."""
    parts = re.split(rb"(\r\n|\n)", data)
    lines = [[parts[i], parts[i + 1]] for i in range(0, len(parts) - 1, 2)]
    if parts[-1] or not lines:
        lines.append([parts[-1], b""])
    return lines


def from_lines(lines: Lines) -> bytes:
    """Inverse of ``to_lines``."""
    return b"".join(content + eol for content, eol in lines)


def _where(lines: Lines, pattern: re.Pattern[bytes]) -> list[int]:
    return [i for i, (content, _) in enumerate(lines) if pattern.match(content)]


def _field_lines(lines: Lines) -> list[int]:
    return _where(lines, _FIELD)


def _chunk_lines(lines: Lines) -> list[int]:
    """Chunk-size lines: hex only, and not the start of the input (that is a start line)."""
    return [i for i in _where(lines, _CHUNK_SIZE) if i > 0 and not _FIELD.match(lines[i][0])]


def _insert_at(rng: random.Random, lines: Lines) -> int:
    """A position among the header lines of some message (after a start line), or 1."""
    fields = _field_lines(lines)
    if fields:
        return rng.choice(fields) + rng.randrange(2)
    starts = _where(lines, _START)
    return (rng.choice(starts) + 1) if starts else min(1, len(lines))


# ------------------------------------------------------------------------------------------------
# Operators: each edits ``lines`` in place and returns False when it does not apply


def op_duplicate_field(rng: random.Random, lines: Lines) -> bool:
    """Duplicate a field line, next to it or elsewhere in the head, sometimes with another numeral."""
    fields = _field_lines(lines)
    if not fields:
        return False
    i = rng.choice(fields)
    content = lines[i][0]
    if rng.randrange(2):
        name, _, value = content.partition(b":")
        content = (
            name + b": " + rng.choice(numeral_variants(value) if _DIGITS.search(value) else [value + b"x"])
        )
    j = rng.choice([i + 1, rng.choice(fields), rng.choice(fields) + 1])
    lines.insert(j, [content, lines[i][1] or b"\r\n"])
    return True


def op_drop_line(rng: random.Random, lines: Lines) -> bool:
    """Drop a line (a field, a chunk line, a blank line)."""
    if len(lines) < 2:
        return False
    del lines[rng.randrange(len(lines))]
    return True


def op_swap_fields(rng: random.Random, lines: Lines) -> bool:
    """Reorder two field lines."""
    fields = _field_lines(lines)
    if len(fields) < 2:
        return False
    a, b = rng.sample(fields, 2)
    lines[a][0], lines[b][0] = lines[b][0], lines[a][0]
    return True


def op_add_framing(rng: random.Random, lines: Lines) -> bool:
    """Add a framing header that may conflict with the message's own (docs/vectors.md rows 1, 2, 14, 19)."""
    name = rng.choice(FRAMING_NAMES)
    if b"ength" in name:
        value = rng.choice([b"0", b"1", b"5", b"100", *numeral_variants(b"5")])
    else:
        value = rng.choice(TE_VALUES)
    lines.insert(_insert_at(rng, lines), [name + b": " + value, b"\r\n"])
    return True


def op_numeral(rng: random.Random, lines: Lines) -> bool:
    """Respell a Content-Length value or a chunk size (signs, 0x, zeros, _, huge; rows 4-12, 26-28)."""
    sites = [i for i in _field_lines(lines) if lines[i][0].lower().startswith(b"content-length")]
    sites += _chunk_lines(lines)
    if not sites:
        return False
    i = rng.choice(sites)
    content = lines[i][0]
    if _FIELD.match(content):
        name, _, value = content.partition(b":")
        lines[i][0] = name + b": " + rng.choice(numeral_variants(value))
    else:
        size = _CHUNK_SIZE.match(content)
        assert size is not None  # _chunk_lines only returns matching lines
        lines[i][0] = rng.choice(numeral_variants(size.group())) + content[size.end() :]
    return True


def op_chunk_ext(rng: random.Random, lines: Lines) -> bool:
    """Add a chunk extension, well-formed or not (bare ';', BWS, quotes, CR, NUL, 300 bytes; row 30, 31)."""
    sites = _chunk_lines(lines)
    if not sites:
        return False
    i = rng.choice(sites)
    size = _CHUNK_SIZE.match(lines[i][0])
    assert size is not None
    lines[i][0] = size.group() + rng.choice(CHUNK_EXTS)
    return True


def op_line_ending(rng: random.Random, lines: Lines) -> bool:
    """Change one line ending to LF, CR, CRCRLF, LFCR, a trailing SP or a fold (rows 33, 34, 41, 46, 47)."""
    ended = [i for i, (_, eol) in enumerate(lines) if eol]
    if not ended:
        return False
    lines[rng.choice(ended)][1] = rng.choice(EOLS)
    return True


def op_dangerous_byte(rng: random.Random, lines: Lines) -> bool:
    """Insert a dangerous byte at a token boundary: colon, SP, value edges, line start (rows 18, 40-44)."""
    i = rng.randrange(len(lines))
    content = lines[i][0]
    boundaries = [0, len(content)] + [m.start() for m in re.finditer(rb"[: ;,=]", content)]
    boundaries += [m.end() for m in re.finditer(rb"[: ;,=]", content)]
    at = rng.choice(boundaries)
    lines[i][0] = content[:at] + rng.choice(DANGEROUS) + content[at:]
    return True


def op_start_line(rng: random.Random, lines: Lines) -> bool:
    """Replace the method, version or status code of a start line (rows 48-50, 59)."""
    starts = _where(lines, _START)
    if not starts:
        return False
    i = rng.choice(starts)
    words = lines[i][0].split(b" ", 2)
    if words[0].upper().startswith(b"HTTP/"):
        position, table = rng.choice([(0, VERSIONS), (1, STATUSES)])
    else:
        position, table = rng.choice([(0, METHODS), (len(words) - 1, VERSIONS)])
    words[position] = rng.choice(table)
    lines[i][0] = b" ".join(words)
    return True


def op_obfuscate_name(rng: random.Random, lines: Lines) -> bool:
    """Respell a field name: case, SP or HTAB before the colon, a leading SP, '_' for '-' (rows 19, 38)."""
    fields = _field_lines(lines)
    if not fields:
        return False
    i = rng.choice(fields)
    name, _, value = lines[i][0].partition(b":")
    variants = [name.upper(), name.lower(), name + b" ", name + b"\t", b" " + name, name.replace(b"-", b"_")]
    variants += [name + b"\x00", name[:-1], b"X-" + name, b""]
    lines[i][0] = rng.choice(variants) + b":" + value
    return True


def op_fold(rng: random.Random, lines: Lines) -> bool:
    """Fold a field value onto a continuation line (obs-fold, rows 22, 39)."""
    fields = _field_lines(lines)
    if not fields:
        return False
    i = rng.choice(fields)
    name, _, value = lines[i][0].partition(b":")
    cut = rng.randrange(len(value) + 1)
    lines[i][0] = name + b":" + value[:cut]
    lines.insert(i + 1, [rng.choice([b" ", b"\t", b"  "]) + value[cut:].lstrip(), lines[i][1] or b"\r\n"])
    return True


def op_pipeline(rng: random.Random, lines: Lines) -> bool:
    """Append a second message: a copy of the input or a small template (rows 25, 55)."""
    data = from_lines(lines)
    extra = rng.choice([data, *TEMPLATES])
    lines[:] = to_lines(data + extra)
    return True


def _split_message(data: bytes) -> tuple[bytes, bytes] | None:
    for sep in (b"\r\n\r\n", b"\n\n"):
        head, found, body = data.partition(sep)
        if found:
            return head + sep, body
    return None


def op_fix_length(rng: random.Random, lines: Lines) -> bool:
    """Make the first message's Content-Length match its body again (so edits can reach what follows)."""
    parts = _split_message(from_lines(lines))
    if parts is None:
        return False
    head, body = parts
    length = rng.randrange(len(body) + 1)
    new_head, count = re.subn(rb"(?im)^(content-length[ \t]*:)[^\r\n]*", rb"\g<1> %d" % length, head, count=1)
    if not count:
        return False
    lines[:] = to_lines(new_head + body)
    return True


def op_chunkify(rng: random.Random, lines: Lines) -> bool:
    """Re-frame the first message's body as chunks of random sizes, with a Transfer-Encoding header."""
    parts = _split_message(from_lines(lines))
    if parts is None:
        return False
    head, body = parts
    sep = b"\r\n" if head.endswith(b"\r\n\r\n") else b"\n"
    head = re.sub(rb"(?im)^content-length[ \t]*:[^\r\n]*\r?\n", b"", head)
    if not re.search(rb"(?im)^transfer-encoding[ \t]*:", head):
        head = head[: -len(sep)] + b"Transfer-Encoding: chunked" + sep + sep
    chunks, rest = [], body
    while rest:
        size = rng.randint(1, max(1, len(rest)))
        chunks.append(b"%x\r\n%s\r\n" % (size, rest[:size]))
        rest = rest[size:]
    trailer = rng.choice([b"", b"X-Trailer: 1\r\n"])
    lines[:] = to_lines(head + b"".join(chunks) + b"0\r\n" + trailer + b"\r\n")
    return True


def grown_numeral(rng: random.Random, value: bytes) -> bytes:
    """``value`` respelled with thousands of digits: a long number, or leading zeros before it."""
    digits = rng.choice(GROWN_DIGITS)
    text = value.strip() or b"5"
    if rng.randrange(2):
        return b"0" * max(digits - len(text), 1) + text
    return b"1" + rng.choice((b"0", b"9", b"f")) * (digits - 1)


def op_grow_numeral(rng: random.Random, lines: Lines) -> bool:
    """Grow a Content-Length value, chunk size or status code to thousands of digits (past int()'s limit)."""
    sites = [i for i in _field_lines(lines) if _DIGITS.search(lines[i][0].partition(b":")[2])]
    sites += _chunk_lines(lines) + _where(lines, _START)
    if not sites:
        return False
    i = rng.choice(sites)
    content = lines[i][0]
    if _FIELD.match(content):
        name, _, value = content.partition(b":")
        lines[i][0] = name + b": " + grown_numeral(rng, value)
    elif _START.match(content):
        words = content.split(b" ", 2)
        at = 1 if words[0].upper().startswith(b"HTTP/") else len(words) - 1
        if at == 1:
            words[1] = grown_numeral(rng, words[1])
        else:  # the version's digits: HTTP/1.<many>
            words[at] = b"HTTP/1." + grown_numeral(rng, b"1")
        lines[i][0] = b" ".join(words)
    else:
        size = _CHUNK_SIZE.match(content)
        assert size is not None
        lines[i][0] = grown_numeral(rng, size.group()) + content[size.end() :]
    return True


def op_grow_field(rng: random.Random, lines: Lines) -> bool:
    """Grow a field's value (or add a field) to around 16 KiB or more: the incomplete-event limit."""
    target = rng.choice(GROWN_BYTES)
    fields = _field_lines(lines)
    if fields and rng.randrange(3):
        i = rng.choice(fields)
        name, _, value = lines[i][0].partition(b":")
        filler = (value.strip() or b"x")[:8]
        grown = (filler * (target // len(filler) + 1))[: max(target - len(name) - 2, 1)]
        lines[i][0] = name + b": " + grown
        return True
    name = rng.choice((b"X-Long", b"Cookie", b"Host"))
    lines.insert(_insert_at(rng, lines), [name + b": " + b"a" * target, b"\r\n"])
    return True


OPERATORS: tuple[Callable[[random.Random, Lines], bool], ...] = (
    op_duplicate_field,
    op_duplicate_field,
    op_drop_line,
    op_swap_fields,
    op_add_framing,
    op_add_framing,
    op_numeral,
    op_numeral,
    op_chunk_ext,
    op_line_ending,
    op_dangerous_byte,
    op_dangerous_byte,
    op_start_line,
    op_obfuscate_name,
    op_fold,
    op_pipeline,
    op_fix_length,
    op_chunkify,
    op_grow_numeral,
    op_grow_field,
)
"""The token-level operators; an operator listed twice is drawn twice as often."""


# ------------------------------------------------------------------------------------------------
# The mutator


def _atheris_mutate(data: bytes, max_size: int) -> bytes:
    import atheris

    return bytes(atheris.Mutate(data, max_size))


class Mutator:
    """A libFuzzer custom mutator ``(data, max_size, seed) -> bytes``; see the module docstring.

    ``fallback`` is libFuzzer's own mutation (``atheris.Mutate``, valid only inside ``atheris.Fuzz``);
    it is taken with probability ``fallback_rate`` and when no operator applies. ``fallback=None``
    never falls back (unit tests, and benchmarks outside libFuzzer).
    """

    def __init__(self, *, fallback: Fallback | None = _atheris_mutate, fallback_rate: float = 0.25) -> None:
        self.fallback = fallback
        self.fallback_rate = fallback_rate

    def __call__(self, data: bytes, max_size: int, seed: int) -> bytes:
        """Mutate ``data``; the result is at most ``max_size`` bytes."""
        rng = random.Random(seed)
        if self.fallback is not None and rng.random() < self.fallback_rate:
            return self.fallback(data, max_size)[:max_size]
        lines = to_lines(bytes(data))
        applied = 0
        for _ in range(rng.choice((1, 1, 2, 3))):
            for _attempt in range(4):
                if rng.choice(OPERATORS)(rng, lines):
                    applied += 1
                    break
        out = from_lines(lines)
        if not applied or out == data:
            if self.fallback is not None:
                return self.fallback(data, max_size)[:max_size]
            at = rng.randrange(len(out) + 1)
            out = out[:at] + rng.choice(DANGEROUS) + out[at:]
        return out[:max_size]


def custom_mutator(data: bytes, max_size: int, seed: int) -> bytes:
    """The mutator ``fuzz.entry`` gives to ``atheris.Setup`` (with libFuzzer's mutation as fallback)."""
    return _DEFAULT(data, max_size, seed)


_DEFAULT = Mutator()
