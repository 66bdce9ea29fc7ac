"""The write API's Python form: pushed documents journalled, indexed, kept by every indexing run."""

from __future__ import annotations

import json
import os
import shutil
import threading

import pytest

from indexer import build_index, ensure_index, update_index
from indexer.errors import IndexLockedError
from indexer.journal import Journal
from indexer.leases import Lease
from indexer.pushed import InvalidFieldError, pushed_document
from indexer.storage import find_current, index_lock, read_manifest
from indexer.updates import Pushes, delete_documents, update_documents
from search import DocumentNotFoundError, Searcher

from conftest import CORPUS
from push_support import SCIC, index_dir  # noqa: F401  (a fixture)


def doc(doc_id="ressourcerie-grenoble", **fields):
    return pushed_document(doc_id, {**SCIC, **fields})




def found(index_dir, query="ressourcerie") -> list[str]:
    with Searcher(index_dir) as searcher:
        return [hit.id for hit in searcher.search(query, include_private=True).hits]


def test_a_pushed_document_is_searchable_with_the_metadata_of_its_text(index_dir):
    assert [r.status for r in update_documents(index_dir, [doc()])] == ["added"]
    with Searcher(index_dir) as searcher:
        shown = searcher.document("ressourcerie-grenoble")
        assert searcher.search("ressourcerie SCIC").hits[0].id == "ressourcerie-grenoble"
    assert (shown.type, shown.year, shown.date) == ("Retour de rencontre", "2021", "2021-03-12")
    assert shown.territories == ("Auvergne-Rhône-Alpes", "Isère (38)", "Grenoble (38)")
    assert shown.source == "api"


def test_statuses_follow_the_latest_state(index_dir):
    assert update_documents(index_dir, [doc()])[0].status == "added"
    assert update_documents(index_dir, [doc()])[0].status == "unchanged"
    assert update_documents(index_dir, [doc(type="Guide")])[0].status == "updated"
    results = delete_documents(index_dir, ["ressourcerie-grenoble", "inconnu"])
    assert [(r.id, r.status) for r in results] == [("ressourcerie-grenoble", "deleted"), ("inconnu", "missing")]
    assert found(index_dir) == []
    # a batch is decided in order: the second put of an id updates the first
    batch = update_documents(index_dir, [doc(), doc(summary="Une SCIC.")])
    assert [r.status for r in batch] == ["added", "updated"]


def test_a_document_of_the_corpus_can_be_replaced_and_deleted(index_dir):
    webinar = "retour-sur-la-conference-en-ligne-marches-reserves-du-5-juin-2018"
    assert update_documents(index_dir, [doc(webinar, title="Marchés réservés, version en ligne")])[0].status == "updated"
    assert delete_documents(index_dir, [webinar])[0].status == "deleted"
    with Searcher(index_dir) as searcher, pytest.raises(DocumentNotFoundError):
        searcher.document(webinar)


@pytest.mark.parametrize("run", ["prune", "rebuild", "versions", "default-prune"])
def test_every_indexing_run_keeps_the_pushed_documents(index_dir, tmp_path, run, monkeypatch):
    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS, corpus)
    build_index([corpus], index_dir)
    update_documents(index_dir, [doc(), doc("a-supprimer")])
    delete_documents(index_dir, ["a-supprimer"])
    if run == "prune":
        report = update_index([corpus], index_dir, prune=True)
    elif run == "rebuild":
        report = build_index([corpus], index_dir)
    elif run == "versions":  # another analysis now: the index is rebuilt, not half-updated
        import indexer.sync

        versions = indexer.sync.current_versions()
        monkeypatch.setattr(indexer.sync, "current_versions", lambda: dict(versions, analyzer_version="autre"))
        report = update_index([corpus], index_dir)
        assert read_manifest(find_current(index_dir))["analyzer_version"] == "autre"
    else:  # the corpus changed: a search of the default index prunes it first
        (corpus / "retrait.txt").write_bytes((corpus / "rtes-ressources-export.txt").read_bytes())
        (corpus / "rtes-ressources-export.txt").unlink()  # same resources, another file
        report = ensure_index(index_dir, [corpus])
        assert (report.updated, report.unchanged) == (10, 1)  # the pushed document unchanged
    assert report.deleted == 0
    assert found(index_dir) == ["ressourcerie-grenoble"]


def test_bad_fields_are_named():
    cases = {
        "date": {"date": "2018-06-31"}, "year": {"year": "deux mille"}, "themes": {"themes": 3},
        "url": {"url": "javascript:alert(1)"}, "private": {"private": "oui"}, "titre": {"titre": "x"},
        "text": {"text": "\udfff"}, "title": {"title": " "},
    }
    for field, fields in cases.items():
        with pytest.raises(InvalidFieldError) as error:
            doc(**fields)
        assert error.value.field == field, fields
        assert "invalide" in str(error.value)


