"""Planted faults in the harness's own executor (installed in a subprocess only, never in the test run)."""
