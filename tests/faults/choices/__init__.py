"""Planted implementations that take other alternatives at the RFC's choice points (and near-misses).

Each ``flip_*`` module is the reference with one choice point switched (``all_flipped`` with all of
them): every engine must grade it as conforming. Each ``near_*`` module takes an alternative the RFC
does not allow: every engine must catch it. Each ``mixed_*`` module takes one allowed alternative
at the first occurrence of a point on a connection and another later: the engines report it as
information, never as a failure; ``near_mixed_*`` takes a disallowed one later, and is still caught.
"""
