"""The word cache gives the analyzer's own tokens: texts, positions and character offsets."""

from __future__ import annotations

import gzip
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from indexer import iter_documents
from indexer.analysis import french_analyzer, plain_analyzer
from indexer.analysis.cache import WordCache

from conftest import CORPUS, ROOT

CDTN = ROOT / "data" / "cdtn-datafiller-2020" / "corpus.jsonl.gz"
ANALYZERS = {"french": french_analyzer(), "plain": plain_analyzer()}

# Pieces of French that exercise every filter: elision, stop words (leading ones too),
# compounds (some made of stop words only), legal references, ordinals, inclusive
# writing, ligatures, typographic apostrophes, numbers, and the cache's own sentinel.
PIECES = [
    "l'", "l’", "d'", "qu'", "jusqu'", "le", "la", "les", "des", "de", "et", "à", "a", "y",
    "économie", "Économie", "sociale", "solidaire", "ESS", "SIAE", "SCIC", "co-construction",
    "Auvergne-Rhône-Alpes", "mise-en-œuvre", "de-la", "-", "--", "art.", "art", "37", "L. 2113-15",
    "L2113-15", "n°", "nº", "n° 4", "1ère", "6ème", "13eme", "élu·e·s", "agent.es", "salarié·e",
    "cœur", "œuvre", "ﬁnale", "«", "»", "…", "0qx0", "0QX0", "2019", "2113-15", "R. 4", "d-1",
    "aujourd'hui", "c'est-à-dire", "peut-être", "États", "é", ".", ",", "(", ")", "\n",
]
texts = st.lists(st.sampled_from(PIECES) | st.text(max_size=6), max_size=40).map(
    lambda parts: " ".join(parts)
) | st.text(max_size=80)


def reference(analyzer, text: str) -> list[tuple[str, int, int, int]]:
    tokens = analyzer(text, positions=True, chars=True, boosts=True, mode="index")
    return [(t.text, t.pos, t.startchar, t.endchar) for t in tokens if not t.stopped]


def grouped(tokens) -> dict[bytes, list[int]]:
    found: dict[bytes, list[int]] = {}
    for text, pos, _, _ in tokens:
        found.setdefault(text.encode("utf-8"), []).append(pos)
    return found


@pytest.mark.parametrize("name", sorted(ANALYZERS))
@settings(max_examples=300, deadline=None)
@given(text=texts)
def test_cached_tokens_are_the_analyzers(name, text):
    analyzer = ANALYZERS[name]
    cache = WordCache(analyzer, offsets=True)
    expected = reference(analyzer, text)
    assert cache.tokens(text) == expected
    assert cache.tokens(text) == expected, "and again, from the cache"
    assert cache.positions([text]) == grouped(expected)


@pytest.mark.parametrize("name", sorted(ANALYZERS))
@given(parts=st.lists(texts, max_size=3))
@settings(max_examples=100, deadline=None)
def test_positions_of_several_parts_are_those_of_the_joined_text(name, parts):
    analyzer = ANALYZERS[name]
    assert WordCache(analyzer).positions(parts) == grouped(reference(analyzer, "\n".join(parts)))


def _corpus_texts() -> list[str]:
    texts = [t for doc in iter_documents([CORPUS]) for t in (doc.title, doc.summary, doc.body)]
    with gzip.open(CDTN, "rt", encoding="utf-8") as lines:
        for number, line in enumerate(lines):
            if number % 25 == 0:  # every 25th of 14,673 documents; scripts/bench/analysis_cache.py reads all
                record = json.loads(line)
                texts += [record["title"], record["text"]]
    return texts


@pytest.mark.parametrize("name", sorted(ANALYZERS))
def test_on_real_text_cached_equals_uncached_token_for_token(name):
    analyzer = ANALYZERS[name]
    cache = WordCache(analyzer, offsets=True)
    for text in _corpus_texts():
        assert cache.tokens(text) == reference(analyzer, text)


def test_a_full_cache_starts_afresh_and_stays_right():
    analyzer = ANALYZERS["french"]
    cache = WordCache(analyzer, max_words=5, offsets=True)
    # Each text shares words with the one before, and adds enough new ones to overfill the cache.
    texts = ["Les structures de l'insertion", "l'insertion par l'activité économique", "économique et l'ESS",
             "l'ESS et les collectivités", "les collectivités co-construisent les politiques"]
    whole = []  # texts the cache gave up on and analysed whole
    analyse = cache._analyse
    cache._analyse = lambda text: (whole.append(text) if text in texts else None) or analyse(text)
    sizes = []
    for text in texts * 2:
        assert cache.tokens(text) == reference(analyzer, text)
        sizes.append(len(cache._words))
    assert max(sizes) <= 5 and sizes != sorted(sizes)  # bounded, and started afresh at least once
    assert whole == []
