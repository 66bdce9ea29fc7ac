"""The ways a disk or a hand damages an index, shared by the tests of what each face then says and how it is repaired.

Each damages the current generation of the index in ``index_dir``.
"""

from __future__ import annotations

from pathlib import Path

from whoosh import index as whoosh_index

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


def _flip(path: Path, at: int, count: int = 64) -> None:
    """Invert ``count`` bytes of ``path`` from ``at``: the size stays, the content does not."""
    data = bytearray(path.read_bytes())
    data[at:at + count] = bytes(b ^ 0xFF for b in data[at:at + count])
    path.write_bytes(bytes(data))


def flip_a_posting_list(index_dir: Path) -> None:
    """64 bytes inverted in the postings of ``ess`` in ``body``: what a search for ESS reads."""
    generation = current_generation(index_dir)
    with whoosh_index.open_dir(str(generation)).reader() as reader:
        offset = reader.term_info("body", "ess")._offset  # where the posting list starts in the .pst file
    _flip(next(generation.glob("*.pst")), offset + 8)


def flip_the_stored_fields(index_dir: Path) -> None:
    """64 bytes inverted in the middle of the stored fields: what showing a hit reads."""
    stored = next(current_generation(index_dir).glob("*._stored.col"))
    _flip(stored, stored.stat().st_size // 2)


# The segment files themselves: what a reader finds only by reading them.
SEGMENT_DAMAGES = [truncate_a_segment, garble_the_table_of_contents]
# Damage that keeps every size: only checksums see it, a search as it reads the damaged block.
FLIPS = [flip_a_posting_list, flip_the_stored_fields]
DAMAGES = [
    *SEGMENT_DAMAGES, *FLIPS, garble_the_manifest, truncate_the_manifest, remove_the_manifest, remove_the_current_link,
]
