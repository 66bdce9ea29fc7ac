"""Snippets on real resources: best passages, cut at boundaries, highlights on the text as written."""

from __future__ import annotations

import re

import pytest

from indexer.analysis.french import LegalReferenceFilter
from indexer.schema import SCHEMA
from search.snippets import (
    FRAGMENT_CHARS, Highlight, _places, best_fragments, fragment_end, fragment_start, match_spans, snippets_for,
)
from conftest import SIEG, WEBINAR


def first(searcher, query, **kwargs):
    return searcher.search(query, **kwargs).hits[0]


def marked(snippet):
    return [snippet.text[s:e] for s, e in snippet.highlights]


def test_up_to_three_fragments_of_about_200_characters(searcher):
    hit = first(searcher, "marchés réservés")
    assert hit.id == WEBINAR and len(hit.snippets) == 3
    for snippet in hit.snippets:
        assert snippet.field == "body"
        assert 100 <= len(snippet.text) <= 260
        # The analysis stems: marché, marchés, réservés, réservation are one word each.
        assert all(m.lower().startswith(("march", "réserv")) for m in marked(snippet)), marked(snippet)
        assert marked(snippet)


def test_fragments_cut_at_words_and_sentences(searcher):
    hit = first(searcher, "marchés réservés")
    body = searcher.document(hit.id).body.replace("\n", " ")
    for snippet in hit.snippets:
        start = body.index(snippet.text)
        end = start + len(snippet.text)
        assert start == 0 or not body[start - 1].isalnum()
        assert end == len(body) or not body[end].isalnum()


def test_fragments_are_in_text_order_and_do_not_overlap(searcher):
    hit = first(searcher, "marchés réservés")
    body = searcher.document(hit.id).body.replace("\n", " ")
    starts = [body.index(s.text) for s in hit.snippets]
    assert starts == sorted(starts)
    assert all(starts[i] + len(hit.snippets[i].text) <= starts[i + 1] for i in range(len(starts) - 1))


def test_highlights_keep_accents_case_and_apostrophes(searcher):
    economy = marked(first(searcher, "economie").snippets[0])
    assert economy and all(m.startswith("économ") for m in economy), economy  # accents as written
    snippets = first(searcher, "l'article 37").snippets
    assert any("article 37" in marked(s) and "l'article 37" in s.text for s in snippets)  # one unit
    assert all(not s.text.startswith("37)") for s in snippets)  # "art. 37" does not end a sentence
    assert {"LILLE", "Lille"} <= {m for s in first(searcher, "lille enercoop").snippets for m in marked(s)}


def test_summary_when_the_body_lacks_the_terms(searcher):
    hit = first(searcher, "services d'intérêt économique général", include_private=True)
    assert hit.id == SIEG
    assert hit.snippets[0].field == "summary"
    assert marked(hit.snippets[0]) == ["Services d’Intérêt Économique Général"]  # the words side by side: one mark


def test_title_when_only_the_title_matches(searcher):
    hit = first(searcher, "titre:rencontre titre:SCIC")
    assert [s.field for s in hit.snippets] == ["title"]
    assert hit.snippets[0].text == hit.title and "SCIC" in marked(hit.snippets[0])


def test_negated_words_are_not_highlighted(searcher):
    hit = first(searcher, "marchés SAUF insertion")
    assert all("insertion" not in m.lower() for s in hit.snippets for m in marked(s))


def test_prefix_and_phrase_highlights(searcher):
    words = {m.lower() for s in first(searcher, "constru*").snippets for m in marked(s)}
    assert words <= {"construction", "construire"} and "construction" in words
    phrase = first(searcher, '"marchés réservés"').snippets[0]
    assert "marchés réservés" in [m.lower() for m in marked(phrase)]  # a phrase is one mark


def test_boundaries_on_a_real_sentence():
    text = ("Le RTES publie un guide. " * 3) + "La commande publique responsable favorise l'ESS dans les territoires. " * 5
    match = text.index("responsable")
    start = fragment_start(text, match)
    assert text[start - 2:start] == ". " and start <= match
    end = fragment_end(text, start, match + len("responsable"))
    assert end - start <= FRAGMENT_CHARS + 40 and text[end - 1] in ".s"


