"""End-to-end command line tests through click's runner on the real corpus."""

from __future__ import annotations

import json
import re
import shutil

import pytest
from click.testing import CliRunner

from search.cli import cli
from search.cli.group import COMMAND_MODULES

from conftest import CORPUS
from conftest import SIEG, WEBINAR


@pytest.fixture()
def run(corpus_index):
    runner = CliRunner()

    def invoke(*args, index=True):
        extra = ["--index-dir", str(corpus_index)] if index else []
        return runner.invoke(cli, [*args, *extra], catch_exceptions=False)

    return invoke


def test_index_reports_ten_documents(tmp_path):
    result = CliRunner().invoke(cli, ["index", str(CORPUS), "--index-dir", str(tmp_path), "--json", "--quiet"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert (report["added"], report["skipped"], report["errors"], report["documents"]) == (10, 1, [], 10)
    assert report["left_out"] == [{"source": str(CORPUS / "README.md"), "line": 0, "reason": "README"}]


def test_index_human_summary(tmp_path):
    result = CliRunner().invoke(cli, ["index", str(CORPUS), "--index-dir", str(tmp_path), "--quiet"])
    assert result.exit_code == 0
    assert result.stdout == "ajoutés 10, mis à jour 0, supprimés 0, inchangés 0, ignorés 1\n"  # corpus/README.md


def test_index_reports_skipped_records(tmp_path):
    from conftest import DATA

    result = CliRunner().invoke(
        cli, ["index", str(DATA / "malformed-export.txt"), "--index-dir", str(tmp_path / "ix"), "--json"]
    )
    assert result.exit_code == 0
    report = json.loads(result.stdout)
    assert (report["added"], report["skipped"]) == (2, 2)
    assert "malformed-export.txt:7: valeur de « Ressource privée » inconnue" in result.stderr


def test_search_human_output(run):
    result = run("search", "marchés réservés article 37")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0] == "4 résultat(s) pour « marchés réservés article 37 » — page 1/1"
    assert lines[2] == ' 1. Retour sur la conférence en ligne "Marchés réservés" du 5 juin 2018'
    assert "Conférence en ligne · 2018" in lines[3]
    assert "\x1b[" not in result.stdout  # no colour when stdout is not a terminal


def test_search_json_contract_and_private_exclusion(run):
    query = "services d'intérêt économique général"
    public = json.loads(run("search", query, "--json").stdout)
    assert SIEG not in [h["id"] for h in public["hits"]]
    assert all(h["private"] is False for h in public["hits"])
    private = json.loads(run("search", query, "--json", "--include-private").stdout)
    assert private["hits"][0]["id"] == SIEG
    for key in ("query", "total", "page", "limit", "hits", "facets", "suggestion", "warnings"):
        assert key in public


def test_search_filters(run):
    data = json.loads(run("search", "", "--year", "2018", "--json").stdout)
    assert data["total"] == 3
    assert data["facets"]["year"] == {"2018": 3}


def test_zero_hits_is_success(run):
    result = run("search", "zzzinexistant")
    assert result.exit_code == 0
    assert result.stdout.startswith("Aucun résultat pour « zzzinexistant »")


def test_show_and_its_errors(run):
    result = run("show", WEBINAR, "--json")
    assert result.exit_code == 0
    assert json.loads(result.stdout)["year"] == "2018"
    missing = run("show", SIEG)
    assert missing.exit_code == 1
    assert missing.stderr.strip() == f"Erreur : aucune ressource avec l'identifiant '{SIEG}'"
    assert run("show", SIEG, "--include-private").exit_code == 0


def test_facets_and_stats(run):
    facets = json.loads(run("facets", "--json").stdout)
    assert sum(facets["year"].values()) == 9
    stats = json.loads(run("stats", "--json").stdout)
    assert stats["documents"] == 9
    lines = run("facets").stdout.splitlines()
    assert "Année : 2022 (1), 2019 (1), 2018 (3), 2017 (4)" in lines
    assert "Territoire (région) : " in "\n".join(lines) and "Territoire (commune) : " in "\n".join(lines)
    assert any(line.startswith("Territoire (département) : ") and "Nord (59) (1)" in line for line in lines)


@pytest.mark.parametrize(
    "args, code, message",
    [
        (["search"], 2, "Erreur : argument manquant : REQUÊTE"),
        (["search", "ess", "--bogus"], 2, "Erreur : option inconnue : --bogus"),
        (["search", "ess", "--limit", "0"], 2, "Erreur : valeur invalide pour '--limit' : 0 n'est pas dans l'intervalle"),
        (["index", "/nonexistent/path"], 2, "le chemin « /nonexistent/path » n'existe pas"),
        (["serch", "ess"], 2, "Erreur : commande inconnue : serch"),
    ],
)
def test_usage_errors(run, args, code, message):
    result = run(*args, index=False)
    assert result.exit_code == code
    assert message in result.stderr
    assert "Essayez « rtes-search" in result.stderr or "Essayez « cli" in result.stderr
    assert "Traceback" not in result.output


def test_missing_index_is_a_runtime_error(tmp_path):
    result = CliRunner().invoke(cli, ["show", "x", "--index-dir", str(tmp_path / "none")])
    assert result.exit_code == 1
    assert "aucun index" in result.stderr


def test_search_builds_a_missing_index_from_corpus(tmp_path, monkeypatch):
    """Only the default index (``index/``) of the default corpus (``corpus/``) is built on demand."""
    shutil.copytree(CORPUS, tmp_path / "corpus")
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("RTES_SEARCH_INDEX", raising=False)
    result = CliRunner().invoke(cli, ["search", "Enercoop"])
    assert result.exit_code == 0 and (tmp_path / "index" / "current").is_symlink()
    assert "index construit : 10 documents" in result.stderr
    assert "Ville de Lille / Enercoop" in result.stdout


def test_unbuildable_index_dir_is_a_runtime_error(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    result = CliRunner().invoke(cli, ["index", str(CORPUS), "--index-dir", str(blocker / "ix")])
    assert result.exit_code == 1
    assert "impossible de créer l'index" in result.stderr


def test_a_command_loads_only_its_own_module(corpus_index):
    """Lazy commands: ``search`` imports neither the indexing nor the browsing commands."""
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from search.cli import cli\n"
        "assert not [m for m in sys.modules if m.endswith('_cmd')], 'a command module loaded at import'\n"
        f"cli(['search', 'marchés réservés', '--index-dir', {str(corpus_index)!r}], standalone_mode=False)\n"
        "print(sorted(m for m in sys.modules if m.endswith('_cmd')))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.splitlines()[-1] == "['search.cli.search_cmd']"
    assert WEBINAR in done.stdout


# What click writes in English unless told otherwise.
CLICK_ENGLISH = re.compile(
    r"Usage:|Options:|Commands:|Show this message|Show the version|\[default|\[required|env var"
    r"|\b(?:INTEGER|TEXT|FLOAT|RANGE|DIRECTORY|FILE|PATH|BOOLEAN|COMMAND|ARGS)\b"
)


def test_bare_command_prints_the_french_help_not_an_error():
    result = CliRunner().invoke(cli, [], prog_name="rtes-search")
    assert result.exit_code == 0
    assert result.stdout.startswith("Utilisation : rtes-search [OPTIONS] COMMANDE [ARGUMENTS]...")
    assert "Commandes :" in result.stdout and "Afficher cette aide et quitter." in result.stdout
    assert "Erreur" not in result.output and not CLICK_ENGLISH.search(result.output)


@pytest.mark.parametrize("command", [[], *([c] for c in sorted(COMMAND_MODULES))], ids=lambda c: " ".join(c) or "group")
def test_help_pages_are_french(command):
    result = CliRunner().invoke(cli, [*command, "--help"], prog_name="rtes-search")
    assert result.exit_code == 0
    assert result.stdout.startswith("Utilisation : rtes-search") and "Options :" in result.stdout
    assert not CLICK_ENGLISH.search(result.stdout), CLICK_ENGLISH.search(result.stdout).group()


def test_search_help_shows_french_defaults_and_types():
    text = CliRunner().invoke(cli, ["search", "--help"]).stdout
    assert re.search(r"--limit ENTIER +Résultats par page\. +\[défaut : 10 ; 1<=x<=100\]", text)
    assert "-h, --help" in text and "Afficher cette aide et quitter." in text


def test_docstring_examples_of_the_cli_helpers():
    import doctest

    from search.cli import messages, search_cmd

    for module in (messages, search_cmd):
        assert doctest.testmod(module).failed == 0, module.__name__
