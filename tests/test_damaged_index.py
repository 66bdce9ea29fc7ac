"""A damaged index stops the search faces with a French message and the command that repairs it.

Each case damages a fresh copy of the corpus index the way a disk or a
hand can: a truncated segment file, a garbled table of contents, 64 bytes
inverted in a posting list or in the stored fields (sizes kept: only the
checksums see it, when a search reads the damaged block). The
library raises ``DamagedIndexError`` (a kind of "no index": nothing can be
searched until it is rebuilt), the CLI exits 1 without a traceback, the
HTTP API answers 503 with a French JSON error; a searcher that was open
keeps answering from the generation it holds when the new one is broken.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient

from indexer import build_index
from search import DamagedIndexError, Searcher
from search.cli import cli

from conftest import CORPUS
from damage_support import FLIPS, SEGMENT_DAMAGES, truncate_a_segment
from http_support import make_app


def damaged_copy(tmp_path: Path, damage) -> Path:
    """A fresh index of the corpus, then ``damage``d."""
    index_dir = tmp_path / "index"
    build_index([CORPUS], index_dir)
    damage(index_dir)
    return index_dir


@pytest.fixture(params=SEGMENT_DAMAGES, ids=["segment", "toc"])
def damaged(request, tmp_path) -> Path:
    return damaged_copy(tmp_path, request.param)


def test_the_library_says_it_is_damaged_and_how_to_repair(damaged):
    with pytest.raises(DamagedIndexError, match="index endommagé") as raised:
        Searcher(damaged)
    assert "--rebuild" in str(raised.value) and str(damaged) in str(raised.value)


@pytest.mark.parametrize("command", [["search", "ESS"], ["stats"], ["facets"], ["show", "x"]])
def test_the_command_line_fails_in_french_with_exit_1(damaged, command):
    result = CliRunner().invoke(cli, [*command, "--index-dir", str(damaged)])
    assert result.exit_code == 1, result.output
    assert "index endommagé" in result.output and "--rebuild" in result.output
    assert "Traceback" not in result.output and "Error" not in result.output.replace("Erreur", "")


def test_the_http_api_answers_503_with_a_french_json_error(damaged):
    with TestClient(make_app(damaged)) as client:
        answer = client.get("/api/v1/search", params={"q": "ESS"})
    assert answer.status_code == 503
    assert "index endommagé" in answer.json()["error"]["message"]


def test_an_open_searcher_keeps_its_generation_when_the_new_one_is_broken(tmp_path):
    index_dir = tmp_path / "index"
    build_index([CORPUS], index_dir)
    with Searcher(index_dir) as searcher:
        before = searcher.search("ESS").total
        build_index([CORPUS], index_dir)  # a new generation becomes current…
        truncate_a_segment(index_dir)  # …and is damaged
        with pytest.raises(DamagedIndexError):
            searcher.refresh()
        assert searcher.search("ESS").total == before  # still the generation it held


@pytest.fixture(params=FLIPS, ids=["posting-list", "stored-fields"])
def flipped(request, tmp_path) -> Path:
    return damaged_copy(tmp_path, request.param)


def test_a_search_reading_a_flipped_block_says_which_block_and_how_to_repair(flipped):
    with Searcher(flipped) as searcher:  # opening reads no damaged block
        with pytest.raises(DamagedIndexError, match="index endommagé") as raised:
            searcher.search("ESS")
    assert "bloc endommagé : gen-" in str(raised.value) and f"--rebuild --index-dir {flipped}" in str(raised.value)


def test_the_command_line_says_a_flipped_block_is_damage_with_exit_1(flipped):
    result = CliRunner().invoke(cli, ["search", "ESS", "--index-dir", str(flipped)])
    assert result.exit_code == 1, result.output
    assert "index endommagé" in result.stderr and "bloc endommagé" in result.stderr and "--rebuild" in result.stderr
    assert "interne" not in result.stderr and "Traceback" not in result.output


def test_the_http_api_answers_503_for_a_flipped_block(flipped):
    with TestClient(make_app(flipped)) as client:
        answer = client.get("/api/v1/search", params={"q": "ESS"})
    assert answer.status_code == 503
    assert "index endommagé" in answer.json()["error"]["message"]
