"""Tests of conformance.reference: unit tests run against h11 and the reference, plus differential tests."""
