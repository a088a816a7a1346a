"""Planted-fault implementations of the h11 API, one bug each, for the targets layer's self-tests.

Each module is a thin wrapper over the reference implementation (h11 until the reference imports) and
is named by --impl like any implementation, e.g. ``--impl tests.faults.targets.hang``; the isolated
workers import them by that name.
"""
