"""Checksums written with each file of a generation, checked as the file is read.

Like Lucene's footers, but beside the files (Whoosh reads its files up to
their end, so nothing can be appended to them): when a generation is
complete, every index file is cut into chunks of ``CHUNK`` bytes and the
CRC-32 of each chunk is written, file after file in name order, into one
sidecar file, ``checksums.crc32``; the manifest holds the sidecar's own
CRC-32. A flipped byte anywhere, even one that keeps a file's size, then
shows as a chunk whose CRC differs.

Two ways to check:

- ``CheckedStorage``, what searchers open: a chunk is checked the first
  time any read touches it (the search reads the chunk again from the page
  cache and compares), so a search pays only for the chunks it reads and
  a damaged block is the French damaged-index error before Whoosh
  unpickles or inflates it;
- ``damaged_chunks``, what ``index`` (before it trusts a generation) and
  ``index --check`` run: every chunk of every file.

CRC-32 (``zlib.crc32``, about 1 GB/s here, twice BLAKE2b) detects any
burst of up to 32 flipped bits and anything else but one damage in four
billion; it is a check against disks and hands, not against an attacker,
who could rewrite the sidecar as well.
"""

from __future__ import annotations

import os
import zlib
from array import array
from pathlib import Path
from typing import Callable

from whoosh.filedb.filestore import FileStorage
from whoosh.filedb.structfile import StructFile

CHECKSUMS = "checksums.crc32"
CHUNK = 16 * 1024  # small enough that a search checks little beyond what it reads
READ = 64 * CHUNK  # bytes read at once when a whole file is checked

OnDamage = Callable[[str], Exception]


def chunk_sums(path: Path) -> array:
    """``uint32[chunks]``: the CRC-32 of each ``CHUNK`` bytes of ``path``."""
    sums = array("I")
    with open(path, "rb") as handle:
        while data := handle.read(READ):
            view = memoryview(data)
            sums.extend(zlib.crc32(view[at:at + CHUNK]) for at in range(0, len(data), CHUNK))
    return sums


