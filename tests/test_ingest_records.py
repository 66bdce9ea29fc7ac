"""JSONL and CSV ingesters: field mapping, gzip, and bad lines reported by number."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from indexer import FieldMapping
from indexer.documents import Document, IngestError
from indexer.ingest import iter_documents
from search import Searcher
from search.cli import cli

from conftest import DATA

CDTN = DATA / "cdtn-sample.jsonl.gz"
CSV = DATA / "records.csv"


def test_jsonl_gzip_with_mapping():
    items = list(iter_documents([CDTN], FieldMapping(id_field="doc_id", fields=(("collection", "source"),))))
    docs = [i for i in items if isinstance(i, Document)]
    errors = [i for i in items if isinstance(i, IngestError)]
    assert [d.id for d in docs] == ["cdt:L1", "cdt:L1225-17", "cdt:L3221-3", "sp:F100", "sp:F10004"]
    assert docs[2].title == "Article L3221-3" and docs[2].body.startswith("Constitue une rémunération")
    assert docs[0].collection == "code_du_travail" and docs[0].line == 1
    assert [(e.line, e.reason.split(" :")[0]) for e in errors] == [(4, "JSON invalide"), (5, "identifiant manquant (colonne 'doc_id')")]


def test_csv_with_facet_columns():
    mapping = FieldMapping("ref", "titre", "contenu", FieldMapping.parse_fields(["type=genre", "theme=mots"]))
    items = list(iter_documents([CSV], mapping))
    doc, error = items
    assert (doc.id, doc.title, doc.type, doc.themes) == ("F1", "Le marché réservé", "Fiche technique", ("commande publique", "ESS"))
    assert isinstance(error, IngestError) and error.line == 3


@pytest.mark.parametrize("spec", ["type", "couleur=x", "type="])
def test_bad_field_spec(spec):
    with pytest.raises(ValueError, match="CHAMP=COLONNE"):
        FieldMapping.parse_fields([spec])


def test_cli_indexes_a_jsonl_collection_and_finds_it(tmp_path):
    runner = CliRunner()
    result = runner.invoke(cli, ["index", str(CDTN), "--id-field", "doc_id", "--index-dir", str(tmp_path), "--json", "-q"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["added"] == 5
    with Searcher(tmp_path) as searcher:
        assert searcher.search("rémunération salaire minimum").hits[0].id == "cdt:L3221-3"
    bad = runner.invoke(cli, ["index", str(CDTN), "--field", "couleur=x", "--index-dir", str(tmp_path)])
    assert bad.exit_code == 2 and "CHAMP=COLONNE" in bad.stderr
