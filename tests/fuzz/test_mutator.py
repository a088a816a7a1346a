"""fuzz.mutator: outputs stay within max_size, are reproducible, and contain the token-level variants."""

from __future__ import annotations

import random
import re

import pytest

from fuzz import mutator
from fuzz.corpus import SEEDS_DIR
from fuzz.mutator import OPERATORS, Mutator, from_lines, numeral_variants, to_lines

POST_CL = b"POST /x HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nAccept: */*\r\n\r\nhello"
CHUNKED = b"POST /x HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n"


def _outputs(data: bytes, count: int = 400, max_size: int = 4096) -> list[bytes]:
    mutate = Mutator(fallback=None)
    return [mutate(data, max_size, seed) for seed in range(count)]


def _apply(op: object, data: bytes, seeds: range = range(60)) -> list[bytes]:
    outs = []
    for seed in seeds:
        lines = to_lines(data)
        assert callable(op)
        if op(random.Random(seed), lines):
            outs.append(from_lines(lines))
    return outs


def test_lines_round_trip() -> None:
    """Splitting into lines and joining them gives back the input, whatever its line endings."""
    for data in (POST_CL, CHUNKED, b"", b"a\rb\nc\r\n", b"\r\n\r\n", b"no newline"):
        assert from_lines(to_lines(data)) == data


@pytest.mark.parametrize("max_size", [1, 7, 40, 4096])
def test_outputs_never_exceed_max_size(max_size: int) -> None:
    """Every output is at most max_size bytes, for every seed file and mutation seed."""
    mutate = Mutator(fallback=None)
    for path in sorted(SEEDS_DIR.glob("*/*"))[:40]:
        data = path.read_bytes()
        for seed in range(25):
            assert len(mutate(data, max_size, seed)) <= max_size


def test_same_seed_same_output_and_seeds_vary() -> None:
    """The mutation is a function of (data, max_size, seed), and different seeds give different outputs."""
    mutate = Mutator(fallback=None)
    assert [mutate(POST_CL, 4096, s) for s in range(50)] == [mutate(POST_CL, 4096, s) for s in range(50)]
    assert len(set(_outputs(POST_CL, 200))) > 100


def test_duplicated_content_length_with_different_values() -> None:
    """Duplicating fields yields messages with two Content-Length lines of different values."""
    found = False
    for out in _apply(mutator.op_duplicate_field, POST_CL):
        values = re.findall(rb"(?im)^content-length: *([^\r\n]*)", out)
        found = found or (len(values) >= 2 and len(set(values)) >= 2)
    assert found


def test_drop_and_reorder_fields() -> None:
    """Dropping removes a line and swapping reorders two field lines."""
    dropped = _apply(mutator.op_drop_line, POST_CL)
    assert all(len(to_lines(out)) == len(to_lines(POST_CL)) - 1 for out in dropped)
    swapped = _apply(mutator.op_swap_fields, POST_CL)
    assert any(out.index(b"Accept") < out.index(b"Host") for out in swapped)


def test_conflicting_framing_headers() -> None:
    """Adding framing headers gives Content-Length plus Transfer-Encoding in one message."""
    outs = _apply(mutator.op_add_framing, POST_CL, range(100))
    assert any(re.search(rb"(?i)transfer-encoding", out) and b"Content-Length: 5" in out for out in outs)


def test_numeral_variants_cover_the_dangerous_spellings() -> None:
    """Numerals get a sign, a 0x prefix, leading zeros, an underscore and an overflowing value."""
    variants = numeral_variants(b"5")
    for expected in (b"+5", b"-5", b"0x5", b"005", b"1_5", b"99999999999999999999"):
        assert expected in variants
    assert b"1_5" in numeral_variants(b"15")
    outs = _apply(mutator.op_numeral, CHUNKED, range(200))
    assert any(b"\r\n0x5\r\n" in out for out in outs)  # a chunk size respelled
    assert any(b"Content-Length: +5" in out for out in _apply(mutator.op_numeral, POST_CL, range(200)))


def test_chunk_extensions() -> None:
    """Chunk-size lines get extensions: a pair, bare ';', BWS before ';', a CR inside."""
    outs = _apply(mutator.op_chunk_ext, CHUNKED, range(300))
    for ext in (b"5;a=b\r\n", b"5;\r\n", b"5 ;a=b\r\n", b"5;a=\r\r\n"):
        assert any(ext in out for out in outs), ext


