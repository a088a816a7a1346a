"""A parse-only adapter for aiohttp's pure-Python HTTP/1.1 parsers (``HttpRequestParserPy``,
``HttpResponseParserPy``): what aiohttp runs without its C extension (``AIOHTTP_NO_EXTENSIONS=1``).

Run it with ``--impl conformance.targets.adapters.aiohttp_py:Adapter``. Theory of operation: the same
bridge as ``conformance.targets.adapters.aiohttp`` (read its docstring), over the other parser classes.
"""

from __future__ import annotations

from typing import Any

import aiohttp
from aiohttp import http_parser

from conformance.targets.adapters import aiohttp as bridge


class Connection(bridge.Connection):
    """The bridge over aiohttp's pure-Python parsers."""

    REQUEST_PARSER: Any = http_parser.HttpRequestParserPy
    RESPONSE_PARSER: Any = http_parser.HttpResponseParserPy
    RESPONSE_TAKES_METHOD = True


class Adapter(bridge.Adapter):
    """The namespace ``--impl conformance.targets.adapters.aiohttp_py:Adapter`` names."""

    H11SPEC_VERSION = f"aiohttp {aiohttp.__version__} (pure-Python parser)"
    Connection = Connection
