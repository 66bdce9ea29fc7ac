"""Incremental indexing, and nothing lost: kill -9 mid-run, concurrent writers, searches during an update."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from indexer import IndexLockedError, build_index, ensure_index, iter_documents, update_index
from indexer.storage import current_generation, index_lock
from search import Searcher
from search.cli import cli

from conftest import CORPUS, DATA, ROOT
from conftest import ENERCOOP


def index(*args):
    return CliRunner().invoke(cli, ["index", *map(str, args), "-q"], catch_exceptions=False)


@pytest.fixture()
def corpus_copy(tmp_path):
    """A copy of the RTES export that tests may edit."""
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "rtes.txt").write_text((CORPUS / "rtes-ressources-export.txt").read_text(encoding="utf-8"), encoding="utf-8")
    return folder


def test_second_run_on_an_unchanged_corpus_changes_nothing(corpus_copy, tmp_path):
    assert index(corpus_copy, "--index-dir", tmp_path / "ix").stdout.startswith("ajoutés 10, mis à jour 0")
    generation = current_generation(tmp_path / "ix")
    again = index(corpus_copy, "--index-dir", tmp_path / "ix")
    assert again.stdout == "ajoutés 0, mis à jour 0, supprimés 0, inchangés 10, ignorés 0\n"
    assert current_generation(tmp_path / "ix") == generation, "no new generation when nothing changed"
    assert sorted(p.name for p in (tmp_path / "ix").glob("gen-*")) == [generation.name]


def test_a_changed_record_is_updated_and_searchable(corpus_copy, tmp_path):
    index(corpus_copy, "--index-dir", tmp_path / "ix")
    export = corpus_copy / "rtes.txt"
    export.write_text(export.read_text(encoding="utf-8").replace(
        "producteurs locaux et décentralisés", "producteurs locaux photovoltaïques et décentralisés"), encoding="utf-8")
    with Searcher(tmp_path / "ix") as before:
        result = index(corpus_copy, "--index-dir", tmp_path / "ix", "--json")
        report = json.loads(result.stdout)
        assert {k: report[k] for k in ("added", "updated", "deleted", "unchanged", "skipped")} == {
            "added": 0, "updated": 1, "deleted": 0, "unchanged": 9, "skipped": 0}
        assert before.search("photovoltaïques").total == 0  # an open searcher keeps its generation
        assert before.refresh()
        assert [h.id for h in before.search("photovoltaïques").hits] == [ENERCOOP]
        assert before.search("").total == 9


def test_vanished_documents_are_deleted_only_with_prune(corpus_copy, tmp_path):
    index(corpus_copy, "--index-dir", tmp_path / "ix")
    other = tmp_path / "other"
    other.mkdir()
    (other / "records.csv").write_text((DATA / "records.csv").read_text(encoding="utf-8"), encoding="utf-8")
    mapped = ["--id-field", "ref", "--title-field", "titre", "--text-field", "contenu"]
    kept = index(other, "--index-dir", tmp_path / "ix", *mapped)
    assert kept.stdout.startswith("ajoutés 1, mis à jour 0, supprimés 0, inchangés 0")
    assert Searcher(tmp_path / "ix").search("", include_private=True).total == 11
    pruned = index(other, "--index-dir", tmp_path / "ix", "--prune", *mapped)
    assert pruned.stdout.startswith("ajoutés 0, mis à jour 0, supprimés 10, inchangés 1")
    assert Searcher(tmp_path / "ix").search("", include_private=True).total == 1


def test_partial_failure_exits_0_and_total_failure_exits_1(tmp_path):
    partial = CliRunner().invoke(cli, ["index", str(DATA / "malformed-export.txt"), "--index-dir", str(tmp_path / "ix")])
    assert partial.exit_code == 0
    assert partial.stdout == "ajoutés 2, mis à jour 0, supprimés 0, inchangés 0, ignorés 2 (avec erreurs)\n"
    assert "indexation partielle : 2 document(s) ignoré(s)" in partial.stderr
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"title": "sans identifiant"}\npas du JSON\n', encoding="utf-8")
    failed = CliRunner().invoke(cli, ["index", str(bad), "--index-dir", str(tmp_path / "ix")])
    assert failed.exit_code == 1
    assert "aucun document indexable" in failed.stderr and "Traceback" not in failed.output


def test_a_second_writer_fails_with_a_clear_message(corpus_copy, tmp_path):
    index(corpus_copy, "--index-dir", tmp_path / "ix")
    with index_lock(tmp_path / "ix"):
        result = CliRunner().invoke(cli, ["index", str(corpus_copy), "--index-dir", str(tmp_path / "ix")])
        assert result.exit_code == 1
        assert result.stderr.startswith("Erreur : index verrouillé : une autre indexation est en cours dans")
        with pytest.raises(IndexLockedError):
            update_index([corpus_copy], tmp_path / "ix")
        (corpus_copy / "rtes.txt").touch()  # stale: search would update, but a writer holds the lock
        assert ensure_index(tmp_path / "ix", [corpus_copy]) is None
        assert Searcher(tmp_path / "ix").search("Enercoop").total == 1
    assert ensure_index(tmp_path / "ix", [corpus_copy]) is None  # touched, not changed: nothing rewritten


def test_search_updates_only_an_index_of_its_default_corpus(corpus_copy, tmp_path):
    index(corpus_copy, "--index-dir", tmp_path / "ix")
    edited = (corpus_copy / "rtes.txt").read_text(encoding="utf-8").replace("quinze bâtiments", "seize bâtiments")
    (corpus_copy / "rtes.txt").write_text(edited, encoding="utf-8")
    other_corpus = tmp_path / "elsewhere"
    other_corpus.mkdir()
    assert ensure_index(tmp_path / "ix", [other_corpus]) is None  # built from other sources: left alone
    report = ensure_index(tmp_path / "ix", [corpus_copy])
    assert report is not None and report.updated == 1


def big_collection(path: Path, records: int) -> Path:
    """A JSONL collection of ``records`` documents made of the corpus's real paragraphs."""
    paragraphs = [p for doc in iter_documents([CORPUS]) for p in doc.body.split("\n\n") if len(p) > 80]
    with path.open("w", encoding="utf-8") as out:
        for n in range(records):
            text = paragraphs[n % len(paragraphs)] + "\n\n" + paragraphs[(n * 7 + 3) % len(paragraphs)]
            out.write(json.dumps({"id": f"paragraphe-{n}", "title": text[:70], "text": text}, ensure_ascii=False) + "\n")
    return path


