"""Strict-h11: make ``import h11`` give the RFC-strict reference, inside a dependent's own process.

Theory of operation: a project built on h11 (a server such as uvicorn, a client such as httpcore, wsproto)
can run its own tests with ``conformance.reference`` in place of h11 and see where it relies on h11's
leniencies: where the reference refuses to send what the project sends (a Content-Length on a 204) or
refuses to accept what it is fed. ``install()`` puts a finder first on ``sys.meta_path`` that answers
``h11`` and the private modules dependents import (``h11._connection``, ``h11._headers``, ...) with
modules built from the reference: the reference's public names, plus those of the reference module that
does the same job (``PRIVATE``), plus the few names h11 spells differently (``RENAMED``). A name the
reference does not have is an ImportError in the dependent, which says exactly what it relied on. h11
modules imported before ``install()`` are dropped from ``sys.modules`` so the next import is the
reference's. The pytest plugin calls ``install()`` for ``--h11spec-strict-h11`` (before conftests load);
``h11spec shim -- CMD`` does it in CMD and every Python process it starts, through a ``sitecustomize``
on ``PYTHONPATH`` (``conformance/commands/shim_site``) that acts when ``$H11SPEC_STRICT_H11`` is set.
"""

from __future__ import annotations

import importlib
import importlib.abc
import importlib.machinery
import sys
import types
from collections.abc import Sequence

ENV_VAR = "H11SPEC_STRICT_H11"
REFERENCE = "conformance.reference"
MARK = "__h11spec_strict__"

# h11's private module -> the reference modules that do its job (their public names are copied in).
PRIVATE: dict[str, tuple[str, ...]] = {
    "_abnf": ("abnf",),
    "_connection": ("connection",),
    "_events": ("events",),
    "_headers": ("headers",),
    "_readers": ("readers",),
    "_writers": ("writers",),
    "_state": ("state", "sentinels"),
    "_util": ("errors", "sentinels"),
    "_receivebuffer": ("readers",),
    "_version": (),
}

# Names h11 spells differently: h11 module -> {h11 name: reference name in the same module}.
RENAMED: dict[str, dict[str, str]] = {
    "_connection": {"DEFAULT_MAX_INCOMPLETE_EVENT_SIZE": "INCOMPLETE_LIMIT_DEFAULT"},
}


def _public(module: types.ModuleType) -> dict[str, object]:
    names: Sequence[str] = getattr(module, "__all__", None) or [
        n for n in vars(module) if not n.startswith("_")
    ]
    return {name: getattr(module, name) for name in names if hasattr(module, name)}


def build(fullname: str) -> types.ModuleType:
    """The module that stands in for ``fullname`` (``h11`` or ``h11._<private>``).

    Raises:
        ModuleNotFoundError: ``fullname`` is an h11 module the reference has no stand-in for.
    """
    reference = importlib.import_module(REFERENCE)
    module = types.ModuleType(fullname, f"{fullname} served by h11spec's strict reference ({REFERENCE})")
    module.__dict__.update(_public(reference))
    module.__dict__["__version__"] = reference.__version__
    module.__dict__[MARK] = True
    if fullname == "h11":
        module.__path__ = []  # a package, so that h11._connection can be imported
        return module
    private = fullname.removeprefix("h11.")
    if private not in PRIVATE:
        raise ModuleNotFoundError(f"strict-h11: the reference has no stand-in for {fullname}", name=fullname)
    for part in PRIVATE[private]:
        module.__dict__.update(_public(importlib.import_module(f"{REFERENCE}.{part}")))
    for h11_name, ours in RENAMED.get(private, {}).items():
        module.__dict__[h11_name] = module.__dict__[ours]
    return module


class StrictH11Finder(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """Answers ``h11`` and ``h11.*`` with modules built from the reference (``build``)."""

    def find_spec(
        self, fullname: str, path: Sequence[str] | None = None, target: types.ModuleType | None = None
    ) -> importlib.machinery.ModuleSpec | None:
        """A spec for h11 and its known private modules; None for everything else."""
        if fullname == "h11" or (fullname.startswith("h11.") and fullname[4:] in PRIVATE):
            return importlib.machinery.ModuleSpec(fullname, self, is_package=fullname == "h11")
        return None

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> types.ModuleType:
        """The stand-in module."""
        return build(spec.name)

    def exec_module(self, module: types.ModuleType) -> None:
        """Nothing to run: ``build`` filled the module."""


def installed() -> bool:
    """Whether the finder is on ``sys.meta_path``."""
    return any(isinstance(f, StrictH11Finder) for f in sys.meta_path)


def install() -> list[str]:
    """Put the finder first on ``sys.meta_path`` (once) and forget h11 modules already imported.

    Returns:
        The names of the real h11 modules that had been imported before (modules that imported them
        keep them; say so to the user).
    """
    dropped = [
        name
        for name, module in list(sys.modules.items())
        if (name == "h11" or name.startswith("h11.")) and not getattr(module, MARK, False)
    ]
    for name in dropped:
        del sys.modules[name]
    if not installed():
        sys.meta_path.insert(0, StrictH11Finder())
    return dropped


def uninstall() -> None:
    """Take the finder off ``sys.meta_path`` and forget the stand-in modules."""
    sys.meta_path[:] = [f for f in sys.meta_path if not isinstance(f, StrictH11Finder)]
    for name, module in list(sys.modules.items()):
        if getattr(module, MARK, False):
            del sys.modules[name]
