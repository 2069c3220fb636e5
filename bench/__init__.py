"""Benchmarks: ratios against a baseline measured in the same run (the machines are noisy)."""
