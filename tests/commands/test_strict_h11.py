"""Strict-h11 for dependents: `import h11` and its private modules resolve to the reference, by the pytest
option or `h11spec shim`, and a real dependent (uvicorn, over loopback) shows what the reference refuses."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from conformance.commands import strict_h11
from conformance.commands.shim import shim_env

ROOT = Path(__file__).resolve().parents[2]
QUIET = ("-p", "no:cacheprovider", "-p", "no:hypothesispytest", "-p", "no:xdist")

# What real dependents import from h11 (uvicorn 0.54, httpcore 1.0, wsproto 1.2, grepped from their source).
DEPENDENT_IMPORTS = """
import h11
from h11._connection import DEFAULT_MAX_INCOMPLETE_EVENT_SIZE
from h11._headers import Headers
from h11._util import LocalProtocolError, RemoteProtocolError
import h11._events, h11._state, h11._abnf, h11._readers, h11._writers, h11._receivebuffer, h11._version
assert h11.Connection.__module__ == "conformance.reference.connection", h11.Connection.__module__
assert Headers.__module__ == "conformance.reference.headers"
assert LocalProtocolError is h11.LocalProtocolError
assert DEFAULT_MAX_INCOMPLETE_EVENT_SIZE == 16 * 1024
assert h11._version.__version__ == h11.__version__
print("strict", h11.__version__)
"""


def _run(
    argv: list[str], env: dict[str, str] | None = None, cwd: Path = ROOT
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(argv, capture_output=True, text=True, timeout=120, env=env, cwd=cwd, check=False)


def test_finder_serves_h11_and_its_private_modules() -> None:
    """With the finder installed, h11 and the private modules dependents import come from the reference."""
    import conformance.reference as reference

    saved = {n: m for n, m in sys.modules.items() if n == "h11" or n.startswith("h11.")}
    try:
        dropped = strict_h11.install()
        assert "h11" in dropped or "h11" not in saved
        import h11
        import h11._connection
        import h11._headers

        assert h11.Connection is reference.Connection
        assert h11._headers.Headers is reference.Headers
        assert (
            h11._connection.DEFAULT_MAX_INCOMPLETE_EVENT_SIZE == reference.connection.INCOMPLETE_LIMIT_DEFAULT
        )
        with pytest.raises(ModuleNotFoundError):
            __import__("h11._no_such_private_module")
    finally:
        strict_h11.uninstall()
        sys.modules.update(saved)
    import h11

    assert not getattr(h11, strict_h11.MARK, False)


def test_shim_runs_a_command_with_strict_h11() -> None:
    """`h11spec shim -- python -c ...` gives the child process the reference as h11, private modules too."""
    done = _run(
        [
            sys.executable,
            "-m",
            "conformance.commands.cli",
            "shim",
            "--",
            sys.executable,
            "-c",
            DEPENDENT_IMPORTS,
        ]
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("strict 0.16")
    plain = _run([sys.executable, "-c", DEPENDENT_IMPORTS])
    assert plain.returncode != 0  # without the shim the same script sees the real h11


def test_shim_keeps_the_exit_status_and_rejects_no_command(capsys: pytest.CaptureFixture[str]) -> None:
    """The shim's exit status is the command's; no command is a usage error."""
    from conformance.commands.cli import main

    assert main(["shim", "--", sys.executable, "-c", "raise SystemExit(3)"]) == 3
    assert main(["shim"]) == 2
    assert "name the command" in capsys.readouterr().err


def test_pytest_option_makes_a_dependents_tests_see_the_reference(tmp_path: Path) -> None:
    """`pytest --h11spec-strict-h11` installs strict-h11 before conftests, so the project's tests see it."""
    (tmp_path / "conftest.py").write_text("import h11\nSEEN = h11.Connection.__module__\n")
    (tmp_path / "test_dep.py").write_text(
        "import conftest\n"
        "def test_h11_is_the_reference():\n"
        f"    exec({DEPENDENT_IMPORTS!r})\n"
        "    assert conftest.SEEN == 'conformance.reference.connection'\n"
    )
    strict = _run([sys.executable, "-m", "pytest", *QUIET, "--h11spec-strict-h11"], cwd=tmp_path)
    assert strict.returncode == 0, strict.stdout
    assert "strict-h11" in strict.stdout  # the report header says so
    plain = _run([sys.executable, "-m", "pytest", *QUIET, "-q"], cwd=tmp_path)
    assert plain.returncode == 1