def start_indexing(source: Path, index_dir: Path) -> subprocess.Popen:
    """``rtes-search index`` in its own process, returned once it is writing a new generation."""
    before = {p.name for p in index_dir.glob("gen-*")}
    process = subprocess.Popen(
        [sys.executable, "-c", "from search.cli import main; main()", "index", str(source), "--index-dir",
         str(index_dir), "--rebuild", "-q"], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 60
    while not {p.name for p in index_dir.glob("gen-*")} - before:
        assert process.poll() is None and time.monotonic() < deadline, process.communicate()
        time.sleep(0.02)
    return process


def test_kill_9_mid_run_leaves_the_previous_index_searchable(corpus_copy, tmp_path):
    index(corpus_copy, "--index-dir", tmp_path / "ix")
    previous = current_generation(tmp_path / "ix")
    process = start_indexing(big_collection(tmp_path / "big.jsonl", 1500), tmp_path / "ix")
    os.kill(process.pid, signal.SIGKILL)
    assert process.wait() == -signal.SIGKILL, "killed while it was writing"
    assert current_generation(tmp_path / "ix") == previous
    with Searcher(tmp_path / "ix") as searcher:
        assert [h.id for h in searcher.search("Enercoop").hits] == [ENERCOOP]
    # The dead writer's lock went with it, and its partial generation is cleaned up by the next run.
    assert index(corpus_copy, "--index-dir", tmp_path / "ix", "--rebuild").exit_code == 0
    assert len(list((tmp_path / "ix").glob("gen-*"))) == 2


def test_concurrent_run_fails_and_searches_keep_working_during_an_update(corpus_copy, tmp_path):
    index(corpus_copy, "--index-dir", tmp_path / "ix")
    process = start_indexing(big_collection(tmp_path / "big.jsonl", 1500), tmp_path / "ix")
    try:
        second = CliRunner().invoke(cli, ["index", str(corpus_copy), "--index-dir", str(tmp_path / "ix")])
        assert second.exit_code == 1 and "index verrouillé" in second.stderr
        searched = CliRunner().invoke(cli, ["search", "Enercoop", "--index-dir", str(tmp_path / "ix"), "--json"])
        assert searched.exit_code == 0
        assert [h["id"] for h in json.loads(searched.stdout)["hits"]] == [ENERCOOP]
        assert process.poll() is None, "the first writer was still running during those checks"
    finally:
        process.kill()
        process.wait()


def test_progress_gives_counts_rate_and_eta(corpus_copy, tmp_path):
    from indexer import IndexProgress
    from search.cli.index_cmd import progress_line

    seen = []
    update_index([corpus_copy], tmp_path / "ix", progress=seen.append)
    assert [p.done for p in seen] == list(range(1, 11)) and {p.expected for p in seen} == {None}
    seen.clear()
    update_index([corpus_copy], tmp_path / "ix", progress=seen.append)
    assert {p.expected for p in seen} == {10}, "an update expects the size of the index it updates"
    assert progress_line(IndexProgress(1200, 5000, 3.0)) == "indexation : 1200/5000 documents, 400 docs/s, reste ~9 s"
    assert progress_line(IndexProgress(300, None, 2.0)) == "indexation : 300 documents, 150 docs/s"
    assert progress_line(IndexProgress(1000, 100000, 10.0)) == (
        "indexation : 1000/100000 documents, 100 docs/s, reste ~16 min 30 s")


def _indexed_at(index_dir) -> dict[str, str]:
    with Searcher(index_dir) as searcher:
        return {doc["id"]: doc["indexed_at"] for doc in searcher._searcher.all_stored_fields()}


def test_indexed_at_is_the_first_indexing_time_kept_by_updates_and_rebuilds(corpus_copy, tmp_path, monkeypatch):
    import indexer.sync

    monkeypatch.setattr(indexer.sync, "utc_now", lambda: "2024-01-02T03:04:05Z")
    update_index([corpus_copy], tmp_path / "ix")
    assert set(_indexed_at(tmp_path / "ix").values()) == {"2024-01-02T03:04:05Z"}
    export = corpus_copy / "rtes.txt"
    export.write_text(export.read_text(encoding="utf-8").replace("quinze bâtiments", "seize bâtiments"),
                      encoding="utf-8")
    extra = tmp_path / "extra.jsonl"
    extra.write_text(json.dumps({"id": "nouvelle", "title": "Nouvelle ressource", "text": "Un texte."}) + "\n",
                     encoding="utf-8")
    monkeypatch.setattr(indexer.sync, "utc_now", lambda: "2025-06-07T08:09:10Z")
    assert update_index([corpus_copy, extra], tmp_path / "ix").updated == 1
    build_index([corpus_copy, extra], tmp_path / "ix")
    times = _indexed_at(tmp_path / "ix")
    assert times.pop("nouvelle") == "2025-06-07T08:09:10Z"
    assert set(times.values()) == {"2024-01-02T03:04:05Z"}, "updated and rebuilt documents keep their first time"


def test_a_renamed_resource_replaces_its_old_version_without_prune(corpus_copy, tmp_path):
    """The export's title is the resource's identity: renamed, it has a new id; the file read
    again is the truth for what it holds, so the old id goes, with no --prune."""
    index(corpus_copy, "--index-dir", tmp_path / "ix")
    export = corpus_copy / "rtes.txt"
    renamed = export.read_text(encoding="utf-8").replace("Ville de Lille / Enercoop", "Ville de Lille / Enercoop SCIC")
    export.write_text(renamed, encoding="utf-8")
    report = json.loads(index(corpus_copy, "--index-dir", tmp_path / "ix", "--json").stdout)
    assert {k: report[k] for k in ("added", "updated", "deleted", "unchanged")} == {
        "added": 1, "updated": 0, "deleted": 1, "unchanged": 9}
    with Searcher(tmp_path / "ix") as searcher:
        assert searcher.search("", include_private=True).total == 10
        assert [h.title[-30:] for h in searcher.search("Enercoop").hits] == ["Ville de Lille / Enercoop SCIC"]


def test_an_unreadable_file_keeps_its_documents(corpus_copy, tmp_path):
    index(corpus_copy, "--index-dir", tmp_path / "ix")
    (corpus_copy / "rtes.txt").write_bytes(b"\xff\xfe not an export \x00")
    result = CliRunner().invoke(cli, ["index", str(corpus_copy), "--index-dir", str(tmp_path / "ix"), "-q"])
    assert result.exit_code == 1 and "aucun document indexable" in result.stderr
    assert Searcher(tmp_path / "ix").search("", include_private=True).total == 10
