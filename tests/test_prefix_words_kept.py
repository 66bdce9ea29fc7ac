"""Prefix expansions are kept per view (issue 22): the same words as read afresh, per caller and per bound."""

from __future__ import annotations

import string

from search import Searcher


def test_kept_prefix_words_are_those_read_afresh(corpus_index, searcher):
    for include_private in (False, True):
        view = searcher.view(include_private)
        for prefix in ("a", "co", "m", "z"):
            for limit, scan in ((20, 384), (3, 384), (65, 5000), (20, 5)):
                kept = view.prefix_words(prefix, limit, scan)
                kept.append("ajouté par l'appelant")   # what a caller does to its list stays its own
                with Searcher(corpus_index) as fresh:   # a first read
                    assert view.prefix_words(prefix, limit, scan) == fresh.view(include_private).prefix_words(
                        prefix, limit, scan)


def test_a_search_with_kept_prefixes_is_the_same_search(corpus_index, searcher):
    query = " ".join(f"{letter}*" for letter in string.ascii_lowercase)
    first, again = searcher.search(query), searcher.search(query)
    with Searcher(corpus_index) as fresh:
        assert first.to_dict() == again.to_dict() == fresh.search(query).to_dict()
