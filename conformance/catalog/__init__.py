"""The conformance catalog: cases as data, and the engine that grades an implementation against them.

This is the package's face. ``conformance.catalog.case`` defines the case record (``Case``) and its
outcomes (``Accept``, ``Reject``, ``Either``); ``conformance.catalog.cases`` holds every case, one module
per topic; ``conformance.catalog.grade`` evaluates cases through an executor and grades the observations
(``run_catalog``). ``conformance.catalog.rfc`` reads the requirement sentences of an RFC source,
``conformance.catalog.requirements`` classifies each one once and names the cases that check it, and
``conformance.catalog.coverage`` counts how many testable ones the cases cover.
"""

from __future__ import annotations

from conformance.catalog.case import Accept, Case, Either, Reject
from conformance.catalog.cases import CATALOG, select
from conformance.catalog.grade import run_catalog

__all__ = ["CATALOG", "Accept", "Case", "Either", "Reject", "run_catalog", "select"]