def test_best_fragment_has_the_most_distinct_terms():
    text = ("Une phrase sur le marché local sans autre mot. " * 6) + "Les marchés réservés sont ouverts. " + "Fin. " * 60
    spans = [(m.start(), m.end(), {m.group().lower()[:6]}) for m in re.finditer(r"marchés?|réservés", text)]
    fragments = best_fragments(text, spans)
    assert any("marchés réservés" in t for t, _ in fragments)


TEXT_FIELDS = ("title", "summary", "body")
# Code rural et de la pêche maritime, article L800-1 (Légifrance): "économique, sociale" apart, then the expansion.
RURAL_CODE = (
    "152-1 du code forestier assurent l'acquisition et la diffusion de connaissances et de compétences permettant "
    "de répondre aux enjeux de performance économique, sociale, environnementale et sanitaire des activités de "
    "production, de transformation et de services liées à l'agriculture, à l'alimentation, aux territoires ou à la "
    "sylviculture, notamment par l'agro-écologie et par le modèle coopératif et d'économie sociale et solidaire."
)


def highlight(terms, sequences=()):
    """The ``Highlight`` the planner gives for these analysed terms and runs, in every text field."""
    return Highlight({f: frozenset(terms) for f in TEXT_FIELDS}, {f: frozenset(sequences) for f in TEXT_FIELDS})


ESS = highlight({"ess"}, {("econom", "social", "solidair")})
ARTICLE_37 = highlight({"articl", "37"}, {("articl", "37")})


def marks_in(text, fieldname, wanted):
    return [text[s:e] for s, e, _ in match_spans(text, fieldname, wanted, SCHEMA)]


def test_an_expansion_is_one_mark_and_its_words_alone_are_none():
    assert marks_in(RURAL_CODE, "body", ESS) == ["économie sociale et solidaire"]
    assert marks_in("Le développement de l'ESS et de l'économie sociale.", "body", ESS) == ["ESS"]


def test_a_legal_reference_is_one_mark_however_it_is_written():
    text = "un marché réservé art. 37 à pouvoir ; mobiliser l'article 37 ; l'article 36 ; (art. 37)."
    assert marks_in(text, "body", ARTICLE_37) == ["art. 37", "article 37", "article", "art. 37"]


def test_a_sequence_spans_a_compound_and_stop_words():
    words = Highlight(sequences={"words": frozenset({("construction", "des", "politiques")})})
    text = "La co-construction des politiques publiques, la construction de politiques."
    assert marks_in(text, "body", words) == ["construction des politiques"]
    compound = highlight((), {("co", "construct")})
    assert marks_in("La co-construction et la co construction, la construction.", "body", compound) == [
        "co-construction", "co construction"]


def test_article_37_shows_its_passages_first_as_one_unit(searcher):
    doc = searcher.document(WEBINAR)
    stored = {"title": doc.title, "summary": doc.summary, "body": doc.body}
    snippets = snippets_for(stored, ARTICLE_37, SCHEMA)
    assert len(snippets) == 3
    for snippet in snippets:  # never the passage on "l'article 36" alone
        assert {"art. 37", "article 37"} & set(marked(snippet)), snippet.text
    assert "l'intérêt de l'article 36" not in " ".join(s.text for s in snippets)


def test_the_ess_expansion_never_marks_its_words_alone(searcher):
    results = searcher.search("ESS", limit=20)
    assert results.total >= 8
    marks = {m for hit in results.hits for s in hit.snippets for m in marked(s)}
    assert {m.lower() for m in marks} == {"ess"}, marks


@pytest.mark.parametrize("abbreviation", sorted(LegalReferenceFilter._words))
def test_abbreviations_the_analysis_expands_are_candidate_places(abbreviation):
    token = next(iter(SCHEMA["body"].analyzer(f"{abbreviation} 4", mode="index"))).text
    assert _places(f"voir {abbreviation} 4", frozenset({token})), (abbreviation, token)


@pytest.mark.parametrize("text, term", [("l'article 37", "37"), ("l'article L2113-15", "2113-15"), ("6e", "6e"),
                                        ("2019", "2019"), ("55", "55")])
def test_numbers_are_candidate_places(text, term):
    assert marks_in(text, "body", highlight({term})) == [text.split()[-1].removeprefix("l'")]
