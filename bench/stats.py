"""Percentiles of one run, and medians across runs."""

from __future__ import annotations

import statistics

PERCENTILES = (50, 95, 99)


def percentiles(values: list[float]) -> dict[str, float]:
    """``{"p50": …, "p95": …, "p99": …}`` (linear interpolation between samples)."""
    if len(values) < 2:
        value = values[0] if values else 0.0
        return {f"p{p}": value for p in PERCENTILES}
    cuts = statistics.quantiles(values, n=100, method="inclusive")
    return {f"p{p}": cuts[p - 1] for p in PERCENTILES}


def median_of_runs(runs: list[dict]) -> dict:
    """The median of each numeric leaf over runs of the same shape.

    Other leaves (the slowest queries) are the first run's.
    """
    first = runs[0]
    if isinstance(first, dict):
        return {key: median_of_runs([run[key] for run in runs]) for key in first}
    if isinstance(first, (int, float)):
        return statistics.median(runs)
    return first
