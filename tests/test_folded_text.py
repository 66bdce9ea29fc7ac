"""Words found in a text folded letter for letter: the same places as the accent-blind patterns (issue 22).

``search.words.FoldedText`` replaced a scan per pattern (``letters_of``,
``spelled_like``) in snippets and written forms; each answer here is
checked against the pattern it stands for, on texts made of the
characters that could tell them apart.
"""

from __future__ import annotations

import re

from hypothesis import HealthCheck, given, settings, strategies as st

from search.snippets import _finder, _places
from search.words import FoldedText, letters_of, spelled_like

# Accents and capitals, a letter that is no word character when folded (×), a ligature, a dotted
# capital whose lower case is longer, typographic apostrophes, hyphens, digits, code letters.
TRICKY = "aeécÉEoxX×œßİl’'-_ 1237LRd.\n°"
texts = st.text(alphabet=TRICKY, max_size=60)
words = st.text(alphabet="aecoxlrd-'_123É", min_size=1, max_size=5)


def pattern_spans(pattern: re.Pattern, text: str) -> list[tuple[int, int]]:
    return [m.span() for m in pattern.finditer(text)]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts, words)
def test_word_starts_are_those_of_the_accent_blind_pattern(text, word):
    found = FoldedText(text).at_word_starts(word)
    pattern = re.compile(r"(?<!\w)(?:%s)" % letters_of(word))
    assert found is None or found == pattern_spans(pattern, text)
    assert (found is None) == ("×" in text or not word.isascii() or word.lower() != word)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts, words, st.booleans())
def test_whole_words_are_those_of_spelled_like(text, word, hyphens):
    found = FoldedText(text).whole_words(word, hyphens)
    assert found is None or found == pattern_spans(spelled_like(word, hyphens), text)
    if "×" not in text and word.isascii() and word.lower() == word and not (hyphens and "-" in word):
        assert found is not None


def test_found_in_french_text_as_written():
    text = "L'Économie sociale, l'économie co-construite; ÉCONOMIE × 2 et Co--construction."
    folded = FoldedText(text.replace("×", "x"))
    assert [text[s:e] for s, e in folded.at_word_starts("econ")] == ["Écon", "écon", "ÉCON"]
    assert [text[s:e] for s, e in folded.whole_words("economie")] == ["Économie", "économie", "ÉCONOMIE"]
    assert [text[s:e] for s, e in folded.whole_words("coconstruite", hyphens=True)] == ["co-construite"]
    assert FoldedText(text).at_word_starts("econ") is None   # "×" folds to x without being a letter


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts, st.frozensets(st.text(alphabet="aecoxlrd123É", min_size=1, max_size=6), max_size=6))
def test_snippet_places_are_those_of_one_pattern_per_head(text, terms):
    heads = {t[:4] for t in terms}
    assert _places(text, terms) == sorted(s for head in heads for s in pattern_spans(_finder(head), text))
