#!/usr/bin/env python3
"""p50/p95 of searches with facet counts on a built index (100,000 law articles, say).

    .venv/bin/python scripts/bench/facet_speed.py /tmp/law-ix [--repeat 3]

Each query runs ``Searcher.search`` (hits, snippets and facet counts over
the whole result set); the facet counting alone is also timed on the same
result sets. The first call, which reads every facet value's postings, is
reported apart. A measurement, not a test.
"""

from __future__ import annotations

import argparse
import statistics
import time

from search import Searcher

QUERIES = [
    "", "commune", "département", "région", "marchés publics", "conseil municipal", "Paris", "Corse",
    "Mayotte", "outre-mer", "coopérative", "subvention", "insertion", "collectivités territoriales",
    "article", "délégation de service public", "établissement public", "Guyane", "transition énergétique",
    "sécurité sociale",
]
FILTERED = [{"territory": "Île-de-France"}, {"theme": "outre-mer"}, {"territory": ["Mayotte", "Guyane"]}]


def percentiles(ms: list[float]) -> str:
    ms = sorted(ms)
    return f"p50 {statistics.median(ms):.1f} ms, p95 {ms[int(len(ms) * 0.95)]:.1f} ms (n={len(ms)})"


def timed(call) -> tuple[float, object]:
    started = time.perf_counter()
    result = call()
    return (time.perf_counter() - started) * 1000, result


def _passing(facets, filters: dict) -> object:
    """The mask of the visible documents passing ``filters`` (resolved stored values, as echoed)."""
    mask = facets.visible(False).copy()
    for name, values in filters.items():
        mask &= facets.mask(name, tuple(values))
    return mask


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("index_dir")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with Searcher(args.index_dir) as searcher:
        first, _ = timed(lambda: searcher.search("commune"))
        print(f"first search (reads facet postings): {first:.0f} ms; documents: {searcher.stats()['documents']}")
        searches, counts = [], []
        facet_index = searcher._facets  # the bench isolates facet counting; faces never do this
        for _ in range(args.repeat):
            for query in QUERIES:
                for filters in [None, *FILTERED]:
                    ms, results = timed(lambda: searcher.search(query, filters=filters))
                    searches.append(ms)
                    matched = _passing(facet_index, results.filters)
                    counts.append(timed(lambda: facet_index.counts(matched))[0])
        values = {name: len(v) for name, v in searcher.facets().items()}
    print("search with facets:", percentiles(searches))
    print("facet counts alone, over every document passing the filters:", percentiles(counts))
    print("facet values:", values)


if __name__ == "__main__":
    main()
