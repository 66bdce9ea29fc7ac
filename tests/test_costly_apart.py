"""Costly searches run apart (issue 22): another process, one at a time, holding none of the pool's searchers."""

from __future__ import annotations

import string
import threading

import pytest

from search import Searcher
from search.errors import InvalidFilterError, QuerySyntaxError
from search.http import apart
from search.http.shared import SharedSearcher
from search.plan import costly
from conftest import SIEG

COSTLY = " ".join(f"{letter}*" for letter in string.ascii_lowercase)


@pytest.fixture
def shared(corpus_index):
    """No time budget, here nor in ``searcher``: on a loaded machine the niced process may pass 1 s, and
    the results would then be partial (``search.budget``), not different."""
    pool = SharedSearcher(corpus_index, size=1, time_budget=None)
    yield pool
    pool.close()


@pytest.fixture
def searcher(corpus_index):
    with Searcher(corpus_index, time_budget=None) as unhurried:
        yield unhurried


def test_what_runs_apart():
    assert costly(COSTLY) and costly("constru* march*") and costly("(a* OU b*) c") and costly("a* -b*")
    assert not costly("a*") and not costly("marchés publics") and not costly('"a* b*"') and not costly("")


@pytest.mark.parametrize("include_private", [False, True])
def test_apart_the_same_results_as_in_the_server(shared, searcher, include_private):
    for query, options in [(COSTLY, {}), ("constru* réserv*", {"sort": "date"}), (COSTLY, {"page": 2, "limit": 3}),
                           ("s* i*", {"filters": {"year": "2018"}, "disjunctive": True})]:
        with shared.use() as lent:
            found = lent.search(query, include_private=include_private, **options)
        assert shared._apart._process is not None   # it did run apart
        assert found.to_dict() == searcher.search(query, include_private=include_private, **options).to_dict()
    with shared.use() as lent:
        ids = {hit.id for hit in lent.search("s* i*", limit=100, include_private=include_private).hits}
    assert (SIEG in ids) == include_private


def test_apart_the_same_errors(shared):
    with shared.use() as lent, pytest.raises(QuerySyntaxError) as syntax:
        lent.search("a* (b*", strict=True)
    with shared.use() as lent, pytest.raises(InvalidFilterError) as year:
        lent.search("a* b*", filters={"year": "abc"})
    assert syntax.value.position == 3 and "parenthèse" in str(syntax.value)
    assert year.value.param == "year" and "année invalide" in str(year.value)


def test_a_costly_search_waiting_for_its_turn_holds_no_searcher(shared):
    """The pool has one searcher; a costly search waits for the process apart (held here, as a long
    costly search would), and an ordinary search still gets the searcher meanwhile."""
    answered: dict[str, int] = {}

    def request(name, query):
        with shared.use() as lent:
            answered[name] = lent.search(query).total

    with shared._apart._turn:
        waiting = threading.Thread(target=request, args=("costly", COSTLY))
        waiting.start()
        ordinary = threading.Thread(target=request, args=("ordinary", "marchés réservés"))
        ordinary.start()
        ordinary.join(30)   # with the searcher taken by the waiting one, it would never end
        assert answered.get("ordinary", 0) > 0 and "costly" not in answered and waiting.is_alive()
    waiting.join(60)
    assert answered["costly"] > 0


def test_past_the_waiting_ones_a_costly_search_runs_in_the_server(shared, searcher):
    slots = [shared._apart._slots.acquire(blocking=False) for _ in range(1 + apart.WAITING)]
    assert all(slots)
    try:
        with shared.use() as lent:
            found = lent.search(COSTLY)
    finally:
        for _ in slots:
            shared._apart._slots.release()
    assert shared._apart._process is None   # never started
    assert found.to_dict() == searcher.search(COSTLY).to_dict()


def test_a_dead_process_apart_is_started_again(shared, searcher):
    with shared.use() as lent:
        lent.search(COSTLY)
    first = shared._apart._process
    first.kill()
    first.wait()
    with shared.use() as lent:
        found = lent.search(COSTLY)   # this one runs in the server, the next apart again
    with shared.use() as lent:
        again = lent.search(COSTLY)
    assert found.to_dict() == again.to_dict() == searcher.search(COSTLY).to_dict()
    assert shared._apart._process is not None and shared._apart._process is not first
    shared.close()
    assert shared._apart._process is None
