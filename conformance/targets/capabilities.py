"""Capability names: what an implementation under test can do.

Theory of operation: every check (catalog case, model rule, fuzz target) declares the capabilities it
needs; ``Target.lacks`` compares them with what the probe found (``conformance.targets.probe`` turns the
h11 names a target has into capabilities, ``CAPABILITY_NEEDS``), and a check whose needs are not met is
skipped with the reason, never graded.
"""

from __future__ import annotations

# Every check declares the capabilities it needs and is skipped, with the
# reason, on a target that lacks one. conformance.targets.probe.CAPABILITY_NEEDS says which h11 names
# each one requires.
PARSE_REQUESTS = "parse-requests"  # a SERVER Connection turns bytes into Request/Data/EOM
PARSE_RESPONSES = "parse-responses"  # a CLIENT Connection turns bytes into responses
SERIALIZE = "serialize"  # Connection.send turns events into bytes
STATE_MACHINE = "state-machine"  # our_state/their_state/states, start_next_cycle
PROTOCOL_SWITCH = "protocol-switch"  # Upgrade/CONNECT, MIGHT_SWITCH_PROTOCOL, SWITCHED_PROTOCOL
EXPECT_100 = "100-continue"  # the 100-continue flags
EVENT_VALIDATION = "event-validation"  # event constructors validate and normalise
DATA_PASSTHROUGH = "data-passthrough"  # Connection.send_with_data_passthrough (sendfile)
SEND_FAILED = "send-failed"  # Connection.send_failed moves our side to ERROR
# A CLIENT Connection knows which request the responses it reads answer (a response to HEAD has no body,
# a 2xx to CONNECT opens a tunnel): it sent the request itself (serialize), or its adapter has the hook
# Connection.h11spec_expect_response_to(method) that the driver calls before feeding responses.
REQUEST_CONTEXT = "request-context"
RESPONSE_TO_HOOK = "h11spec_expect_response_to"  # that hook's name: (self, method: bytes) -> None
STATUS_HINTS = "status-hints"  # a RemoteProtocolError carries error_status_hint, the status to answer with
# Connection(role, max_incomplete_event_size=N) refuses an incomplete event past N bytes (h11's own limit,
# 16 KiB by default). The RFC lets every recipient choose its limits (RFC 9110 §5.4), so the cases about
# h11's particular limit are graded only where the target offers that parameter.
EVENT_SIZE_LIMIT = "event-size-limit"
SIZE_LIMIT_PARAMETER = "max_incomplete_event_size"
ALL_CAPABILITIES = frozenset(
    {
        PARSE_REQUESTS,
        PARSE_RESPONSES,
        SERIALIZE,
        STATE_MACHINE,
        PROTOCOL_SWITCH,
        EXPECT_100,
        EVENT_VALIDATION,
        DATA_PASSTHROUGH,
        SEND_FAILED,
        REQUEST_CONTEXT,
        STATUS_HINTS,
        EVENT_SIZE_LIMIT,
    }
)
