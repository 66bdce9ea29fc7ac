"""Token lists in and out for each rule of the French analyzer, on corpus text."""

from __future__ import annotations

import pytest

from indexer.analysis import AccentFoldFilter, ElisionFilter, french_analyzer
from whoosh.analysis import RegexTokenizer

from indexer.analysis import TOKEN_PATTERN


def tokens(text: str) -> list[str]:
    return [t.text for t in french_analyzer()(text)]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("l'article 37", ["article", "37"]),
        ("l’importance de ces démarches", ["importance", "demarches"]),
        ("qu’importe lorsqu’intervient", ["importe", "intervient"]),
        ("jusqu'au bout", ["bout"]),
        ("aujourd'hui", ["aujourd'hui"]),
    ],
)
def test_elision(text, expected):
    assert tokens(text) == expected


def test_elision_filter_alone_keeps_case_and_offsets():
    toks = ElisionFilter()(RegexTokenizer(TOKEN_PATTERN)("L’ESS", chars=True))
    assert [(t.text, t.startchar, t.endchar) for t in toks] == [("ESS", 2, 5)]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Économie Solidaire", ["economie", "solidaire"]),
        ("mise en œuvre", ["mise", "oeuvre"]),
        ("Auvergne Rhöne Alpes", ["auvergne", "rhone", "alpes"]),
    ],
)
def test_lowercase_and_accent_folding(text, expected):
    assert tokens(text) == expected


def test_fold_filter_alone():
    assert [t.text for t in AccentFoldFilter()(RegexTokenizer()("cœur Réseau"))] == ["coeur", "Reseau"]


def test_french_stop_words_are_removed_folded():
    # "été", "à", "les", "des" are stop words; "été" only matches folded.
    assert tokens("les marchés réservés aux entreprises de l'ESS ont été présentés à Niort") == [
        "marches", "reserves", "entreprises", "ess", "presentes", "niort",
    ]


def test_offsets_point_into_the_original_text():
    text = "Marchés réservés aux entreprises de l’ESS"
    toks = french_analyzer()(text, chars=True)  # Whoosh reuses one Token: read it as it streams
    assert [text[t.startchar:t.endchar] for t in toks] == ["Marchés", "réservés", "entreprises", "ESS"]
