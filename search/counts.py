"""The order in which every face shows a facet's values, whichever backend counted them."""

from __future__ import annotations


def ordered_counts(field: str, counted) -> dict[str, int]:
    """``(value, count)`` pairs as a facet shows them: years newest first, other values by
    count, largest first, then by name; values counted 0 left out."""
    present = [(value, count) for value, count in counted if count]
    present.sort(key=_year_order if field == "year" else _count_order)
    return dict(present)


def _year_order(item: tuple[str, int]) -> tuple:
    value, _ = item
    return (not value.isdigit(), -int(value) if value.isdigit() else 0, value)


def _count_order(item: tuple[str, int]) -> tuple:
    value, count = item
    return (-count, value)
