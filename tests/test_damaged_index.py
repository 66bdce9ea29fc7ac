"""A damaged index stops the search faces with a French message and the command that repairs it.

Each case damages a fresh copy of the corpus index the way a disk or a
hand can: a truncated segment file, a garbled table of contents. The
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
from damage_support import SEGMENT_DAMAGES, truncate_a_segment
from http_support import make_app


@pytest.fixture(params=SEGMENT_DAMAGES, ids=["segment", "toc"])
def damaged(request, tmp_path) -> Path:
    index_dir = tmp_path / "index"
    build_index([CORPUS], index_dir)
    request.param(index_dir)
    return index_dir


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
