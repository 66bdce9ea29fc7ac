"""Token lists in and out for each rule of the French analyzer, on corpus text."""

from __future__ import annotations

import doctest
import pickle

import pytest
from whoosh.analysis import RegexTokenizer

from indexer.analysis import (
    TOKEN_PATTERN,
    AccentFoldFilter,
    CompoundFilter,
    ElisionFilter,
    FrenchStemFilter,
    InclusiveWritingFilter,
    LegalReferenceFilter,
    NormaliseFilter,
    OrdinalFilter,
    french_analyzer,
    plain_analyzer,
)
from indexer.analysis.stemming import minimal_stem


def tokens(text: str, mode: str = "index") -> list[str]:
    return [t.text for t in french_analyzer()(text, mode=mode)]


def positioned(text: str, mode: str = "index") -> list[tuple[str, int]]:
    return [(t.text, t.pos) for t in french_analyzer()(text, positions=True, mode=mode)]


def through(filter_, text: str) -> list[str]:
    return [t.text for t in filter_(RegexTokenizer(TOKEN_PATTERN)(text))]


# -- normalisation ------------------------------------------------------------

def test_normalise_filter_alone():
    assert through(NormaliseFilter(), "l’œuvre « Marchés » ﬁnale") == ["l'oeuvre", "Marchés", "finale"]


@pytest.mark.parametrize("apostrophe", ["'", "’", "ʼ", "‘"])
def test_every_apostrophe_elides(apostrophe):
    assert tokens(f"développement de l{apostrophe}ESS") == ["developp", "ess"]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("l'article 37", ["articl", "37"]),
        ("qu’importe lorsqu’intervient", ["import", "intervient"]),
        ("jusqu'au bout", ["bout"]),
        ("puisqu’elle s’intéresse à la co-construction", ["interess", "coconstruct", "co", "construct"]),
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
        ("Économie Solidaire", ["econom", "solidair"]),
        ("mise en œuvre", ["mis", "oeuvr"]),
        ("Auvergne Rhöne Alpes", ["auvergn", "rhon", "alpe"]),
    ],
)
def test_lowercase_accent_folding_and_ligatures(text, expected):
    assert tokens(text) == expected


def test_fold_filter_alone():
    assert through(AccentFoldFilter(), "cœur Réseau élu·e") == ["coeur", "Reseau", "elu*e"]


def test_unaccented_query_meets_accented_text():
    # docs/engine-pitfalls.md, pitfall 1: stemming before folding split these apart.
    assert tokens("sécurité sociale des collectivités") == tokens("securite sociale des collectivites")
    assert tokens("securite sociale des collectivites") == ["securit", "social", "collectivit"]
    assert tokens("marchés réservés") == tokens("marches reserves") == ["march", "reserv"]


# -- stop words ---------------------------------------------------------------

def test_french_stop_words_are_removed_folded():
    # "été", "à", "les", "des" are stop words; "été" only matches folded.
    assert tokens("les marchés réservés aux entreprises de l'ESS ont été présentés à Niort") == [
        "march", "reserv", "entrepris", "ess", "present", "niort",
    ]


def test_stop_words_leave_no_gap_so_phrases_match():
    assert positioned("économie sociale et solidaire") == [("econom", 0), ("social", 1), ("solidair", 2)]


# -- compounds -------------------------------------------------------------------

def test_compound_indexes_joined_form_and_parts_at_consecutive_positions():
    assert positioned("co-construction des politiques") == [
        ("coconstruct", 0), ("co", 0), ("construct", 1), ("polit", 2),
    ]


def test_compound_query_gives_parts_only():
    assert positioned("co-construction des politiques", mode="query") == [
        ("co", 0), ("construct", 1), ("polit", 2),
    ]


@pytest.mark.parametrize(
    "text, joined, parts",
    [
        ("visio-conférence", "visioconferent", ["visio", "conferent"]),
        ("Auvergne-Rhône-Alpes", "auvergnerhonealp", ["auvergn", "rhon", "alpe"]),
        ("recherche-action", "rechercheact", ["recherch", "action"]),
    ],
)
def test_compounds_of_the_corpus(text, joined, parts):
    assert tokens(text) == [joined, *parts]
    assert tokens(text.replace("-", "")) == [joined]
    assert tokens(text.replace("-", " ")) == parts


def test_compound_drops_stop_word_parts_and_keeps_number_ranges():
    assert through(CompoundFilter({"en"}), "mise-en-oeuvre 2113-15") == ["miseoeuvre", "mise", "oeuvre", "2113-15"]


