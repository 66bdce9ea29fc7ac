"""Indexes that can always be repaired, and never appear by accident.

A damaged index (truncated or garbled segment, table of contents or
manifest, 64 bytes flipped in a posting list or the stored fields, missing
``current`` link) stops ``index`` with a French message naming the command
that repairs it, ``index --check`` finds it, and ``index --rebuild``
always repairs it without reading the broken generation. An index is built
on demand only at the default place from the default corpus.
"""

from __future__ import annotations

import errno
import json
import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from indexer import build_index, update_index
from indexer.errors import IndexDamagedError
from indexer.storage import CURRENT, current_generation
from search import Searcher
from search.cli import cli

from conftest import CORPUS, DATA
from damage_support import DAMAGES, FLIPS, garble_the_manifest, remove_the_current_link, truncate_a_segment


@pytest.fixture(params=DAMAGES, ids=lambda f: f.__name__)
def damaged(request, tmp_path) -> Path:
    index_dir = tmp_path / "index"
    build_index([CORPUS], index_dir)
    request.param(index_dir)
    return index_dir


def run(*args):
    return CliRunner().invoke(cli, [*map(str, args)])


def test_index_without_rebuild_says_it_is_damaged_and_how_to_repair(damaged):
    result = run("index", CORPUS, "--index-dir", damaged, "-q")
    assert result.exit_code == 1, result.output
    assert "index endommagé" in result.stderr and f"--rebuild --index-dir {damaged}" in result.stderr
    assert "Traceback" not in result.output
    with pytest.raises(IndexDamagedError):
        update_index([CORPUS], damaged)


def test_index_check_finds_the_damage_and_names_the_repair(damaged):
    result = run("index", "--check", "--index-dir", damaged)
    assert result.exit_code == 1, result.output
    assert "index endommagé" in result.stderr and f"--rebuild --index-dir {damaged}" in result.stderr
    assert "Traceback" not in result.output


@pytest.mark.parametrize("flip", FLIPS)
def test_index_check_names_the_flipped_block_and_json_lists_it(tmp_path, flip):
    index_dir = tmp_path / "index"
    build_index([CORPUS], index_dir)
    assert run("index", "--check", "--index-dir", index_dir).stdout.startswith("index intact : gen-")
    flip(index_dir)
    generation = current_generation(index_dir).name
    result = run("index", "--check", "--json", "--index-dir", index_dir)
    assert result.exit_code == 1
    problems = json.loads(result.stdout)["problems"]
    assert len(problems) == 1 and problems[0].startswith(f"bloc endommagé : {generation}/MAIN_")
    assert problems[0].endswith(("octets 49152 à 65535", "octets 0 à 16383"))


@pytest.mark.parametrize("flip", FLIPS)
def test_a_rebuild_over_flipped_bytes_says_what_it_rewrote(tmp_path, flip):
    """Damage outside the columns of ids and hashes: the rebuild still knows the documents."""
    build_index([CORPUS], tmp_path)
    flip(tmp_path)
    result = run("index", CORPUS, "--index-dir", tmp_path, "--rebuild")
    assert result.stdout.startswith("ajoutés 0, mis à jour 0, supprimés 0, inchangés 10 (réécrits 10), ignorés ")


