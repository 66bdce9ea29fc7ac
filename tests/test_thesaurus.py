"""Query-time expansion of acronyms, both ways, on the real corpus."""

from __future__ import annotations

import pytest

from search.compile import Compiler
from search.nodes import AllOf, Terms, leaves
from search.query import All, parse
from search.thesaurus import expand, load_entries
from conftest import CLERMONT, ENERCOOP, WEBINAR


def built(text: str, view) -> list:
    """The nodes the product compiles from ``text``, one per word, before the thesaurus."""
    tree, _ = parse(text)
    compiler = Compiler(view)
    return [n for n in (compiler.build(i) for i in (tree.items if isinstance(tree, All) else (tree,))) if n]


@pytest.fixture()
def expanded(searcher):
    view = searcher.view()
    return lambda text: expand(built(text, view), view.analyzer("body"))


def _leaves(nodes) -> list[Terms]:
    return [t for n in nodes for t in leaves(n)]


def test_the_data_file_has_the_field_acronyms():
    acronyms = {e.acronym for e in load_entries()}
    assert len(acronyms) >= 40
    assert {"ESS", "IAE", "SIAE", "SCIC", "SCOP", "SIEG", "SPASER", "PTCE", "CRESS", "ESUS", "CPO", "DSP",
            "MAPA", "TZCLD", "EPCI", "CNFPT", "DIRECCTE", "DREETS", "AAP", "CCAS"} <= acronyms


def test_acronym_also_matches_its_expansion_as_a_phrase(expanded):
    nodes, found = expanded("MAPA")
    assert found == ("synonyme : MAPA = marché à procédure adaptée",)
    phrases = [t for t in _leaves(nodes) if t.is_phrase]
    # The field boosts shared by the expansion's three words: it weighs as one word.
    assert {(p.field, p.boost) for p in phrases} == {("title", 3.0 / 3), ("summary", 1.5 / 3), ("body", 1.0 / 3)}
    assert phrases[0].terms == ("march", "procedur", "adapte")


def test_expansion_words_also_match_the_acronym(expanded):
    nodes, found = expanded("le développement de l'économie sociale et solidaire")
    assert found == ("synonyme : ESS = économie sociale et solidaire",)
    assert Terms("body", ("ess",)) in _leaves(nodes)
    assert len(nodes) == 2  # développement, and the expansion's three words as one clause


def test_an_ambiguous_acronym_is_expanded_one_way_only(expanded):
    nodes, found = expanded("calcul RC")
    assert found == ("synonyme : RC = rupture conventionnelle",)
    assert ("ruptur", "conventionnel") in {t.terms for t in _leaves(nodes)}
    # "RC" is also "responsabilité civile": the long form never searches the acronym.
    nodes, found = expanded("rupture conventionnelle")
    assert found == () and "rc" not in {t for leaf in _leaves(nodes) for t in leaf.terms}


def test_longest_expansion_wins(expanded):
    _, found = expanded("structures d'insertion par l'activité économique")
    assert found == ("synonyme : SIAE = structure d'insertion par l'activité économique",)


def test_words_that_spell_no_expansion_are_left_alone(expanded, searcher):
    nodes, found = expanded("marchés réservés")
    assert found == ()
    assert nodes == built("marchés réservés", searcher.view())


def test_phrase_queries_pass_through(expanded):
    nodes, found = expanded('"économie sociale et solidaire"')
    assert found == () and len(nodes) == 1 and isinstance(nodes[0], AllOf)


def test_searcher_reports_expansions_and_finds_through_them(searcher):
    results = searcher.search("SCIC")
    assert results.hits[0].id == CLERMONT
    by_words = searcher.search("sociétés coopératives d'intérêt collectif")
    assert "synonyme : SCIC = société coopérative d'intérêt collectif" in by_words.warnings
    assert by_words.hits[0].id == CLERMONT
    # "MAPA" is nowhere in the corpus: only the expansion finds the Lille fiche.
    assert searcher.search("MAPA").hits[0].id in {ENERCOOP, WEBINAR}


@pytest.fixture(scope="module")
def site_pages(tmp_path_factory):
    """The site fixture's pages: its home page writes "économie sociale et solidaire", never ESS."""
    from indexer import build_index
    from search import Searcher

    from conftest import ROOT

    folder = tmp_path_factory.mktemp("site")
    build_index([ROOT / "tests" / "fixtures" / "site" / "pages"], folder)
    with Searcher(folder) as pages:
        yield pages


def test_an_expansion_weighs_as_one_word_never_more_than_its_best_word(site_pages):
    def score(query):
        return {h.id: h.score for h in site_pages.search(query, limit=50).hits}.get("index", 0.0)

    words = [score(w) for w in ("économie", "sociale", "solidaire")]
    assert min(words) > 0
    assert 0 < score("ESS") <= max(words)   # the sum of the three, before: 11.3 against 4.9

