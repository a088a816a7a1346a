"""Coverage-guided fuzzing of h11-API implementations with atheris (libFuzzer).

``ls`` shows the architecture:

- ``fuzz.targets``: the four fuzz targets ("server-parse", "client-parse", "send", "differential"),
  each a one-sentence oracle plus a ``check(api, data)`` that raises ``OracleViolation`` when it breaks;
  ``run_one`` runs one input for the executors and for corpus replay.
- ``fuzz.mutator``: the structure-aware mutator (HTTP messages mutated token by token).
- ``fuzz.entry``: the atheris main, ``python -m fuzz.entry --target T --impl I [libFuzzer flags]``; the
  same file is the fuzzer that ClusterFuzzLite/OSS-Fuzz builds wrap.
- ``fuzz.campaign``: ``h11spec fuzz`` campaigns: libFuzzer workers over a shared corpus, live progress,
  clean stop, triage at the end.
- ``fuzz.bench``: executions per second and time-to-find, printed as ratios.
- ``fuzz.triage`` (the corpus helper's): signatures, minimization and corpus/regressions.

Seeds live in ``fuzz/seeds/<target>/`` (package data) and the libFuzzer dictionary in ``fuzz/http.dict``.
"""

from __future__ import annotations