def test_line_endings_change() -> None:
    """Line endings become bare LF, bare CR or CRCRLF."""
    outs = _apply(mutator.op_line_ending, POST_CL, range(200))
    assert any(b"\r\r\n" in out for out in outs)
    assert any(re.search(rb"[^\r]\n", out) for out in outs)
    assert any(re.search(rb"\r[^\n]", out) for out in outs)


def test_dangerous_bytes_land_on_token_boundaries() -> None:
    """Bytes from the dangerous sets (NUL, VT, NBSP...) are inserted into the message."""
    outs = _apply(mutator.op_dangerous_byte, POST_CL, range(400))
    for byte in (b"\x00", b"\x0b", b"\xa0", b"\t"):
        assert any(byte in out for out in outs), byte


def test_start_line_fold_name_pipeline_and_reframing() -> None:
    """Versions and methods change, fields fold, names are obfuscated, messages pipeline and re-frame."""
    assert any(b"HTTP/1.0" in out for out in _apply(mutator.op_start_line, POST_CL, range(100)))
    assert any(re.search(rb"\r\n[ \t]", out) for out in _apply(mutator.op_fold, POST_CL))
    assert any(
        b"Content-Length :" in out or b"Content-Length\t:" in out
        for out in _apply(mutator.op_obfuscate_name, POST_CL, range(200))
    )
    assert all(
        out.startswith(POST_CL) and len(out) > len(POST_CL) for out in _apply(mutator.op_pipeline, POST_CL)
    )
    chunked = _apply(mutator.op_chunkify, POST_CL)
    assert chunked
    assert all(b"Transfer-Encoding: chunked" in out and out.endswith(b"\r\n\r\n") for out in chunked)
    fixed = _apply(mutator.op_fix_length, POST_CL)
    assert any(b"Content-Length: 3\r\n" in out for out in fixed)


def test_every_operator_applies_to_some_seed() -> None:
    """Each operator changes at least one of the seeds (no dead entries in OPERATORS)."""
    seeds = [p.read_bytes() for p in sorted(SEEDS_DIR.glob("*/*"))]
    for op in set(OPERATORS):
        assert any(_apply(op, data, range(3)) for data in seeds), op.__name__


def test_fallback_is_used_at_its_rate() -> None:
    """With fallback_rate 1 every call goes to the fallback (libFuzzer's own mutation in a campaign)."""
    calls: list[int] = []

    def fallback(data: bytes, max_size: int) -> bytes:
        calls.append(max_size)
        return data + b"!" * 10

    mutate = Mutator(fallback=fallback, fallback_rate=1.0)
    assert mutate(POST_CL, len(POST_CL) + 3, 1) == POST_CL + b"!!!"
    assert calls == [len(POST_CL) + 3]


def test_grown_numerals_pass_the_int_string_limit() -> None:
    """Growing numerals yields Content-Length values and chunk sizes of more than 4300 digits."""
    longest_cl = longest_chunk = 0
    for out in _apply(mutator.op_grow_numeral, POST_CL) + _apply(mutator.op_grow_numeral, CHUNKED):
        for value in re.findall(rb"(?im)^content-length: ([0-9a-f]+)\r$", out):
            longest_cl = max(longest_cl, len(value))
        for value in re.findall(rb"(?m)^([0-9a-f]+)\r\nhello", out):
            longest_chunk = max(longest_chunk, len(value))
    assert longest_cl > 4300
    assert longest_chunk > 4300


def test_grown_fields_pass_the_incomplete_event_limit() -> None:
    """Growing fields yields heads with a field line longer than 16 KiB, within 64 KiB."""
    lengths = [max(map(len, out.split(b"\r\n"))) for out in _apply(mutator.op_grow_field, POST_CL)]
    assert max(lengths) > 16 * 1024
    assert min(lengths) < 16 * 1024 < max(lengths) <= 64 * 1024


def test_the_mutator_reaches_both_limits_from_a_seed() -> None:
    """Within 2000 mutations of one seed, outputs pass 4300 digits and 16 KiB under a 64 KiB max_size."""
    outs = _outputs(POST_CL, 2000, 64 * 1024)
    assert any(re.search(rb"[0-9]{4301}", out) for out in outs)
    assert any(len(out) > 16 * 1024 for out in outs)
