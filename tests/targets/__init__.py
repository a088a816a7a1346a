"""Self-tests of the targets layer: loading, probing, adapters and isolation."""
