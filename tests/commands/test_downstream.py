"""The README's CI recipe, run for real: a throw-away downstream project with the README's tox.ini and the
example workflow's steps, h11spec installed from this checkout's files, and a module that is h11 plus one bug.

Real tox creates the environment (packages come from the registries pip is configured with, as in CI);
nothing else leaves the machine. It takes a minute or two, hence ``slow``, but CI runs it.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
TOX_MARKER = "# tox.ini (h11spec conformance)"

PYPROJECT = """\
[build-system]
requires = ["setuptools>=68"]
build-backend = "setuptools.build_meta"

[project]
name = "myh11"
version = "1.0"
dependencies = ["h11>=0.16"]

[tool.setuptools]
py-modules = ["myh11"]
"""

# h11 plus one planted bug: a Content-Length written with a sign ("+5") is accepted (h11 rejects it).
PLANTED = '''\
"""h11 with one planted bug: the sign of a Content-Length ("+5") is dropped before parsing."""

import re

import h11
from h11 import *  # noqa: F403
from h11 import __version__  # noqa: F401

_PLUS = re.compile(rb"(?i)(content-length:[ \\t]*)\\+")


class Connection(h11.Connection):
    def receive_data(self, data):
        super().receive_data(_PLUS.sub(rb"\\1", data))
'''

# A module beside tox.ini, not installed: $H11SPEC_IMPL must still find it.
BESIDE = "from conformance.reference import *  # noqa: F403\nfrom conformance.reference import __version__\n"


def readme_recipe() -> tuple[str, list[str]]:
    """The README's downstream tox.ini and its shell lines that run tox, exactly as documented."""
    text = (ROOT / "README.md").read_text()
    blocks = re.findall(r"```(\w*)\n(.*?)```", text, re.S)
    [tox_ini] = [body for lang, body in blocks if lang == "ini" and body.startswith(TOX_MARKER)]
    after = text[text.index(TOX_MARKER) :]
    shell = re.search(r"```sh\n(.*?)```", after, re.S)
    assert shell is not None
    lines = [line.split("  #", 1)[0].strip() for line in shell.group(1).splitlines()]
    return tox_ini, [line for line in lines if " tox " in f" {line} " and line.startswith(("tox", "H11SPEC"))]


def workflow() -> tuple[dict[str, str], list[str]]:
    """The example workflow's job env and its steps that run tox."""
    text = (ROOT / "examples" / "github-actions.yml").read_text()
    env = dict(re.findall(r"^      (H11SPEC_\w+): (\S*)", text, re.M))
    runs = [m.strip() for m in re.findall(r"^\s+run: (.*)$", text, re.M) if m.strip().startswith("tox ")]
    return env, runs


def _clean_env(tmp_path: Path) -> dict[str, str]:
    drop = ("TOX_", "VIRTUAL_ENV", "PYTHONPATH", "H11SPEC_", "PYTEST_", "COV_CORE", "COVERAGE_")
    env = {k: v for k, v in os.environ.items() if not k.startswith(drop)}
    env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])
    env["H11SPEC_SOURCE"] = (tmp_path / "h11spec-src").as_uri()
    return env


def _copy_checkout(dest: Path) -> None:
    """This checkout's files (tracked ones when git can say which): a clean local path to install from."""
    try:
        listed = subprocess.run(
            ["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True, timeout=60
        ).stdout.split(b"\0")
    except (OSError, subprocess.CalledProcessError):
        skip = ("*.egg-info", "build", "dist", "__pycache__", ".*", "work")
        shutil.copytree(ROOT, dest, ignore=shutil.ignore_patterns(*skip))
        return
    for raw in listed:
        source = ROOT / os.fsdecode(raw)
        if raw and source.is_file():
            (dest / source.relative_to(ROOT)).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, dest / source.relative_to(ROOT))


def _sh(line: str, project: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """Run one documented shell line (``VAR=value tox ...``) in the project, as a shell would."""
    words = shlex.split(line)
    extra = {}
    while words and re.fullmatch(r"[A-Z_][A-Z0-9_]*=.*", words[0]):
        key, _, value = words.pop(0).partition("=")
        extra[key] = value
    assert words[0] == "tox"
    tox = str(Path(sys.executable).parent / "tox")
    return subprocess.run(
        [tox, *words[1:]],
        cwd=project,
        env=env | extra,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )


@pytest.mark.slow
def test_readme_tox_recipe_in_a_downstream_project(tmp_path: Path) -> None:
    """Real tox in a downstream project reports the planted bug and fails, then passes with the baseline."""
    if not (Path(sys.executable).parent / "tox").exists():
        pytest.fail("this test needs tox beside this Python (pip install -e '.[dev]')")
    tox_ini, lines = readme_recipe()
    env_vars, steps = workflow()
    adopt, ratchet, no_baseline, other_impl = lines
    assert adopt == "tox -e conformance -- --write-baseline h11spec-baseline.json"
    assert ratchet == "tox -e conformance" == steps[0]
    assert no_baseline == "H11SPEC_BASELINE= tox -e conformance"
    assert other_impl == "H11SPEC_IMPL=mypkg tox -e conformance"
    assert "--write-baseline" in (ROOT / "examples" / "github-actions.yml").read_text()

    _copy_checkout(tmp_path / "h11spec-src")
    project = tmp_path / "project"
    project.mkdir()
    (project / "tox.ini").write_text(tox_ini)
    (project / "pyproject.toml").write_text(PYPROJECT)
    (project / "myh11.py").write_text(PLANTED)
    (project / "mypkg.py").write_text(BESIDE)
    env = _clean_env(tmp_path)

    # No baseline: the planted bug is reported and the run fails (h11's own MUST failures count too).
    done = _sh(no_baseline, project, env)
    assert done.returncode != 0, done.stdout[-3000:]
    assert re.search(r"FAIL\s+MUST\s+9112/6\.3/cl-plus-sign: ", done.stdout), done.stdout[-3000:]
    assert "== myh11 0.16" in done.stdout

    # The workflow's step before adoption: the missing baseline is a usage error that says how to adopt.
    wf_env = env | env_vars
    done = _sh(steps[0], project, wf_env)
    assert done.returncode != 0
    assert "--write-baseline h11spec-baseline.json" in done.stdout + done.stderr

    # First adoption writes the baseline and passes; from then on the workflow's step passes.
    done = _sh(adopt, project, env)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    assert (project / "h11spec-baseline.json").exists()
    done = _sh(steps[0], project, wf_env)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    assert any("[known]" in line and "9112/6.3/cl-plus-sign" in line for line in done.stdout.splitlines())
    summary = (project / "reports" / "h11spec" / "summary.md").read_text()
    assert "9112/6.3/cl-plus-sign" in summary

    # A module beside tox.ini (not installed) is found through $H11SPEC_IMPL.
    done = _sh(other_impl, project, env)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    assert "== mypkg" in done.stdout
