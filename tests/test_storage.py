"""A new build replaces the index atomically; a failed build leaves it in place, and nothing of itself.

The full-disk cases run ``rtes-search index`` in a process whose Whoosh
files can hold only so many bytes (``tests/full_disk``: the write past them
fails with ``ENOSPC``), the process and the two it starts for a large fresh
build alike.
"""

from __future__ import annotations

import errno
import gzip
import itertools
import os
import subprocess
import sys
from pathlib import Path

import pytest

from indexer import IndexerError, build_index, update_index
from indexer.errors import IndexUnwritableError
from indexer.pipeline import IN_PROCESS
from indexer.storage import check_index, current_generation
from search import Searcher

from conftest import CORPUS, DATA, ROOT

FULL_DISK = Path(__file__).resolve().parent / "full_disk"
LAW = ROOT / "data" / "codes-juridiques-francais" / "articles.jsonl.gz"


def test_rebuild_switches_generation_and_keeps_the_previous_one(tmp_path):
    build_index([CORPUS], tmp_path)
    first = current_generation(tmp_path)
    with Searcher(tmp_path) as searcher:
        build_index([DATA / "malformed-export.txt"], tmp_path)
        second = current_generation(tmp_path)
        assert second != first and first.exists()
        # The open searcher still reads the old generation until it refreshes.
        assert searcher.search("").total == 9
        assert searcher.refresh() is True
        assert searcher.search("").total == 2
    build_index([CORPUS], tmp_path)
    assert not first.exists(), "generations older than the previous one are removed"


def test_failed_build_keeps_the_current_index(tmp_path):
    build_index([CORPUS], tmp_path)
    before = current_generation(tmp_path)
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(IndexerError, match="aucun document indexable"):
        build_index([empty], tmp_path)
    assert current_generation(tmp_path) == before
    assert Searcher(tmp_path).search("").total == 9


def test_current_is_a_relative_symlink(tmp_path):
    build_index([CORPUS], tmp_path)
    assert not os.path.isabs(os.readlink(tmp_path / "current"))


@pytest.fixture(scope="module")
def law_articles(tmp_path_factory) -> Path:
    """The first law articles, enough for a build in three processes (``indexer.pipeline``)."""
    path = tmp_path_factory.mktemp("law") / "articles.jsonl"
    with gzip.open(LAW, "rt", encoding="utf-8") as source:
        path.write_text("".join(itertools.islice(source, IN_PROCESS + 200)), encoding="utf-8")
    return path


def index_on_a_full_disk(source: Path, index_dir: Path, room: int) -> subprocess.CompletedProcess:
    """``rtes-search index SOURCE`` where the index files can hold ``room`` bytes per process."""
    env = dict(os.environ, RTES_TEST_DISK_BYTES=str(room),
               PYTHONPATH=os.pathsep.join(filter(None, [str(FULL_DISK), os.environ.get("PYTHONPATH")])))
    return subprocess.run(
        [sys.executable, "-c", "from search.cli import main; main()", "index", str(source), "--id-field", "doc_id",
         "--index-dir", str(index_dir), "-q"], env=env, cwd=ROOT, capture_output=True, text=True, timeout=600,
    )


@pytest.mark.parametrize("room", [100_000, 3_000_000], ids=["while-adding", "while-committing"])
def test_a_fresh_import_on_a_full_disk_names_the_disk_and_leaves_nothing(law_articles, tmp_path, room):
    index_dir = tmp_path / "index"
    result = index_on_a_full_disk(law_articles, index_dir, room)
    assert result.returncode == 1, result.stderr
    assert f"impossible de créer l'index dans {index_dir} : plus de place sur le disque monté sur /" in result.stderr
    assert "libres) ; libérez de la place puis relancez" in result.stderr
    assert "Traceback" not in result.stderr and "sans réponse" not in result.stderr
    assert [p.name for p in index_dir.iterdir()] == ["lock"], "the partial generation is removed"


def test_an_update_on_a_full_disk_keeps_the_index_and_removes_its_own_files(law_articles, tmp_path):
    build_index([CORPUS], tmp_path)
    before = sorted(p.name for p in tmp_path.glob("gen-*"))
    result = index_on_a_full_disk(law_articles, tmp_path, 20_000)
    assert result.returncode == 1 and "plus de place sur le disque monté sur" in result.stderr, result.stderr
    assert sorted(p.name for p in tmp_path.glob("gen-*")) == before
    assert not check_index(tmp_path).problems
    assert Searcher(tmp_path).search("").total == 9


def test_an_update_whose_copy_fills_the_disk_removes_the_copy(tmp_path, monkeypatch):
    """On a file system without hard links the update copies the current generation: the copy
    that fills the disk goes, the current generation stays."""
    import indexer.storage

    build_index([CORPUS], tmp_path)
    before = sorted(p.name for p in tmp_path.glob("gen-*"))

    def no_hard_links(source, target):
        raise OSError(errno.EPERM, os.strerror(errno.EPERM))

    def copy_until_full(source, target):
        Path(target).write_bytes(Path(source).read_bytes()[:100])
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(indexer.storage.os, "link", no_hard_links)
    monkeypatch.setattr(indexer.storage.shutil, "copy2", copy_until_full)
    with pytest.raises(IndexUnwritableError, match=f"dans {tmp_path} : plus de place sur le disque monté sur /"):
        update_index([DATA / "malformed-export.txt"], tmp_path)
    assert sorted(p.name for p in tmp_path.glob("gen-*")) == before



@pytest.mark.parametrize("last_file", ["checksums.crc32.tmp", "manifest.json.tmp"])
def test_a_full_disk_while_the_manifest_is_written_leaves_the_index_as_it_was(tmp_path, monkeypatch, last_file):
    build_index([CORPUS], tmp_path)
    before = sorted(p.name for p in tmp_path.glob("gen-*"))
    write_bytes = Path.write_bytes

    def fills_the_disk(path, data):
        if path.name == last_file:
            write_bytes(path, data[:10])
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return write_bytes(path, data)

    monkeypatch.setattr(Path, "write_bytes", fills_the_disk)
    with pytest.raises(IndexUnwritableError, match="plus de place sur le disque"):
        build_index([CORPUS], tmp_path)
    assert sorted(p.name for p in tmp_path.glob("gen-*")) == before
    assert not list(tmp_path.glob("gen-*/*.tmp"))
