"""Re-order the first hits of a ranking by meaning, when the index has meaning vectors.

The words rank first (``search.ranking``); then, within the first
``DEPTH`` hits, each hit's score becomes::

    score / best score  +  WEIGHT × max(0, cosine(query vector, hit vector))

with the vectors of ``indexer.meaning``. The query vector is the query
encoded as typed, moved towards what the words found (pseudo-relevance
feedback, Rocchio's in meaning space): plus ``FEEDBACK_WEIGHT`` times the
mean vector of the words' first ``FEEDBACK`` hits, then brought back to norm
1. A query in its own words ("vacances annuelles") shares few words with the
resources, but the first hits the words find say in the resources' words
what it is about, and the re-ordering then prefers what is close to both.
Only the order of those ``DEPTH`` hits changes: what matches, the total,
the facet counts and recall at ``DEPTH`` are the words' own, and no
document comes in by meaning alone. Hits beyond ``DEPTH`` keep the words'
order with ``score / best score``, below every re-ordered hit (the cosine
term is never negative), so scores still decrease down the list.

Privacy: the hits re-ordered, and those whose vectors move the query, are
those the caller may see (the ranking was made within them); the query is
compared with their vectors only.

Chosen on the CDTN dev topics (docs: ranking and evaluation): fusing within
the first 100 beat reciprocal-rank fusion, min-max and z-score
normalisation, adding the 50 or 100 nearest documents by meaning, and
encoding each document as several passages; the feedback (10 hits, weight 1,
with ``WEIGHT`` 3 instead of 2 without it) raised nDCG@10 on first wordings
and on all wordings alike, where encoding the query with its accents
restored and its typos corrected did not.
"""

from __future__ import annotations

import numpy as np

from indexer import meaning as encoder

DEPTH = 100
WEIGHT = 3.0
FEEDBACK = 10          # the words' first hits whose mean vector moves the query's
FEEDBACK_WEIGHT = 1.0


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

    def rows(self, docs: np.ndarray) -> np.ndarray:
        """``float32[len(docs), DIMENSIONS]``: the vector of each document (its number), of norm about 1."""
        found = np.zeros((len(docs), encoder.DIMENSIONS), dtype=np.float32)
        for (rows, scales), offset in self.parts:
            inside = (docs >= offset) & (docs < offset + len(scales))
            local = docs[inside] - offset
            found[inside] = rows[local].astype(np.float32) * scales[local, None]
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
    rows = vectors.rows(head)
    towards = query_vector(encoder.encode([query])[0], rows[:FEEDBACK])
    fused = lexical[:DEPTH] + WEIGHT * np.maximum(rows @ towards, 0.0)
    order = np.lexsort((head, -fused))
    return [(int(head[i]), float(fused[i])) for i in order] + [
        (int(doc), float(score)) for doc, score in zip(docs[DEPTH:], lexical[DEPTH:])
    ]


def query_vector(typed: np.ndarray, first: np.ndarray) -> np.ndarray:
    """The query's vector (``typed``, norm 1) moved towards the mean of ``first`` (the vectors of the
    words' first hits, best first), by ``FEEDBACK_WEIGHT``; norm 1.

    >>> query_vector(np.array([1.0, 0.0]), np.array([[0.0, 1.0], [0.0, 1.0]])).round(3).tolist()
    [0.707, 0.707]
    """
    moved = typed + FEEDBACK_WEIGHT * _unit(first.mean(axis=0)) if len(first) else typed
    return _unit(moved)


def _unit(vector: np.ndarray) -> np.ndarray:
    """``vector`` divided by its norm (as is when that is 0)."""
    norm = np.linalg.norm(vector)
    return vector / norm if norm > 0 else vector
