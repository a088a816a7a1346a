"""The ``h11spec`` command line and the pytest plugin: one module per subcommand.

``cli`` is the console entry point (``main``) and dispatches to ``run``, ``model``, ``fuzz``, ``corpus``,
``probe``, ``bench`` and ``shim``; ``checks`` holds the input checks every command makes before any work;
``progress`` shows a run's phases; ``session`` runs one ``h11spec run`` (engines, baseline, exit status);
``pytest_plugin`` exposes the catalog as pytest items; ``strict_h11`` makes ``import h11`` give the
reference (for ``shim`` and the plugin's ``--h11spec-strict-h11``). Nothing is imported here, so that
``python -m conformance.commands.cli`` and the plugin load only what they use.
"""

from __future__ import annotations