def test_a_write_killed_after_its_journal_is_applied_by_the_next_writer(index_dir):
    """The durable point is the journal: operations not yet in the index are applied later."""
    with Pushes(index_dir) as pushes:
        assert pushes.put([doc()])[0].status == "added"
        assert pushes.pending()
    assert found(index_dir) == []
    with Pushes(index_dir) as pushes:
        assert pushes.apply()
        assert not pushes.pending()
    assert found(index_dir) == ["ressourcerie-grenoble"]


def test_a_line_cut_by_a_crash_is_dropped_and_the_next_append_is_whole(index_dir):
    update_documents(index_dir, [doc()])
    with open(index_dir / "pushed.jsonl", "ab") as journal:
        journal.write(b'{"seq": 2, "put": {"id": "coup')
    update_documents(index_dir, [doc("autre")])
    assert sorted(found(index_dir)) == ["autre", "ressourcerie-grenoble"]
    lines = (index_dir / "pushed.jsonl").read_bytes().splitlines()
    assert [json.loads(line)["seq"] for line in lines] == [1, 2]


def test_writers_are_serialised_and_each_write_counts_once(index_dir):
    def push(start):
        for n in range(start, start + 10):
            update_documents(index_dir, [doc(f"scic-{n}", summary=f"Numéro {n}.")])

    threads = [threading.Thread(target=push, args=(n * 10,)) for n in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(found(index_dir, "ressourcerie")) == 10  # a page
    with Searcher(index_dir) as searcher:
        assert searcher.search("ressourcerie", limit=100).total == 30
    assert len(Journal(index_dir).documents()[0]) == 30


def test_the_python_api_waits_for_an_index_run_then_says_so(index_dir):
    with index_lock(index_dir), pytest.raises(IndexLockedError):
        update_documents(index_dir, [doc()], wait=0.2)
    assert update_documents(index_dir, [doc()])[0].status == "unchanged"  # journalled before the lock
    assert found(index_dir) == ["ressourcerie-grenoble"]


def test_a_generation_someone_reads_stays_on_disk(index_dir):
    held = find_current(index_dir)
    lease = Lease(held)
    for n in range(3):
        update_documents(index_dir, [doc(f"scic-{n}")])
    assert held.is_dir()
    lease.release()
    update_documents(index_dir, [doc("scic-last")])
    assert not held.exists()
    assert len([p for p in index_dir.iterdir() if p.name.startswith("gen-")]) == 2


def test_a_searcher_keeps_reading_its_generation_while_writes_replace_it(index_dir):
    with Searcher(index_dir) as searcher:
        read = find_current(index_dir)
        for n in range(3):
            update_documents(index_dir, [doc(f"scic-{n}")])
        assert read.is_dir() and searcher.search("ressourcerie").total == 0  # its own generation, whole
        searcher.refresh()
        assert searcher.search("ressourcerie").total == 3
        update_documents(index_dir, [doc("scic-last")])
        assert not read.exists()


def test_a_journal_of_dead_lines_is_compacted(index_dir, monkeypatch):
    monkeypatch.setattr("indexer.journal.COMPACT_MIN_BYTES", 2000)
    for n in range(12):
        update_documents(index_dir, [doc(summary="x" * 200 + str(n))])
    lines = (index_dir / "pushed.jsonl").read_bytes().splitlines()
    assert len(lines) < 12
    assert json.loads(lines[-1])["seq"] == 12
    assert update_documents(index_dir, [doc(summary="x" * 200 + "11")])[0].status == "unchanged"
    assert os.path.getsize(index_dir / "pushed.jsonl") < 2000


def test_writes_arriving_together_share_one_journal_append(index_dir, monkeypatch):
    """Group commit: while one append is fsynced, the writes arriving are queued and journalled together."""
    pushes, appends = Pushes(index_dir), []
    append = Journal.append

    def counted(journal, operations, last_seq):
        appends.append(len(operations))
        if len(appends) == 1:  # the first append waits until every other writer is queued
            while len(pushes._queue) + appends[0] < 20:
                threading.Event().wait(0.01)
        return append(journal, operations, last_seq)

    monkeypatch.setattr(Journal, "append", counted)
    results = {}
    threads = [threading.Thread(target=lambda n=n: results.update({n: pushes.put([doc(f"scic-{n}")])}))
               for n in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(appends) == 2 and sum(appends) == 20
    assert sorted(r[0].status for r in results.values()) == ["added"] * 20
    assert len(Journal(index_dir).documents()[0]) == 20
    pushes.close()
