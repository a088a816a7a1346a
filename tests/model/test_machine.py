"""The model checker's state machine and byte-stream property as plain pytest tests (and hypofuzz targets).

``run_model`` builds these dynamically; here they are module-level so that pytest, and hypofuzz for
open-ended campaigns (``hypothesis fuzz -- tests/model/test_machine.py``), can collect them. The
implementation under test is $H11SPEC_IMPL (default: the reference), the profile $H11SPEC_PROFILE
(default rfc9112). Under plain pytest they run a few seeded examples; hypofuzz ignores max_examples.
"""

from __future__ import annotations

import os

from hypothesis import seed, settings

from conformance.model.bytestream import byte_property
from conformance.model.coverage import Coverage
from conformance.model.machine import RunStats, make_machine
from conformance.targets.load import load_target, reference_api

TARGET = load_target(os.environ.get("H11SPEC_IMPL", "reference").split(",")[0])
PROFILE = os.environ.get("H11SPEC_PROFILE", "rfc9112")
ORACLE = reference_api()
SMALL = settings(settings.get_profile("h11spec-model-quick"), max_examples=15, stateful_step_count=20)

Machine = make_machine(TARGET.api, ORACLE, coverage=Coverage(), stats=RunStats(), profile=PROFILE)
seed(0)(Machine)
TestModelMachine = Machine.TestCase
TestModelMachine.settings = SMALL

test_byte_streams = seed(0)(
    settings(SMALL, max_examples=40)(
        byte_property(TARGET.api, ORACLE, PROFILE, Coverage(), lambda failed: None)
    )
)
test_byte_streams.__doc__ = "Generated request and response streams give the oracle's outcome and events."
