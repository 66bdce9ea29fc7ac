"""The ways a disk or a hand damages an index, shared by the tests of what each face then says and how it is repaired.

Each damages the current generation of the index in ``index_dir``.
"""

from __future__ import annotations

from pathlib import Path

from indexer.storage import CURRENT, MANIFEST, current_generation


def truncate_a_segment(index_dir: Path) -> None:
    postings = max(current_generation(index_dir).glob("*.pst"), key=lambda p: p.stat().st_size)
    postings.write_bytes(postings.read_bytes()[: postings.stat().st_size // 2])


def garble_the_table_of_contents(index_dir: Path) -> None:
    next(current_generation(index_dir).glob("_MAIN_*.toc")).write_bytes(b"\x00garbled\xff" * 20)


def garble_the_manifest(index_dir: Path) -> None:
    (current_generation(index_dir) / MANIFEST).write_bytes(b'{"sources": ["corpus"], "files": {\xff')


def truncate_the_manifest(index_dir: Path) -> None:
    manifest = current_generation(index_dir) / MANIFEST
    manifest.write_bytes(manifest.read_bytes()[:40])


def remove_the_manifest(index_dir: Path) -> None:
    (current_generation(index_dir) / MANIFEST).unlink()


def remove_the_current_link(index_dir: Path) -> None:
    (index_dir / CURRENT).unlink()


# The segment files themselves: what a reader finds only by reading them.
SEGMENT_DAMAGES = [truncate_a_segment, garble_the_table_of_contents]
DAMAGES = [*SEGMENT_DAMAGES, garble_the_manifest, truncate_the_manifest, remove_the_manifest, remove_the_current_link]