def test_compound_part_offsets_point_into_the_original_text():
    text = "la co-construction"
    toks = [(t.text, text[t.startchar:t.endchar]) for t in french_analyzer()(text, chars=True)]
    assert toks == [("coconstruct", "co-construction"), ("co", "co"), ("construct", "construction")]


# -- legal references, ordinals, inclusive writing --------------------------------

@pytest.mark.parametrize(
    "written",
    ["art. 37", "art 37", "article 37", "l'article 37", "Art.37", "l’art. 37"],
)
def test_article_references_are_one(written):
    assert tokens(written) == ["articl", "37"]


@pytest.mark.parametrize("written", ["L. 2113-15", "L2113-15", "article L2113-15", "l'article L. 2113-15"])
def test_code_article_numbers_match_each_other(written):
    assert [t for t in tokens(written) if t != "articl"] == ["2113-15"]


@pytest.mark.parametrize("written", ["n° 4", "n°4", "numéro 4", "nº 4", "N° 4"])
def test_numero_forms_are_one(written):
    assert tokens(written) == ["numero", "4"]


def test_legal_reference_filter_alone():
    assert through(LegalReferenceFilter(), "art 37 n° 4 r4624-10") == ["article", "37", "numero", "4", "4624-10"]


@pytest.mark.parametrize(
    "written, normal",
    [("1ère", "1er"), ("1re", "1er"), ("1er", "1er"), ("1ere", "1er"), ("6ème", "6e"), ("6e", "6e"), ("13eme", "13e")],
)
def test_ordinals(written, normal):
    assert tokens(f"la {written} rencontre") == [normal, "rencontr"]


def test_ordinal_filter_alone():
    assert through(OrdinalFilter(), "1ere 2nd 6ieme 37") == ["1er", "2e", "6e", "37"]


@pytest.mark.parametrize(
    "written, plain",
    [("élu·e·s", "élus"), ("élu.e.s", "élus"), ("élu•e•s", "élus"), ("agent·es", "agents"), ("salarié·e", "salarié")],
)
def test_inclusive_writing(written, plain):
    expected = {"élus": ["elus", "collectivit"], "agents": ["agent", "collectivit"], "salarié": ["salar", "collectivit"]}
    assert tokens(f"les {written} des collectivités") == tokens(f"les {plain} des collectivités") == expected[plain]


def test_inclusive_writing_filter_alone():
    assert through(InclusiveWritingFilter(), "citoyen·ne·s acteur·rice·s") == ["citoyens", "acteurs"]


# -- stemming -----------------------------------------------------------------------

def test_stemming_joins_singular_and_plural():
    assert tokens("convention pluriannuelle d'objectif") == tokens("conventions pluriannuelles d’objectifs")
    assert tokens("conventions pluriannuelles d’objectifs") == ["convent", "pluriannuel", "object"]


def test_acronyms_are_protected_from_stemming():
    assert tokens("SIAE ESUS CRESS SCOP") == ["siae", "esus", "cress", "scop"]


def test_stem_filter_survives_pickling_with_the_schema():
    stem = FrenchStemFilter("snowball", {"siae"})
    clone = pickle.loads(pickle.dumps(stem))
    assert clone == stem
    assert through(clone, "structures siae") == ["structur", "siae"]


def test_minimal_stemmer():
    assert [minimal_stem(w) for w in ("marches", "chevaux", "reserver", "salariee", "ess")] == [
        "march", "cheval", "reserv", "salari", "ess",
    ]


def test_unknown_stemmer_is_refused():
    with pytest.raises(ValueError):
        FrenchStemFilter("porter")


# -- offsets and the plain analyzer -----------------------------------------------------

def test_offsets_point_into_the_original_text():
    text = "Marchés réservés aux entreprises de l’ESS"
    toks = french_analyzer()(text, chars=True)  # Whoosh reuses one Token: read it as it streams
    assert [text[t.startchar:t.endchar] for t in toks] == ["Marchés", "réservés", "entreprises", "ESS"]


def test_plain_analyzer_keeps_stop_words_and_whole_words():
    words = [t.text for t in plain_analyzer()("Les élu·e·s de la co-construction")]
    assert words == ["les", "elus", "de", "la", "coconstruction", "co", "construction"]


@pytest.mark.parametrize("module", ["normalise", "french", "stemming"])
def test_docstring_examples(module):
    import importlib

    failures, tried = doctest.testmod(importlib.import_module(f"indexer.analysis.{module}"))
    assert tried > 0 and failures == 0
