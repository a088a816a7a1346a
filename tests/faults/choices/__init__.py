"""Planted implementations that take other alternatives at the RFC's choice points (and near-misses).

Each ``flip_*`` module is the reference with one choice point switched (``all_flipped`` with all of
them): every engine must grade it as conforming. Each ``near_*`` module takes an alternative the RFC
does not allow: every engine must catch it.
"""