def test_an_index_written_before_checksums_is_read_and_gets_them_at_its_next_update(tmp_path):
    build_index([CORPUS], tmp_path)
    generation = current_generation(tmp_path)
    manifest = json.loads((generation / "manifest.json").read_text(encoding="utf-8"))
    del manifest["checksums"], manifest["checksum"]
    (generation / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    (generation / "checksums.crc32").unlink()
    with Searcher(tmp_path) as searcher:
        assert [h.id for h in searcher.search("Enercoop").hits] == ["fiche-deniche-pour-vous-n-4-ville-de-lille-enercoop"]
    old = run("index", "--check", "--index-dir", tmp_path)
    assert old.exit_code == 0 and "écrit sans sommes de contrôle" in old.stdout
    update_index([DATA / "malformed-export.txt"], tmp_path)  # a new generation, from hard links
    assert current_generation(tmp_path) != generation
    assert run("index", "--check", "--index-dir", tmp_path).stdout.startswith("index intact : gen-")


def test_index_check_writes_nothing_and_refuses_paths(tmp_path):
    index_dir = tmp_path / "index"
    build_index([CORPUS], index_dir)
    before = sorted(p.name for p in current_generation(index_dir).iterdir())
    assert run("index", CORPUS, "--check", "--index-dir", index_dir).exit_code == 2
    assert run("index", "--check", "--index-dir", tmp_path / "none").exit_code == 1
    assert sorted(p.name for p in current_generation(index_dir).iterdir()) == before


def test_index_rebuild_always_repairs(damaged):
    result = run("index", CORPUS, "--index-dir", damaged, "--rebuild", "--json", "-q")
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    # Every document written again: as unchanged when the old columns could still be read, else as added.
    assert report["added"] + report["rewritten"] == 10 and report["documents"] == 10
    assert run("index", "--check", "--index-dir", damaged).exit_code == 0
    with Searcher(damaged) as searcher:
        assert [h.id for h in searcher.search("Enercoop").hits] == ["fiche-deniche-pour-vous-n-4-ville-de-lille-enercoop"]
    assert run("search", "Enercoop", "--index-dir", damaged).exit_code == 0


@pytest.mark.parametrize("damage", [garble_the_manifest, remove_the_current_link], ids=["manifest", "link"])
@pytest.mark.parametrize("command", [["search", "ESS"], ["stats"]])
def test_search_and_stats_fail_in_french_and_never_rebuild(tmp_path, monkeypatch, damage, command):
    """Even the default index of the default corpus is not silently rebuilt when damaged."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("RTES_SEARCH_INDEX", raising=False)
    shutil.copytree(CORPUS, tmp_path / "corpus")
    build_index([tmp_path / "corpus"], tmp_path / "index")
    damage(tmp_path / "index")
    generations = sorted(p.name for p in (tmp_path / "index").glob("gen-*"))
    result = run(*command)
    assert result.exit_code == 1, result.output
    assert "index endommagé" in result.stderr and "--rebuild" in result.stderr and "Traceback" not in result.output
    assert sorted(p.name for p in (tmp_path / "index").glob("gen-*")) == generations, "nothing was rebuilt"


def test_the_repair_command_names_the_sources_and_columns(tmp_path):
    from indexer import FieldMapping

    records = tmp_path / "records.jsonl"
    records.write_text('{"ref": "a", "titre": "Un titre", "contenu": "Un texte."}\n', encoding="utf-8")
    build_index([records], tmp_path / "ix", mapping=FieldMapping("ref", "titre", "contenu"))
    truncate_a_segment(tmp_path / "ix")
    with pytest.raises(IndexDamagedError) as raised:
        update_index([records], tmp_path / "ix")
    assert (f"rtes-search index {records} --id-field ref --title-field titre --text-field contenu --rebuild "
            f"--index-dir {tmp_path / 'ix'}") in str(raised.value)


def test_a_mistyped_index_dir_is_an_error_and_no_folder_appears(tmp_path, monkeypatch):
    monkeypatch.chdir(CORPUS.parent)
    mistyped = tmp_path / "a" / "mistyped" / "dir"
    result = run("search", "ESS", "--index-dir", mistyped)
    assert result.exit_code == 1
    assert f"aucun index dans {mistyped}" in result.stderr
    assert not (tmp_path / "a").exists()


def test_only_the_default_index_of_the_default_corpus_is_built_on_demand(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("RTES_SEARCH_INDEX", raising=False)
    shutil.copytree(CORPUS, tmp_path / "corpus")
    result = run("search", "Enercoop")
    assert result.exit_code == 0, result.output
    assert "index construit : 10 documents" in result.stderr and (tmp_path / "index" / CURRENT).is_symlink()


def test_an_out_of_date_index_in_a_read_only_folder_is_searched_with_a_warning(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("RTES_SEARCH_INDEX", raising=False)
    shutil.copytree(CORPUS, tmp_path / "corpus")
    build_index([tmp_path / "corpus"], tmp_path / "index")
    export = tmp_path / "corpus" / "rtes-ressources-export.txt"
    export.write_text(export.read_text(encoding="utf-8").replace("quinze bâtiments", "seize bâtiments"),
                      encoding="utf-8")
    generation = current_generation(tmp_path / "index")
    _read_only(tmp_path / "index", monkeypatch)
    result = run("search", "Enercoop")
    assert result.exit_code == 0, result.output
    assert "Enercoop" in result.stdout
    assert "index pas à jour" in result.stderr and "résultats de l'index existant" in result.stderr
    assert current_generation(tmp_path / "index") == generation


def _read_only(index_dir: Path, monkeypatch) -> None:
    """The index folder made read-only; as root, where permissions do not bind, its writers' lock
    refuses (readers' shared leases on a generation need no write permission, and stay allowed)."""
    for path in (index_dir, *index_dir.iterdir()):
        path.chmod(0o555 if path.is_dir() else 0o444)
    if os.geteuid() == 0:
        import fcntl

        flock = fcntl.flock

        def refused(fd, operation):
            if operation & fcntl.LOCK_EX:
                raise PermissionError(errno.EACCES, "Permission denied", str(index_dir / "lock"))
            return flock(fd, operation)

        monkeypatch.setattr(fcntl, "flock", refused)
