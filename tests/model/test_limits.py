"""The model's strategies reach the runtime limits; its byte-stream check catches a parser that trips."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, find, settings

import conformance.reference as oracle
from conformance import strategies as gen
from conformance.model.bytestream import ByteStreamViolation, check_stream
from tests.faults.catalog import faults

SEARCH = settings(
    max_examples=20_000,
    database=None,
    suppress_health_check=list(HealthCheck),
    deadline=None,
    phases=(Phase.generate,),
    derandomize=True,
)
LONG_NUMERAL = re.compile(rb"[0-9A-Fa-f]{4301,}")


@pytest.mark.parametrize("tokens", [gen.request_tokens, gen.response_tokens], ids=["requests", "responses"])
def test_mutations_reach_numerals_past_the_conversion_limit(tokens: Callable[[], Any]) -> None:
    """Mutated streams (half of all generated ones) hold a numeral past the interpreter's 4300-digit limit."""
    found = find(
        gen.mutated(tokens()), lambda t: LONG_NUMERAL.search(b"".join(t)) is not None, settings=SEARCH
    )
    assert LONG_NUMERAL.search(b"".join(found))


def test_streams_reach_fields_past_the_incomplete_event_limit() -> None:
    """Generated requests contain a line longer than the 16 KiB incomplete-event limit."""
    found = find(
        gen.request_streams(), lambda s: any(len(line) > 16_384 for line in s.split(b"\r\n")), settings=SEARCH
    )
    assert max(len(line) for line in found.split(b"\r\n")) > 16_384


def test_specs_reach_fixed_width_status_codes() -> None:
    """Generated Response specs carry status codes at 2**63 and beyond (to test construction-time checks)."""
    found = find(gen.response_specs(), lambda spec: abs(spec[1]["status_code"]) >= 2**63, settings=SEARCH)
    assert abs(found[1]["status_code"]) >= 2**63


def test_byte_stream_check_catches_an_unbounded_int() -> None:
    """A Content-Length past 4300 digits crashes a parser that calls int() on it, and the check says so."""
    fault = faults.content_length_unbounded_int().api
    stream = b"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: " + b"9" * 5000 + b"\r\n\r\nX"
    assert check_stream(oracle, oracle, "server", stream, (), "rfc9112") in ("accept", "reject")
    with pytest.raises(ByteStreamViolation) as caught:
        check_stream(fault, oracle, "server", stream, (), "rfc9112")
    assert caught.value.crash
    assert "ValueError" in str(caught.value)


def test_mutations_reach_long_lists() -> None:
    """Mutated requests carry a list of a thousand elements or more (a repeated numeral, or field lines)."""
    found = find(
        gen.mutated(gen.request_tokens()),
        lambda t: b"".join(t).count(b", ") >= 999 or b"".join(t).count(b"\r\nX-") >= 1000,
        settings=SEARCH,
    )
    assert b"".join(found).count(b", ") >= 999 or b"".join(found).count(b"\r\nX-") >= 1000
