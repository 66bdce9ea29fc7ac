"""Issue 23 and 22 (1) through the cluster: compounds, corrections that know French, one-way
acronyms and filter values as people type them are planned once (``search.plan``), so the
Typesense cluster answers exactly as the local index, on the real RTES corpus.
The module runs in the cluster's xdist group, on the worker that holds the cluster."""

from __future__ import annotations

import pytest

from search.cluster import ClusterSearcher

from cluster_support import index_into
from conftest import CORPUS

pytestmark = pytest.mark.xdist_group("cluster")

QUERIES = [
    ("tiers lieux", {}),
    ("tiers-lieux", {}),
    ("tierslieux", {}),
    ("coconstruction des politiques publiques", {}),
    ("co construction", {}),
    ("socialle", {}),
    ("ESS", {"type": ("études",)}),
    ("", {"theme": ("marchés publics",)}),
    ("", {"type": ("points de repères",), "territory": ("38000",)}),
    ("", {"type": ("étude de cas",)}),
]


@pytest.fixture(scope="module")
def cluster(typesense_cluster):
    local, _ = typesense_cluster
    with ClusterSearcher(index_into(local, "relevance", CORPUS)) as backend:
        yield backend


def _answer(results) -> tuple:
    return (
        results.total, [(h.id, round(h.score, 6)) for h in results.hits], results.warnings,
        results.filters, results.suggestion, [c.to_dict() for c in results.corrections],
    )


@pytest.mark.parametrize("query, filters", QUERIES, ids=[f"{q}{f}" for q, f in QUERIES])
def test_the_cluster_plans_as_the_local_index(searcher, cluster, query, filters):
    assert _answer(cluster.search(query, filters=filters)) == _answer(searcher.search(query, filters=filters))


def test_the_cluster_says_tiers_is_absent_and_never_thiers(cluster):
    results = cluster.search("tiers-lieux")
    assert "« tiers » ne figure dans aucune ressource" in results.warnings and results.suggestion is None
