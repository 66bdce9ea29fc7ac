"""One query's work is bounded (issue 22): prefix expansions capped, a time budget, searches side by side."""

from __future__ import annotations

import string
import threading

from search import Searcher
from search.compile import Compiler
from search.http.shared import SharedSearcher
from search.query import Word

COSTLY = " ".join(f"{letter}*" for letter in string.ascii_lowercase)


class CountingView:
    """The part of a view ``Compiler.prefix`` uses, recording what it is asked."""

    def __init__(self, searcher):
        self.real, self.asked = searcher.view(), []

    def analyzer(self, field):
        return self.real.analyzer(field)

    def prefix_words(self, prefix, limit, scan):
        self.asked.append((prefix, limit, scan))
        return self.real.prefix_words(prefix, limit, scan)


def test_the_prefixes_of_one_query_share_512_words_and_their_reading(searcher):
    view = CountingView(searcher)
    compiler = Compiler(view, prefixes=26)
    for letter in string.ascii_lowercase:
        compiler.build(Word(letter, 0, prefix=True))
    assert {(limit, scan) for _, limit, scan in view.asked} == {(19 + 1, 10_000 // 26)}  # 19 kept, one more to know
    alone = CountingView(searcher)
    Compiler(alone, prefixes=1).build(Word("constru", 0, prefix=True))
    assert alone.asked == [("constru", 64 + 1, 5000)]


def test_a_prefix_with_more_words_than_its_share_says_so(searcher):
    results = searcher.search(COSTLY)
    capped = [w for w in results.warnings if w.startswith("trop de mots commencent par")]
    assert capped and "seuls les 19 plus fréquents sont cherchés" in capped[0]
    assert not [w for w in searcher.search("constru*").warnings if w.startswith("trop de mots")]
    words = {t for field, terms in _highlighted(searcher, COSTLY).items() if field == "words" for t in terms}
    assert len(words) <= 512


def _highlighted(searcher, query):
    from search.plan import plan_search

    return plan_search(query, searcher.view(), {}).highlight().terms


def test_past_its_time_budget_a_search_returns_what_it_has_and_says_so(corpus_index, searcher):
    full = searcher.search("marchés réservés")
    with Searcher(corpus_index, time_budget=1e-9) as hurried:
        partial = hurried.search("marchés réservés")
        cut_prefix = hurried.search("constru* marchés")
    assert partial.total == full.total and [h.id for h in partial.hits] == [h.id for h in full.hits]
    assert "recherche arrêtée au bout de 1e-09 s : résultats partiels (requête trop coûteuse)" in partial.warnings
    assert all(not s.highlights for h in partial.hits for s in h.snippets)  # openings, not marked fragments
    assert any(s.highlights for h in full.hits for s in h.snippets)
    assert any(w.startswith("recherche arrêtée") for w in cut_prefix.warnings)
    assert not [w for w in full.warnings if w.startswith("recherche arrêtée")]


def test_a_search_in_progress_does_not_hold_the_others(corpus_index):
    """With one searcher for the server, the second request waited for the first to finish."""
    shared = SharedSearcher(corpus_index)
    holding, finished = threading.Event(), threading.Event()

    def slow_request():
        with shared.use():
            holding.set()
            finished.wait(30)  # holds its searcher until the other request is done

    def other_request():
        with shared.use() as searcher:
            answered.append(searcher.search("ESS").total)

    answered: list[int] = []
    slow, other = threading.Thread(target=slow_request), threading.Thread(target=other_request)
    slow.start()
    assert holding.wait(30)
    other.start()
    other.join(30)
    held_meanwhile = slow.is_alive()
    finished.set()
    slow.join()
    other.join()
    shared.close()
    assert held_meanwhile and answered and answered[0] > 0


def test_the_servers_time_budget_is_a_setting(corpus_index):
    from fastapi.testclient import TestClient

    from search.http import Settings

    from http_support import make_app

    assert Settings.from_env({"RTES_SEARCH_TIME_BUDGET": "0.25"}).time_budget == 0.25
    assert Settings.from_env({"RTES_SEARCH_TIME_BUDGET": "0"}).time_budget is None
    assert Settings.from_env({}).time_budget == 1.0
    with TestClient(make_app(corpus_index, time_budget=1e-9)) as hurried:
        warnings = hurried.get("/api/v1/search", params={"q": "marchés réservés"}).json()["warnings"]
    assert any(w.startswith("recherche arrêtée au bout de") for w in warnings)

