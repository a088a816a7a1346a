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
- ``H11SPEC_VERSION``: the version string reports show (default: the module's ``__version__``);
- ``Connection.h11spec_expect_response_to(self, method: bytes) -> None``, the request hook: a client
  Connection that cannot send (a parse-only adapter) does not know what request its responses answer,
  though a response to HEAD has no body and a 2xx to CONNECT opens a tunnel. Before feeding a client
  byte case, the driver (``conformance.drive.feed``) calls the hook with the method of the request that
  case assumes; every response read afterwards answers a request with that method. The hook, or a
  ``send`` (the driver then sends the request itself), gives the capability "request-context"; a case
  whose request is not a GET is skipped without it, with the reason.

Status hints are a capability of their own, "status-hints": the ``RemoteProtocolError`` a target raises
carries ``error_status_hint``, the status a server would answer with. An adapter whose library gives
no such status leaves it out of ``H11SPEC_CAPABILITIES``; the catalog then grades its rejections by
class alone and says so in the row's message, instead of failing every case that pins a status.

Events an adapter returns must have the h11 field names (``drive.event_record`` reads ``method``,
``target``, ``headers`` as (name, value) pairs, ``http_version``, ``status_code``, ``reason``, ``data``),
and ``next_event`` must raise the adapter's own ``RemoteProtocolError`` for bytes the library rejects:
anything else escaping is graded as a crash. ``conformance.targets.adapters.kit`` provides ready-made
sentinels, events and exceptions. The adapters shipped here are worked examples: ``httptools`` (parse only,
request hook), ``h11r`` (h11r's own parsing and sending API under h11's names), ``aiohttp`` and
``aiohttp_py`` (aiohttp's C and pure-Python HTTP/1.1 parsers, parse only, request hook). Adapters run in
isolated workers by default, like any untrusted implementation, and their classes must live at module level
so results can be pickled.
"""

from __future__ import annotations
