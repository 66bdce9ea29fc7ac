"""One contract, two backends: the same expectations for the local index and the Typesense cluster.

Each test runs once per backend (``backend``: a ``search.Searcher`` over
the corpus index, a ``search.cluster.ClusterSearcher`` over the corpus
indexed into the session's cluster) on the real RTES corpus, and the
parity test asks both the same queries — words, phrases, exclusions,
prefixes, facets in the query and as options, typos, the thesaurus,
browsing, dates, pages — expecting the same answer: total, hits and their
scores, facet counts, filters, warnings, corrections. The module runs in
the cluster's xdist group, on the worker that holds the cluster.
"""

from __future__ import annotations

import pytest

from search import DocumentNotFoundError, InvalidFilterError, QuerySyntaxError, SearchBackend
from search.cluster import ClusterSearcher

from cluster_support import index_into
from conftest import CORPUS, SIEG, WEBINAR

pytestmark = pytest.mark.xdist_group("cluster")

QUERIES = [
    ("marchés réservés article 37", {}),
    ('"marchés réservés" SAUF insertion', {}),
    ("ESS -insertion", {}),
    ("constru*", {}),
    ("co-construction des politiques publiques", {}),
    ("(coopératives OU SCIC) ET territoire", {}),
    ("type:étude ESS", {}),
    ("ESS", {"year": ("2017..2018",), "theme": ("commande publique",)}),
    ("", {"territory": ("59",)}),
    ("Enercop", {}),
    ("acheteurs", {}),
    ("titre:ESS", {}),
    ("zzzinexistant", {}),
    ("le la les", {}),
]


@pytest.fixture(scope="module")
def cluster_backend(typesense_cluster):
    local, _ = typesense_cluster
    with ClusterSearcher(index_into(local, "backends", CORPUS)) as backend:
        yield backend


@pytest.fixture(params=["local", "cluster"])
def backend(request, searcher) -> SearchBackend:
    return searcher if request.param == "local" else request.getfixturevalue("cluster_backend")


def _answer(results) -> dict:
    """The JSON of ``results``, but when each backend indexed the resources (the test session's time)."""
    data = results.to_dict()
    for hit in data["hits"]:
        hit["score"] = round(hit["score"], 6)
        del hit["indexed_at"]
    return data


@pytest.mark.parametrize("query, filters", QUERIES, ids=[q or "(vide)" for q, _ in QUERIES])
def test_both_backends_give_the_same_answer(searcher, cluster_backend, query, filters):
    for options in ({}, {"sort": "date"}, {"limit": 2, "page": 2}, {"disjunctive": True}):
        assert _answer(cluster_backend.search(query, filters=filters, **options)) == \
            _answer(searcher.search(query, filters=filters, **options)), options


def test_exports_rank_as_searches(searcher, cluster_backend):
    for query, filters in QUERIES:
        for sort in ("relevance", "date"):
            ours = [(h.id, round(h.score, 6), h.snippets) for h in cluster_backend.hits(query, filters, sort=sort)]
            assert ours == [(h.id, round(h.score, 6), h.snippets) for h in searcher.hits(query, filters, sort=sort)]


def test_the_contract(backend):
    assert isinstance(backend, SearchBackend)
    results = backend.search("marchés réservés")
    assert results.hits[0].id == WEBINAR and results.total == 4
    assert backend.ranking("marchés réservés", depth=2)[0][0] == WEBINAR
    assert backend.document(WEBINAR).year == "2018"
    assert backend.refresh() is False


def test_errors_are_the_same(backend):
    with pytest.raises(InvalidFilterError) as caught:
        backend.search("ESS", filters={"year": "abc"})
    assert caught.value.param == "year"
    with pytest.raises(QuerySyntaxError) as caught:
        backend.search("marchés (réservés", strict=True)
    assert caught.value.position == 8
    with pytest.raises(DocumentNotFoundError):
        backend.document(SIEG)
    with pytest.raises(DocumentNotFoundError):
        backend.document("inconnu")


def test_similar_pages(backend):
    first, second = backend.similar(WEBINAR, limit=3), backend.similar(WEBINAR, limit=3, page=2)
    ids = [h.id for h in first.hits + second.hits]
    assert len(ids) == len(set(ids)) == 6 and WEBINAR not in ids and SIEG not in ids
    assert first.total == second.total >= 6


def test_facets_stats_and_suggestions(backend):
    assert backend.facets()["year"] == {"2022": 1, "2019": 1, "2018": 3, "2017": 4}
    stats = backend.stats()
    assert stats["documents"] == 9 and stats["facet_values"]["type"] == 5
    assert backend.suggest("co-con")[0] == "co-construction"
    assert "Lille" in backend.suggest("Lil")
