"""Shared fixtures: the real RTES corpus indexed once per test session."""

from __future__ import annotations

from pathlib import Path

import pytest

from indexer import build_index
from search import Searcher

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
DATA = Path(__file__).resolve().parent / "data"


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
