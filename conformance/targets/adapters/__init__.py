"""Adapters: run h11spec against a library whose API is not h11's.

Theory of operation: ``--impl package.module:Adapter`` makes ``load_target`` import ``package.module``
and use its attribute ``Adapter`` (a class used as a namespace, a module, or any object) in place of a
module exposing the h11 API. The adapter interface is therefore the h11 API itself, restricted to what
the library can do, plus two optional declarations:

- the h11 names it supports, as attributes: ``Connection``, the event classes (``Request``,
  ``InformationalResponse``, ``Response``, ``Data``, ``EndOfMessage``, ``ConnectionClosed``), the
  sentinels (``NEED_DATA``, ``PAUSED``, ``CLIENT``, ``SERVER``, the states) and the exceptions
  (``ProtocolError``, ``LocalProtocolError``, ``RemoteProtocolError``). A name the library cannot honour
  is simply absent: the probe then withholds the capabilities that need it, and the checks that need
  those are skipped with the reason (``conformance.targets.probe.CAPABILITY_NEEDS`` is the table);
- ``H11SPEC_CAPABILITIES``: a set of capability names (``conformance.targets.load``) the adapter claims.
  The target gets the *intersection* of this set and what the probe finds, so an adapter can decline
  a capability its names would suggest (a context-only ``send``, say) but can never claim one whose
  names are missing. An unknown name is a usage error;
- ``H11SPEC_VERSION``: the version string reports show (default: the module's ``__version__``).

Events an adapter returns must have the h11 field names (``drive.event_record`` reads ``method``,
``target``, ``headers`` as (name, value) pairs, ``http_version``, ``status_code``, ``reason``,
``data``), and ``next_event`` must raise the adapter's own ``RemoteProtocolError`` for bytes the
library rejects: anything else escaping is graded as a crash. ``conformance.targets.adapters.kit`` provides
ready-made sentinels, events and exceptions; ``conformance.targets.adapters.httptools`` is the worked example
(a parse-only adapter for httptools/llhttp). Adapters run in isolated workers by default, like any
untrusted implementation, and their classes must live at module level so results can be pickled.
"""

from __future__ import annotations
