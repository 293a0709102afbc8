"""Benchmarks: ``python -m bench.speed`` (matching speed at scale); quality is ``python -m bench.quality``."""
