"""The table of what backs each rejection (conformance/reference/rejections.py)."""

from __future__ import annotations

import pytest

from conformance.reference import RemoteProtocolError, rejections
from conformance.reference.choices import DEFAULTS


def test_rules_and_choice_points_are_apart() -> None:
    """No rejection rule duplicates a choice point: a choice point's rejection carries its id."""
    assert set(rejections.RULES).isdisjoint(DEFAULTS)


def test_every_rule_quotes_the_keyword_of_its_strongest_level() -> None:
    """Each rule's sentence holds the RFC keyword of its strongest level (MUST, else SHOULD, else MAY)."""
    order = (rejections.MUST, rejections.SHOULD, rejections.MAY)
    for rule_id, rule in rejections.RULES.items():
        assert rule.server in order, rule_id
        assert rule.client in order, rule_id
        strongest = min(order.index(rule.server), order.index(rule.client))
        if rule_id != "data-after-close":  # a state rule: described, no keyword sentence
            assert order[strongest] in rule.sentence, rule_id
        assert rule.rfc.startswith("RFC 911"), rule_id


def test_grammar_is_should_for_a_server_and_may_for_a_client() -> None:
    """A grammar-only rejection is SHOULD for a server (RFC 9112 §2.2), MAY for a client (RFC 9110 §2.2)."""
    for rule_id in ("grammar-request-line", "grammar-status-line", "grammar-field-line"):
        assert rejections.level_of(rule_id, "server") == rejections.SHOULD
        assert rejections.level_of(rule_id, "client") == rejections.MAY


def test_untagged_errors_are_must_and_choice_points_are_choice() -> None:
    """An error without a rule is graded MUST (the strict reading); a choice point's rejection is CHOICE."""
    assert rejections.level_of(None, "client") == rejections.MUST
    assert rejections.level_of("bare-cr", "server") == rejections.CHOICE


def test_reject_tags_the_usual_error_and_refuses_an_unknown_rule() -> None:
    """reject() builds the RemoteProtocolError with its hint and rule; an unknown rule is a bug."""
    error = rejections.reject("content-length", "bad Content-Length", 400)
    assert type(error) is RemoteProtocolError
    assert error.error_status_hint == 400
    assert rejections.rule_of(error) == "content-length"
    assert rejections.rule_of(ValueError("x")) is None
    with pytest.raises(KeyError):
        rejections.reject("no-such-rule", "x")


@pytest.mark.parametrize(
    ("line", "rule"),
    [
        (b"X-A: b\rc", "bare-cr"),
        (b"X-A: b\x00c", "field-value-nul-cr-lf"),
        (b"X-A : b", "ws-before-colon"),
        (b"Transfer-Encoding: chunked\x0b", "transfer-encoding"),
        (b"Content-Length: 5\x0c", "content-length"),
        (b"X(A): b", "grammar-field-line"),
        (b"no colon", "grammar-field-line"),
    ],
)
def test_field_line_rule_names_the_requirement_a_bad_line_breaks(line: bytes, rule: str) -> None:
    """A field line off the grammar is refused under the most specific requirement it breaks."""
    assert rejections.field_line_rule(line) == rule
