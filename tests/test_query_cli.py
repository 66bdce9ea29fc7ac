"""The search and similar commands: human output, --nl, --strict, on the real corpus."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from search.cli import cli
from conftest import MARCHES, SIEG, WEBINAR


@pytest.fixture()
def run(corpus_index):
    def invoke(*args, color=False):
        return CliRunner().invoke(cli, [*args, "--index-dir", str(corpus_index)], color=color)

    return invoke


def test_human_output_numbers_hits_and_shows_meta_snippet_footer(run):
    result = run("search", "ESS", "--limit", "3")
    lines = result.stdout.splitlines()
    assert result.exit_code == 0
    assert lines[0] == "8 résultat(s) pour « ESS » — page 1/3"
    assert lines[2].startswith(" 1. ") and any(line.startswith(" 3. ") for line in lines)
    assert "Type : " in result.stdout and "Année : " in result.stdout
    assert "\x1b[" not in result.stdout


def test_a_common_word_absent_from_the_corpus_is_said_absent_not_corrected(run):
    result = run("search", "tiers lieux")
    assert result.exit_code == 0
    assert "Attention : « tiers » ne figure dans aucune ressource" in result.stdout
    assert "Vouliez-vous dire" not in result.stdout and "Thiers" not in result.stdout


def test_colour_only_on_a_terminal(run):
    coloured = run("search", "marchés réservés", color=True).stdout
    assert ' 1. \x1b[1mRetour sur la conférence en ligne "Marchés réservés" du 5 juin 2018\x1b[0m' in coloured
    assert "\x1b[33m\x1b[1mmarchés réservés\x1b[0m" in coloured


def test_suggestion_and_correction_are_shown(run):
    out = run("search", "Enercop").stdout
    assert "    … environnementale» de la Ville de Lille avec Enercoop, pour la fourniture" in out  # cut mid-sentence
    assert "à destination de quinze bâtiments recevant …\n" in out
    assert "Vouliez-vous dire : Enercoop ?" in out
    assert "Attention : « Enercop » est introuvable : recherché comme « Enercoop »" in out


def test_nl_prints_one_json_hit_per_line(run):
    result = run("search", "marchés réservés", "--nl")
    hits = [json.loads(line) for line in result.stdout.splitlines()]
    assert {h["id"] for h in hits[:2]} == {WEBINAR, MARCHES} and len(hits) == 4
    assert all("snippets" in h and "score" in h for h in hits)


def test_json_has_corrections_and_query_filters(run):
    data = json.loads(run("search", "Enercop type:deniche", "--json").stdout)
    assert data["suggestion"] == "Enercoop type:deniche"
    assert data["filters"] == {"type": ["Déniché pour vous"]}
    assert data["corrections"][0]["replacements"] == ["Enercoop"]


def test_strict_turns_a_warning_into_a_usage_error_with_the_position(run):
    lenient = run("search", "marchés (réservés")
    assert lenient.exit_code == 0 and "Attention : parenthèse ouvrante sans fermante (position 9)" in lenient.stdout
    strict = run("search", "marchés (réservés", "--strict")
    assert strict.exit_code == 2
    assert "parenthèse ouvrante sans fermante (position 9)" in strict.stderr
    assert "Traceback" not in strict.output


def test_similar_command(run):
    result = run("similar", WEBINAR, "--limit", "2")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0].startswith("6 ressource(s) proche(s) de « Retour sur la conférence en ligne")
    assert lines[2] == ' 1. Points de RepèrESS du RTES "Marchés publics & ESS"'
    nl = [json.loads(line)["id"] for line in run("similar", WEBINAR, "--nl").stdout.splitlines()]
    assert nl[0] == MARCHES and SIEG not in nl
    assert SIEG in [json.loads(x)["id"] for x in run("similar", WEBINAR, "--nl", "--include-private").stdout.splitlines()]


def test_similar_unknown_or_private_id_is_a_runtime_error(run):
    result = run("similar", SIEG)
    assert result.exit_code == 1
    assert result.stderr.strip() == f"Erreur : aucune ressource avec l'identifiant '{SIEG}'"


def test_a_query_starting_with_a_dash_is_a_query_not_an_option(run):
    """``-mot`` excludes a word: ``search "-insertion ESS"`` once failed with "option inconnue : -i"."""
    everything = json.loads(run("search", "ESS", "--json").stdout)
    dashed = run("search", "-insertion ESS", "--json")
    assert dashed.exit_code == 0, dashed.output
    data = json.loads(dashed.stdout)
    assert data["query"] == "-insertion ESS"
    assert 0 < data["total"] < everything["total"]
    words = json.loads(run("search", "ESS", "-insertion", "--json").stdout)  # unquoted words are one query
    assert (words["query"], words["total"]) == ("ESS -insertion", data["total"])
    assert run("search", "-insertion ESS").stdout.startswith(f"{data['total']} résultat(s) pour « -insertion ESS »")


def test_unknown_long_options_stay_usage_errors(run):
    result = run("search", "ESS", "--limt", "3")
    assert result.exit_code == 2
    assert "Erreur : option inconnue : --limt (vouliez-vous dire : '--limit'" in result.stderr


def test_search_help_says_what_the_engine_does(run):
    text = " ".join(CliRunner().invoke(cli, ["search", "--help"]).stdout.split())
    assert "tous requis" not in text
    assert "au moins un des mots est trouvée" in text and "côte à côte, viennent en premier" in text


def test_a_page_past_the_last_says_so_and_names_the_last(run):
    result = run("search", "ESS", "--limit", "3", "--page", "99")
    assert result.exit_code == 0
    assert result.stdout.splitlines()[0] == "8 résultat(s) pour « ESS »"   # never "page 99/3"
    assert "Attention : la page 99 est au-delà de la dernière page (3)" in result.stdout
    assert result.stdout.count("dernière page") == 1 and " 1. " not in result.stdout


def test_similar_pages_like_search(run):
    first = json.loads(run("similar", WEBINAR, "--limit", "2", "--json").stdout)
    second = run("similar", WEBINAR, "--limit", "2", "--page", "2", "--json")
    assert second.exit_code == 0, second.output
    data = json.loads(second.stdout)
    assert (data["page"], data["total"]) == (2, first["total"])
    assert not {h["id"] for h in data["hits"]} & {h["id"] for h in first["hits"]}
    text = run("similar", WEBINAR, "--limit", "2", "--page", "2").stdout
    assert text.splitlines()[0].endswith(f"— page 2/{first['pages']}") and " 3. " in text
