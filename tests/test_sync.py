"""The indexing loop drives any sink through the protocol of ``indexer.sync``."""

from __future__ import annotations

import pytest

from indexer import FieldMapping, IndexerError
from indexer.sync import KnownDocument, synchronise

from conftest import CORPUS, DATA
from conftest import ENERCOOP


class MemorySink:
    """A destination held in a dict, recording every call the loop makes."""

    location = "mémoire"

    def __init__(self, held: dict[str, dict] | None = None, fresh: bool = False):
        self.held, self.fresh = dict(held or {}), fresh
        self.calls: list[tuple[str, str]] = []
        self.manifest: dict = {}

    def known(self):
        return {i: KnownDocument(f["content_hash"], f["indexed_at"], f["origin"]) for i, f in self.held.items()}

    def previous_manifest(self):
        return self.manifest

    def pushed(self):
        return []

    def add(self, fields):
        self.calls.append(("add", fields["id"]))
        self.held[fields["id"]] = fields

    def replace(self, fields):
        self.calls.append(("replace", fields["id"]))
        self.held[fields["id"]] = fields

    def delete(self, doc_id):
        self.calls.append(("delete", doc_id))
        del self.held[doc_id]

    def finish(self, manifest):
        self.calls.append(("finish", ""))
        self.manifest = manifest
        return len(self.held)

    def cancel(self):
        self.calls.append(("cancel", ""))


def test_a_first_run_adds_every_document_with_its_metadata_and_origin():
    sink = MemorySink()
    report = synchronise([CORPUS], sink, {"schema_version": 0})
    assert (report.added, report.documents, report.index_dir) == (10, 10, "mémoire")
    assert [c for c, _ in sink.calls] == ["add"] * 10 + ["finish"]
    fields = sink.held[ENERCOOP]
    assert fields["territory"] == "Hauts-de-France,Nord (59),Lille (59)"
    assert fields["origin"] == str((CORPUS / "rtes-ressources-export.txt").resolve())
    assert fields["indexed_at"].endswith("Z") and len(fields["indexed_at"]) == 20
    assert sink.manifest["schema_version"] == 0 and sink.manifest["sources"] == [str(CORPUS.resolve())]


def test_only_changes_reach_the_sink_and_prune_deletes():
    sink = MemorySink()
    synchronise([CORPUS], sink, {})
    sink.held[ENERCOOP] = dict(sink.held[ENERCOOP], content_hash="changed", indexed_at="2020-01-01T00:00:00Z")
    sink.calls.clear()
    report = synchronise([CORPUS], sink, {})
    assert (report.updated, report.unchanged) == (1, 9)
    assert sink.calls == [("replace", ENERCOOP), ("finish", "")]
    assert sink.held[ENERCOOP]["indexed_at"] == "2020-01-01T00:00:00Z", "an update keeps the first time"
    sink.calls.clear()
    report = synchronise([DATA / "records.csv"], sink, {}, prune=True,
                         mapping=FieldMapping("ref", "titre", "contenu"))
    assert (report.added, report.deleted, report.documents) == (1, 10, 1)
    assert sorted(c for c, _ in sink.calls) == ["add"] + ["delete"] * 10 + ["finish"]


def test_a_fresh_sink_gets_every_document_and_no_deletion():
    sink = MemorySink()
    synchronise([CORPUS], sink, {})
    fresh = MemorySink({}, fresh=True)
    fresh.known = sink.known  # a rebuild reads what the previous state held
    report = synchronise([DATA / "malformed-export.txt"], fresh, {})
    assert (report.added, report.deleted, report.skipped) == (2, 10, 2)
    assert [c for c, _ in fresh.calls] == ["add", "add", "finish"]


def test_nothing_readable_cancels_the_sink(tmp_path):
    sink = MemorySink()
    with pytest.raises(IndexerError, match="aucun document indexable"):
        synchronise([tmp_path], sink, {})
    assert sink.calls == [("cancel", "")]
