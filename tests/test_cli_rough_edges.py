"""What a newcomer meets first on the command line: run from the wrong folder, a typo, a page too far."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from search.cli import cli


@pytest.mark.parametrize("command", [["search", "ESS"], ["show", "x"], ["facets"], ["similar", "x"], ["stats"]])
def test_outside_a_project_folder_it_says_there_is_no_index_here_and_how_to_make_one(tmp_path, monkeypatch,
                                                                                       command):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("RTES_SEARCH_INDEX", raising=False)
    monkeypatch.delenv("RTES_SEARCH_CLUSTER", raising=False)
    result = CliRunner().invoke(cli, command)
    assert result.exit_code == 1
    assert result.stderr.startswith("Erreur : pas d'index ici")
    assert "rtes-search index" in result.stderr and "--index-dir" in result.stderr
    assert "corpus/" in result.stderr and "chemin introuvable" not in result.stderr
    assert len(result.stderr.splitlines()) == 1 and not (tmp_path / "index").exists()


@pytest.mark.parametrize("typed, wrong, meant", [(["serch", "ESS"], "serch", "search"), (["indx"], "indx", "index"),
                                                 (["cluster", "stauts"], "stauts", "status")])
def test_a_mistyped_command_names_the_nearest(typed, wrong, meant):
    result = CliRunner().invoke(cli, typed)
    assert result.exit_code == 2
    assert result.stderr.splitlines()[-1] == f"Erreur : commande inconnue : {wrong} (vouliez-vous dire {meant} ?)"


def test_a_command_like_no_other_names_none():
    result = CliRunner().invoke(cli, ["zzzz"])
    assert result.exit_code == 2 and result.stderr.splitlines()[-1] == "Erreur : commande inconnue : zzzz"


def test_the_header_never_says_a_page_past_the_last(corpus_index):
    args = ["search", "ESS", "--limit", "5", "--index-dir", str(corpus_index)]
    past = CliRunner().invoke(cli, [*args, "--page", "9"])
    last = CliRunner().invoke(cli, [*args, "--page", "2"])
    assert past.exit_code == last.exit_code == 0
    assert past.stdout.splitlines()[0] == "8 résultat(s) pour « ESS »"
    assert last.stdout.splitlines()[0] == "8 résultat(s) pour « ESS » — page 2/2"
