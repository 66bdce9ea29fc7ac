"""The RTES export parser against the real export (golden file) and broken input."""

from __future__ import annotations

import json
from pathlib import Path

from indexer.documents import Document, IngestError
from indexer.ingest import iter_documents
from indexer.ingest.rtes_export import parse_export, slugify

from conftest import CORPUS, DATA

GOLDEN = Path(__file__).parent / "golden" / "rtes_export.json"


def _summary(doc: Document) -> dict:
    return {
        "id": doc.id,
        "line": doc.line,
        "title": doc.title,
        "private": doc.private,
        "collection": doc.collection,
        "body_start": doc.body[:60],
        "body_end": doc.body[-60:],
        "summary_start": doc.summary[:60],
        "summary_end": doc.summary[-60:],
    }


def test_real_export_matches_golden_file():
    docs = list(iter_documents([CORPUS]))
    assert all(isinstance(d, Document) for d in docs), [str(d) for d in docs if isinstance(d, IngestError)]
    assert [_summary(d) for d in docs] == json.loads(GOLDEN.read_text(encoding="utf-8"))


def test_real_export_has_ten_resources_one_private():
    docs = list(iter_documents([CORPUS]))
    assert len(docs) == 10
    assert [d.title for d in docs if d.private] == ["Les Services d’Intérêt Économique Général"]
    assert len({d.id for d in docs}) == 10


def test_summary_stops_before_the_next_title():
    """The Lille fiche's summary keeps its repeated download line, not the next title."""
    docs = {d.id: d for d in iter_documents([CORPUS])}
    lille = docs["fiche-deniche-pour-vous-n-4-ville-de-lille-enercoop"]
    assert lille.summary.splitlines()[0] == "Mots clés : transition énergétique, marchés publics. Septembre 2017."
    assert lille.summary.endswith("Ville de Lille / Enercoop..")
    assert "modes de contractualisation" not in lille.summary


def test_empty_labels_before_the_block_are_not_body():
    docs = {d.id: d for d in iter_documents([CORPUS])}
    assert not docs["fiche-deniche-pour-vous-n-4-ville-de-lille-enercoop"].body.endswith("Documents")
    etude = next(d for d in docs.values() if d.title.startswith("Retrouvez l’étude"))
    assert not etude.body.endswith("Catégorie")


def test_malformed_records_are_reported_with_line_and_skipped():
    items = list(parse_export((DATA / "malformed-export.txt").read_text(encoding="utf-8"), "bad.txt"))
    errors = [i for i in items if isinstance(i, IngestError)]
    docs = [i for i in items if isinstance(i, Document)]
    assert [d.title for d in docs] == ["Une ressource correcte", "Une autre ressource correcte"]
    assert "« Une ressource mal marquée » ignorée" in errors[0].reason
    assert [(e.line, e.reason.split(" :")[0]) for e in errors] == [
        (7, "valeur de « Ressource privée » inconnue"),
        (31, "bloc « Type de ressource » incomplet (attendu"),
    ]


def test_unreadable_file_is_one_error(tmp_path):
    bad = tmp_path / "latin1.txt"
    bad.write_bytes("Réseau\n\nTitre é\n".encode("latin-1"))
    items = list(iter_documents([bad]))
    assert len(items) == 1 and isinstance(items[0], IngestError)
    assert "illisible" in items[0].reason


def test_slugify_is_ascii_and_stable():
    assert slugify("Fiche Déniché pour vous n°4 : Ville de Lille / Enercoop") == (
        "fiche-deniche-pour-vous-n-4-ville-de-lille-enercoop"
    )
    assert slugify("«  »") == "document"
