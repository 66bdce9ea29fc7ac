"""Re-order the first hits of a ranking by meaning, when the index has meaning vectors.

The words rank first (``search.ranking``); then, within the first
``DEPTH`` hits, each hit's score becomes::

    score / best score  +  WEIGHT × max(0, cosine(query vector, hit vector))

with the vectors of ``indexer.meaning`` (the query encoded as typed). Only
the order of those ``DEPTH`` hits changes: what matches, the total, the
facet counts and recall at ``DEPTH`` are the words' own, and no document
comes in by meaning alone. Hits beyond ``DEPTH`` keep the words' order with
``score / best score``, below every re-ordered hit (the cosine term is never
negative), so scores still decrease down the list.

Privacy: the hits re-ordered are those the caller may see (the ranking
was made within them); the query is compared with their vectors only.

Chosen on the CDTN dev topics (docs: ranking and evaluation): fusing within
the first 100 with weight 2 beat reciprocal-rank fusion, min-max and z-score
normalisation, adding the 50 or 100 nearest documents by meaning, and
encoding each document as several passages.
"""

from __future__ import annotations

import numpy as np

from indexer import meaning as encoder

DEPTH = 100
WEIGHT = 2.0


class MeaningVectors:
    """The meaning vectors of one generation's segments (``indexer.meaning``).

    Each segment's file is read once, checked against its checksums, and
    kept with what the searcher keeps of that segment for the next
    generations (``search.local.segments``): a push's generation reads only
    its new segment's file. At 101,194 documents, 52 MB per open searcher.
    """

    def __init__(self, postings, storage):
        """``postings``: the searcher's ``search.local.postings.Postings`` (segments and their offsets);
        ``storage``: the generation's storage, whose files are checked as they are read."""
        self.parts = postings.each_segment(("meaning",), lambda segment: _segment_vectors(segment, storage))
        self.complete = all(part is not None for part, _ in self.parts)

    def cosines(self, query: np.ndarray, docs: np.ndarray) -> np.ndarray:
        """``float64[len(docs)]``: the cosine of each document (its number) with ``query`` (norm 1)."""
        found = np.zeros(len(docs))
        for (rows, scales), offset in self.parts:
            inside = (docs >= offset) & (docs < offset + len(scales))
            local = docs[inside] - offset
            found[inside] = (rows[local].astype(np.float32) @ query) * scales[local]
        return found


def _segment_vectors(segment, storage):
    """One segment's ``(int8 rows, scales)``, or None when its file is absent or does not fit it."""
    name = encoder.file_name(segment)
    if not storage.file_exists(name):
        return None
    with storage.open_file(name) as handle:
        return encoder.read_vectors(handle.read(), segment.doc_count_all())


def rerank(query: str, ranked: list[tuple[int, float]], vectors: MeaningVectors) -> list[tuple[int, float]]:
    """``ranked`` (``(docnum, score)``, best first) with its first ``DEPTH`` re-ordered by meaning.

    Equal fused scores keep index order, as the words' ranking does.
    """
    if not ranked or not query.strip():
        return ranked
    docs = np.array([doc for doc, _ in ranked], dtype=np.int64)
    scores = np.array([score for _, score in ranked], dtype=np.float64)
    best = scores.max()
    lexical = scores / best if best > 0 else scores
    head = docs[:DEPTH]
    fused = lexical[:DEPTH] + WEIGHT * np.maximum(vectors.cosines(encoder.encode([query])[0], head), 0.0)
    order = np.lexsort((head, -fused))
    return [(int(head[i]), float(fused[i])) for i in order] + [
        (int(doc), float(score)) for doc, score in zip(docs[DEPTH:], lexical[DEPTH:])
    ]
