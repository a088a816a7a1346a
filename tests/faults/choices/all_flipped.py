"""Planted choice: the reference taking the other alternative at every choice point at once; it conforms."""

from __future__ import annotations

from tests.faults.choices._base import flipped

flipped(
    globals(),
    {
        "leading-empty-lines": "ignore",
        "bare-lf": "reject",
        "bare-cr": "replace",
        "obs-fold": "reject",
        "obs-fold-width": "keep-width",
        "whitespace-after-start-line": "consume",
        "cl-identical-list": "reject",
        "cl-te-request": "reject",
        "trailer-fields": "discard",
        "framing-in-trailer": "reject",
        "framing-on-bodyless-response": "reject",
        "other-major-version": "reject",
        "start-line-whitespace": "words",
        "denied-connect": "close",
        "bytes-after-close": "leave",
        "ctl-in-field-value": "reject",
        "response-without-request": "close",
        "close-delimited-response": "close",
        "long-numeral": "value",
        "te-final-chunked-response": "frame",
        "te-not-chunked-response": "close-delimited",
        "connect-request-content": "tunnel",
    },
)
