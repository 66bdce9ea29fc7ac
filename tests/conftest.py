"""Shared fixtures: the real RTES corpus indexed once per test session, the resources tests name,
the HTTP test client, and the markers of the slow lanes.

Markers (declared in ``setup.cfg``) are given here by file or by fixture, so
a new test in a slow file or using a slow fixture is marked without a word:
``make test-fast`` runs what is left (``-m "not slow and not cluster and not browser"``).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from indexer import build_index
from search import Searcher

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
DATA = Path(__file__).resolve().parent / "data"

# Resources of corpus/ that tests name (their ids).
WEBINAR = "retour-sur-la-conference-en-ligne-marches-reserves-du-5-juin-2018"
SIEG = "les-services-d-interet-economique-general"
ENERCOOP = "fiche-deniche-pour-vous-n-4-ville-de-lille-enercoop"
MARCHES = "points-de-reperess-du-rtes-marches-publics-ess"
COCONST_FICHE = "point-de-reperess-co-construction-des-politiques-publiques"
COCONST_CONF = "la-co-construction-des-politiques-publiques-conference-en-ligne-4-decembre-2018"
CLERMONT = "1ere-rencontre-auvergne-rhone-alpes-des-collectivites-autour-de-l-ess-clermont-f"
CITEGO = "retrouvez-l-etude-rtes-citego-l-ess-une-opportunite-pour-repenser-la-cooperation"

# What the fast lane leaves out. Files: evaluations over whole collections, the benchmark's own
# run on a sample, the big Hypothesis and schemathesis runs, the tests of a real Typesense
# cluster (some reach it through ``request.getfixturevalue``, which no marker sees) and those
# of a real browser.
SLOW_FILES = {
    "test_cdtn.py", "test_rtes.py", "test_bench.py",
    "test_query_properties.py", "test_http_fuzz.py", "test_analysis_cache.py",
}
CLUSTER_FILES = {"test_cluster.py", "test_cluster_search.py", "test_backends.py"}
BROWSER_FILES = {"test_browser.py", "test_embed_browser.py", "test_accessibility.py"}
CLUSTER_FIXTURES = {"typesense_cluster"}
BROWSER_FIXTURES = {"browser"}


def pytest_collection_modifyitems(items):
    for item in items:
        name = item.path.name
        fixtures = set(getattr(item, "fixturenames", ()))
        if name in SLOW_FILES:
            item.add_marker(pytest.mark.slow)
        if name in CLUSTER_FILES or fixtures & CLUSTER_FIXTURES:
            item.add_marker(pytest.mark.cluster)
        if name in BROWSER_FILES or fixtures & BROWSER_FIXTURES:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def corpus_index(tmp_path_factory) -> Path:
    """A directory holding the index of corpus/."""
    index_dir = tmp_path_factory.mktemp("index")
    build_index([CORPUS], index_dir)
    return index_dir


@pytest.fixture(scope="session")
def searcher(corpus_index) -> Searcher:
    with Searcher(corpus_index) as s:
        yield s


@pytest.fixture(scope="session")
def typesense_cluster(tmp_path_factory):
    """One real 3-node Typesense cluster for every cluster test of the session (``cluster_support``)."""
    from cluster_support import running_cluster

    yield from running_cluster(tmp_path_factory.mktemp("cluster"))


@pytest.fixture(scope="module")
def client(corpus_index):
    """The real web app over the corpus index (``http_support.make_app``), in process."""
    from fastapi.testclient import TestClient

    from http_support import make_app

    with TestClient(make_app(corpus_index)) as test_client:
        yield test_client
