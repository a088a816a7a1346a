"""Capabilities for libraries without the full h11 API: the request hook, status hints, probe exercises,
and the adapters for h11r and aiohttp's parsers."""

from __future__ import annotations

import json

import pytest

from conformance import drive
from conformance.catalog.case import Reject, alternatives
from conformance.catalog.cases import CATALOG
from conformance.catalog.grade import run_catalog
from conformance.targets.capabilities import EVENT_VALIDATION, PARSE_REQUESTS, REQUEST_CONTEXT, STATUS_HINTS
from conformance.targets.load import load_target
from conformance.targets.probe import exercise
from conformance.verdict import Verdict

FAULTS = "tests.faults.targets"
ADAPTERS = "conformance.targets.adapters"
BY_ID = {case.id: case for case in CATALOG}
HEAD_CASES = [
    BY_ID["9112/6.3/head-response-with-cl-has-no-body"],
    BY_ID["9112/6.3/head-response-with-te-has-no-body"],
]
# Cases whose only acceptable outcome is a rejection with a pinned status hint.
HINTED = [
    case
    for case in CATALOG
    if case.wire is not None
    and case.role == "server"
    and all(isinstance(alt, Reject) and alt.status_hint is not None for alt in alternatives(case.expect))
][:12]
HEAD = ("Request", {"method": b"HEAD", "target": b"/", "headers": [(b"Host", b"a")]})
HEAD_RESPONSE = b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n"


def test_cases_that_need_the_request_are_skipped_without_the_hook() -> None:
    """A parse-only adapter without the request hook is skipped, with the reason, on responses to HEAD."""
    target = load_target(f"{FAULTS}.parse_only:Adapter")
    assert REQUEST_CONTEXT not in target.capabilities
    rows = run_catalog([target], cases=HEAD_CASES, isolated=False)
    assert [r.verdict for r in rows] == [Verdict.SKIP, Verdict.SKIP]
    assert all("lacks request-context" in r.message for r in rows)


@pytest.mark.parametrize("adapter", ["httptools", "aiohttp", "aiohttp_py"])
def test_the_hook_tells_a_parse_only_adapter_the_method(adapter: str) -> None:
    """With the hook, a parse-only adapter reads a response to HEAD without a body and passes those cases."""
    target = load_target(f"{ADAPTERS}.{adapter}:Adapter")
    assert REQUEST_CONTEXT in target.capabilities
    trace = drive.feed(target.api, "client", [HEAD_RESPONSE], request=HEAD)
    assert [e[0] for e in trace.events] == ["Response", "EndOfMessage", "ConnectionClosed"]
    rows = run_catalog([target], cases=HEAD_CASES, isolated=False)
    assert [r.verdict for r in rows] == [Verdict.PASS, Verdict.PASS]


def test_a_library_without_hints_is_graded_on_rejecting() -> None:
    """Without status-hints a rejection passes on its class, and the message says the hint was not checked."""
    assert len(HINTED) >= 5
    target = load_target(f"{FAULTS}.no_hints:Adapter")
    assert STATUS_HINTS not in target.capabilities
    rows = run_catalog([target], cases=HINTED, isolated=False)
    assert {r.verdict for r in rows} == {Verdict.PASS}
    assert all("status hint" in r.message and "not checked" in r.message for r in rows)


def test_a_library_claiming_hints_it_lacks_fails_on_them() -> None:
    """The same hintless library claiming status-hints fails every case that pins a status."""
    rows = run_catalog([load_target(f"{FAULTS}.no_hints:Undeclared")], cases=HINTED, isolated=False)
    assert {r.verdict for r in rows} == {Verdict.FAIL}


def test_probe_exercises_withdraw_what_cannot_be_called() -> None:
    """Exercising shows h11's capabilities work, h11r's own events cannot be built, and missing hints."""
    h11 = load_target("h11")
    assert all(exercise(h11.api, c)[0] == "ok" for c in h11.capabilities)
    import h11r

    assert exercise(h11r, EVENT_VALIDATION)[0] == "cannot"
    assert exercise(load_target(f"{FAULTS}.no_hints:Undeclared").api, STATUS_HINTS)[0] == "cannot"
    assert exercise(load_target(f"{ADAPTERS}.aiohttp:Adapter").api, PARSE_REQUESTS) == ("ok", "")


def test_h11r_adapter_round_trips_and_keeps_the_error_contract() -> None:
    """The h11r adapter sends and parses through h11r, and a refused send leaves our side in ERROR."""
    api = load_target(f"{ADAPTERS}.h11r:Adapter").api
    client = api.Connection(api.CLIENT)
    wire = client.send(api.Request(method=b"GET", target=b"/", headers=[(b"Host", b"a")]))
    wire += client.send(api.EndOfMessage())
    server = api.Connection(api.SERVER)
    server.receive_data(wire)
    assert server.next_event().method == b"GET"
    assert isinstance(server.next_event(), api.EndOfMessage)
    with pytest.raises(api.LocalProtocolError):
        server.send(api.Request(method=b"G T", target=b"/", headers=[]))
    assert server.our_state is api.ERROR


@pytest.mark.parametrize("adapter", ["aiohttp", "aiohttp_py"])
def test_aiohttp_adapters_agree_across_splits(adapter: str) -> None:
    """A pipelined stream and a body error give the same events whole and byte by byte."""
    api = load_target(f"{ADAPTERS}.{adapter}:Adapter").api
    for wire in (
        b"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\n\r\nabcGET / HTTP/1.1\r\nHost: a\r\n\r\n",
        b"POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabcX\r\n0\r\n\r\n",
    ):
        whole = drive.feed(api, "server", [wire])
        bytewise = drive.feed(api, "server", [wire[i : i + 1] for i in range(len(wire))])
        assert (whole.events, whole.error) == (bytewise.events, bytewise.error)


def test_probe_command_withdraws_a_capability_whose_exercise_fails(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """`h11spec probe --json` drops a claimed capability the API cannot exercise and says why."""
    from conformance.commands.cli import main

    assert main(["probe", "--json", "--jobs", "1", "--impl", f"{FAULTS}.no_hints:Undeclared"]) == 0
    [row] = json.loads(capsys.readouterr().out)
    assert STATUS_HINTS not in row["capabilities"]
    assert PARSE_REQUESTS in row["capabilities"]
    assert row["exercised"][STATUS_HINTS][0] == "cannot"
    assert row["exercised"][PARSE_REQUESTS] == ["ok", ""]


@pytest.mark.parametrize(
    "command", [["run", "--model-depth", "off"], ["probe"], ["model", "--depth", "quick"]]
)
def test_a_module_without_the_h11_api_needs_an_adapter(
    command: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    """Every command refuses h11r as a module with exit 2 and one line pointing to the README's Adapters."""
    from conformance.commands.cli import main

    assert main([*command, "--impl", "h11r"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "needs an adapter" in err
    assert "README.md, section 'Adapters'" in err
