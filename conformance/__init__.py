"""h11spec: conformance catalog, model checker and fuzzing harness for the h11 API.

``ls`` shows the architecture:

- ``conformance.reference``: our own RFC-strict implementation of the h11 API, the oracle.
- ``conformance.targets.load``: loads, probes and isolates an implementation under test.
- ``conformance.catalog.cases`` and ``conformance.catalog.grade``: the catalog and its grading.
- ``conformance.model``: the Hypothesis model checker.
- ``conformance.reports``: JSON, JUnit, Markdown and HTML reports.
- ``fuzz``: atheris targets, campaigns, triage and regression corpora.
"""

from __future__ import annotations

__version__ = "0.1.0"