def test_uvicorn_over_loopback_shows_what_the_reference_refuses() -> None:
    """uvicorn under the shim: the 204 with Content-Length its app sends is refused (RFC 9110 §8.6)."""
    example = str(ROOT / "examples" / "strict_h11_uvicorn.py")
    plain = _run([sys.executable, example])
    strict = _run([sys.executable, example], env=shim_env())
    assert plain.returncode == 0, plain.stderr
    assert strict.returncode == 0, strict.stderr
    h11_lines = plain.stdout.splitlines()
    strict_lines = strict.stdout.splitlines()
    assert h11_lines[0].endswith("-> HTTP/1.1 204 No Content | content-length: 0")
    assert strict_lines[0].endswith(
        "-> no response; uvicorn logged LocalProtocolError: refusing to send Content-Length or "
        "Transfer-Encoding in a 204 response (RFC 9112 §6.1, RFC 9110 §8.6)"
    )
    assert h11_lines[1].endswith("-> HTTP/1.1 200 OK | transfer-encoding: chunked")
    assert strict_lines[1].endswith("| connection: close")
    assert h11_lines[2].endswith("-> HTTP/1.1 200 OK | transfer-encoding: chunked")
    assert strict_lines[2].endswith("-> HTTP/1.1 400 Bad Request | connection: close")
    assert h11_lines[3].split("->")[1] == strict_lines[3].split("->")[1]  # a valid request: no difference


def test_httpcore_over_loopback_shows_what_the_reference_refuses() -> None:
    """httpcore under the shim refuses an HTTP/1.0 response with Transfer-Encoding (RFC 9112 §6.1)."""
    example = str(ROOT / "examples" / "strict_h11_httpcore.py")
    plain = _run([sys.executable, example])
    strict = _run([sys.executable, example], env=shim_env())
    assert plain.returncode == 0, plain.stderr
    assert strict.returncode == 0, strict.stderr
    assert plain.stdout.splitlines()[0].endswith("-> 200 b'hi'")
    assert strict.stdout.splitlines()[0].endswith(
        "-> RemoteProtocolError: Transfer-Encoding in an HTTP/1.0 message (faulty framing)"
    )
    assert plain.stdout.splitlines()[1].split("->")[1] == strict.stdout.splitlines()[1].split("->")[1]


@pytest.mark.parametrize("example", ["strict_h11_uvicorn.py", "strict_h11_httpcore.py"])
def test_readme_shows_the_examples_actual_output(example: str) -> None:
    """The README's worked examples are the examples' output, line for line, on h11 and under the shim."""
    readme = (ROOT / "README.md").read_text()
    strict = _run([sys.executable, str(ROOT / "examples" / example)], env=shim_env())
    plain = _run([sys.executable, str(ROOT / "examples" / example)])
    lines = [*plain.stdout.splitlines(), *strict.stdout.splitlines()]
    assert len(lines) >= 4
    for line in lines:
        assert line in readme, line


def test_shim_reaches_a_python_without_h11spec(tmp_path: Path) -> None:
    """A dependent's own virtualenv, without h11spec or h11 installed, still gets the reference as h11."""
    subprocess.run(
        [sys.executable, "-m", "venv", "--without-pip", str(tmp_path / "venv")], check=True, timeout=120
    )
    python = str(tmp_path / "venv" / "bin" / "python")
    probe = (
        "import h11, sys; print(h11.Connection.__module__, any('site-packages' in p for p in sys.path[:2]))"
    )
    bare = _run([python, "-c", probe], cwd=tmp_path)
    assert bare.returncode != 0  # no h11 there at all
    done = _run([python, "-c", probe], env=shim_env(), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["conformance.reference.connection", "False"]


WSPROTO_HANDSHAKE = """
import h11
from wsproto import ConnectionType, WSConnection
from wsproto.events import AcceptConnection, Request, TextMessage

client, server = WSConnection(ConnectionType.CLIENT), WSConnection(ConnectionType.SERVER)
server.receive_data(client.send(Request(host="example", target="/chat")))
assert [type(e).__name__ for e in server.events()] == ["Request"]
client.receive_data(server.send(AcceptConnection()))
assert [type(e).__name__ for e in client.events()] == ["AcceptConnection"]
client.receive_data(server.send(TextMessage(data="hi")))
print(h11.Connection.__module__, [e.data for e in client.events()])
"""


def test_wsproto_handshake_runs_on_the_reference() -> None:
    """wsproto's HTTP/1.1 upgrade handshake (in memory, no sockets) works with the reference as h11."""
    done = _run([sys.executable, "-c", WSPROTO_HANDSHAKE], env=shim_env())
    assert done.returncode == 0, done.stderr
    assert done.stdout.split(" ", 1) == ["conformance.reference.connection", "['hi']\n"]
