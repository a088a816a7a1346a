"""The ``h11spec`` command line and the pytest plugin: one module per subcommand.

``cli`` is the console entry point (``main``) and dispatches to ``run``, ``model``, ``fuzz``, ``corpus``,
``probe`` and ``bench``; ``session`` runs one ``h11spec run`` (engines, baseline, exit status);
``pytest_plugin`` exposes the catalog as pytest items. Nothing is imported here, so that
``python -m conformance.commands.cli`` and the plugin load only what they use.
"""

from __future__ import annotations
