"""``rtes-search show --explain``: each metadata value with its rule and text span."""

from __future__ import annotations

import json

from click.testing import CliRunner

from search.cli import cli
from conftest import ENERCOOP, SIEG


def show(corpus_index, *args):
    return CliRunner().invoke(cli, ["show", *args, "--index-dir", str(corpus_index)], catch_exceptions=False)


def test_explain_prints_rule_and_span(corpus_index):
    result = show(corpus_index, ENERCOOP, "--explain")
    assert result.exit_code == 0
    assert "Année : 2017 ← mise à jour la plus récente — texte [445:472] « actualisé en septembre 2017 »" in result.stdout
    assert "Territoire : Nord (59) ← rattachement de Lille (59) — titre [39:44] « Lille »" in result.stdout


def test_explain_json_of_a_private_resource(corpus_index):
    result = show(corpus_index, SIEG, "--explain", "--json", "--include-private")
    data = json.loads(result.stdout)["explain"]
    assert data["type"] == [{
        "value": "Fiche technique", "rule": "indice « informations techniques » dans le résumé (types.json)",
        "field": "summary", "span": [89, 112], "text": "informations techniques",
    }]
    assert data["year"] == [] and data["territory"] == []


def test_without_explain_nothing_changes(corpus_index):
    result = show(corpus_index, ENERCOOP, "--json")
    assert "explain" not in json.loads(result.stdout)
    assert "Provenance" not in show(corpus_index, ENERCOOP).stdout