def chunk_count(size: int) -> int:
    return -(-size // CHUNK)


class Checksums:
    """The chunk CRCs of a generation's files (``files``: name → size, as in the manifest)."""

    def __init__(self, files: dict[str, int], sums: array):
        self.files, self.sums, self._at = files, sums, {}
        at = 0
        for name in sorted(files):
            self._at[name] = at
            at += chunk_count(files[name])
        if at != len(sums):
            raise ValueError(f"{len(sums)} sommes pour {at} blocs")

    def of(self, name: str) -> array | None:
        """The CRCs of ``name``'s chunks, or None for a file the manifest does not list."""
        if name not in self._at:
            return None
        at = self._at[name]
        return self.sums[at:at + chunk_count(self.files[name])]

    @classmethod
    def compute(cls, generation: Path, files: dict[str, int], known: "Checksums | None" = None,
                same: Callable[[str], bool] = lambda name: False) -> "Checksums":
        """Sum every file of ``generation``; a file for which ``same(name)`` holds takes its
        sums from ``known`` instead of being read (a hard link to a checked generation's file)."""
        sums = array("I")
        for name in sorted(files):
            reused = known.of(name) if known is not None and same(name) else None
            sums.extend(reused if reused is not None else chunk_sums(generation / name))
        return cls(files, sums)

    def sidecar(self) -> tuple[bytes, dict]:
        """The bytes of ``checksums.crc32``, and the manifest's entry for them."""
        data = self.sums.tobytes()
        return data, {"file": CHECKSUMS, "chunk": CHUNK, "crc32": zlib.crc32(data)}

    @classmethod
    def read(cls, generation: Path, files: dict[str, int], entry: dict) -> "Checksums":
        """The sidecar of ``generation`` described by the manifest's ``entry``; ``ValueError``
        when it is not the one the manifest wrote (missing, other CRC or chunk size)."""
        try:
            data = (generation / CHECKSUMS).read_bytes()
        except OSError as exc:
            raise ValueError(f"{CHECKSUMS} illisible") from exc
        if entry.get("chunk") != CHUNK or zlib.crc32(data) != entry.get("crc32") or len(data) % 4:
            raise ValueError(f"{CHECKSUMS} ne correspond pas au manifeste")
        sums = array("I")
        sums.frombytes(data)
        return cls(files, sums)

    def damaged_chunks(self, generation: Path, names: list[str]) -> dict[str, list[int]]:
        """Each of ``names`` whose content differs from its sums, with the numbers of its damaged chunks."""
        found = {}
        for name in sorted(names):
            actual, expected = chunk_sums(generation / name), self.of(name)
            bad = [i for i, (a, e) in enumerate(zip(actual, expected)) if a != e]
            if bad or len(actual) != len(expected):
                found[name] = bad or [min(len(actual), len(expected))]
        return found


def chunk_range(chunk: int) -> str:
    """``octets 16384 à 32767``: the bytes of chunk number ``chunk``, for a message."""
    return f"octets {chunk * CHUNK} à {(chunk + 1) * CHUNK - 1}"


class CheckedFile(StructFile):
    """A Whoosh file whose reads check each chunk they touch, once, against its CRC.

    Whoosh reads only through ``read`` and ``get`` (``get_int`` and the like
    call ``get``; ``read_array`` calls ``read`` on a file it does not take
    for a real one), so both check first and the rest of ``StructFile`` is
    unchanged.
    """

    def __init__(self, fileobj, sums: array, on_damage: Callable[[int], Exception], name: str):
        super().__init__(fileobj, name=name)
        self.is_real = False  # array reads through ``read``, never ``array.fromfile``
        self._sums, self._checked, self._on_damage = sums, bytearray(len(sums)), on_damage

    def read(self, n: int = -1) -> bytes:
        at = self.file.tell()
        if n is None or n < 0 or not self._done(at, n):
            self._check(at, n if n is not None and n >= 0 else CHUNK * len(self._sums) - at)
        return self.file.read(n)

    def get(self, position: int, length: int) -> bytes:
        if not self._done(position, length):
            self._check(position, length)
        self.file.seek(position)
        return self.file.read(length)

    def _done(self, start: int, length: int) -> bool:
        """The fast path: ``start`` to ``start + length`` lies in one chunk already checked (most
        reads are a few bytes of a hash table or a posting block)."""
        chunk = start // CHUNK
        return chunk < len(self._checked) and self._checked[chunk] == 1 and (start + length - 1) // CHUNK <= chunk

    def _check(self, start: int, length: int) -> None:
        first, last = start // CHUNK, min((start + max(length, 1) - 1) // CHUNK, len(self._sums) - 1)
        checked = self._checked
        for chunk in range(first, last + 1):
            if not checked[chunk]:
                data = os.pread(self.file.fileno(), CHUNK, chunk * CHUNK)
                if zlib.crc32(data) != self._sums[chunk]:
                    raise self._on_damage(chunk)
                checked[chunk] = 1


class CheckedStorage(FileStorage):
    """A read-only Whoosh storage of one generation whose listed files are ``CheckedFile``s.

    ``on_damage(reason)`` makes the error raised for a damaged chunk (the
    French ``IndexDamagedError`` of ``indexer.storage``).
    """

    def __init__(self, generation: Path, checksums: Checksums, on_damage: OnDamage):
        super().__init__(str(generation), readonly=True)
        self._generation, self._checksums, self._on_damage = generation, checksums, on_damage

    def open_file(self, name: str, **kwargs) -> StructFile:
        sums = self._checksums.of(name)
        if sums is None or not sums:
            return super().open_file(name, **kwargs)

        def damaged(chunk: int) -> Exception:
            return self._on_damage(f"bloc endommagé : {self._generation.name}/{name}, {chunk_range(chunk)}")

        return CheckedFile(open(self._fpath(name), "rb"), sums, damaged, name)
