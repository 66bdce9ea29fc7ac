"""A new build replaces the index atomically; a failed build leaves it in place."""

from __future__ import annotations

import os

import pytest

from indexer import IndexerError, build_index
from indexer.storage import current_generation
from search import Searcher

from conftest import CORPUS, DATA


def test_rebuild_switches_generation_and_keeps_the_previous_one(tmp_path):
    build_index([CORPUS], tmp_path)
    first = current_generation(tmp_path)
    with Searcher(tmp_path) as searcher:
        build_index([DATA / "malformed-export.txt"], tmp_path)
        second = current_generation(tmp_path)
        assert second != first and first.exists()
        # The open searcher still reads the old generation until it refreshes.
        assert searcher.search("").total == 9
        assert searcher.refresh() is True
        assert searcher.search("").total == 2
    build_index([CORPUS], tmp_path)
    assert not first.exists(), "generations older than the previous one are removed"


def test_failed_build_keeps_the_current_index(tmp_path):
    build_index([CORPUS], tmp_path)
    before = current_generation(tmp_path)
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(IndexerError, match="aucun document indexable"):
        build_index([empty], tmp_path)
    assert current_generation(tmp_path) == before
    assert Searcher(tmp_path).search("").total == 9


def test_current_is_a_relative_symlink(tmp_path):
    build_index([CORPUS], tmp_path)
    assert not os.path.isabs(os.readlink(tmp_path / "current"))
