"""Query-time expansion of acronyms, both ways, on the real corpus."""

from __future__ import annotations

import pytest
from whoosh import index as whoosh_index
from whoosh.query import And, Phrase, Term

from indexer.storage import current_generation
from search.compile import QueryBuilder
from search.facets import FacetIndex
from search.query import parse
from search.thesaurus import load_entries, expand_query

WEBINAR = "retour-sur-la-conference-en-ligne-marches-reserves-du-5-juin-2018"
LILLE = "fiche-deniche-pour-vous-n-4-ville-de-lille-enercoop"
SCIC_MEETING = "1ere-rencontre-auvergne-rhone-alpes-des-collectivites-autour-de-l-ess-clermont-f"


@pytest.fixture(scope="module")
def whoosh_searcher(corpus_index):
    with whoosh_index.open_dir(str(current_generation(corpus_index))).searcher() as s:
        yield s


def built(text: str, whoosh_searcher):
    """The query the product builds from ``text`` (parse → build), before the thesaurus."""
    tree, _ = parse(text)
    return QueryBuilder(whoosh_searcher, FacetIndex(whoosh_searcher)).build(tree)


@pytest.fixture()
def expanded(whoosh_searcher):
    return lambda text: expand_query(built(text, whoosh_searcher), whoosh_searcher.schema)


def test_the_data_file_has_the_field_acronyms():
    acronyms = {e.acronym for e in load_entries()}
    assert len(acronyms) >= 40
    assert {"ESS", "IAE", "SIAE", "SCIC", "SCOP", "SIEG", "SPASER", "PTCE", "CRESS", "ESUS", "CPO", "DSP",
            "MAPA", "TZCLD", "EPCI", "CNFPT", "DIRECCTE", "DREETS", "AAP", "CCAS"} <= acronyms


def test_acronym_also_matches_its_expansion_as_a_phrase(expanded):
    q, found = expanded("MAPA")
    assert found == ("synonyme : MAPA = marché à procédure adaptée",)
    phrases = [s for s in q.leaves() if isinstance(s, Phrase)]
    assert {p.fieldname for p in phrases} == {"title", "summary", "body"}
    assert phrases[0].words == ["march", "procedur", "adapte"]


def test_expansion_words_also_match_the_acronym(expanded):
    q, found = expanded("le développement de l'économie sociale et solidaire")
    assert found == ("synonyme : ESS = économie sociale et solidaire",)
    assert Term("body", "ess") in list(q.leaves())


def test_longest_expansion_wins(expanded):
    _, found = expanded("structures d'insertion par l'activité économique")
    assert found == ("synonyme : SIAE = structure d'insertion par l'activité économique",)


def test_words_that_spell_no_expansion_are_left_alone(expanded, whoosh_searcher):
    q, found = expanded("marchés réservés")
    assert found == ()
    assert q == built("marchés réservés", whoosh_searcher)


def test_phrase_queries_pass_through(expanded):
    q, found = expanded('"économie sociale et solidaire"')
    assert found == () and isinstance(q, And)


def test_searcher_reports_expansions_and_finds_through_them(searcher):
    results = searcher.search("SCIC")
    assert results.hits[0].id == SCIC_MEETING
    by_words = searcher.search("sociétés coopératives d'intérêt collectif")
    assert "synonyme : SCIC = société coopérative d'intérêt collectif" in by_words.warnings
    assert by_words.hits[0].id == SCIC_MEETING
    # "MAPA" is nowhere in the corpus: only the expansion finds the Lille fiche.
    assert searcher.search("MAPA").hits[0].id in {LILLE, WEBINAR}
