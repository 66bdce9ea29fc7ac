"""Snippets on real resources: best passages, cut at boundaries, highlights on the text as written."""

from __future__ import annotations

import re

from search.snippets import FRAGMENT_CHARS, best_fragments, fragment_end, fragment_start

WEBINAR = "retour-sur-la-conference-en-ligne-marches-reserves-du-5-juin-2018"
SIEG = "les-services-d-interet-economique-general"


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
    assert any("article" in marked(s) and "l'article 37" in s.text for s in snippets)
    assert all(not s.text.startswith("37)") for s in snippets)  # "art. 37" does not end a sentence
    assert {"LILLE", "Lille"} <= {m for s in first(searcher, "lille enercoop").snippets for m in marked(s)}


def test_summary_when_the_body_lacks_the_terms(searcher):
    hit = first(searcher, "services d'intérêt économique général", include_private=True)
    assert hit.id == SIEG
    assert hit.snippets[0].field == "summary"
    assert marked(hit.snippets[0]) == ["Services", "Intérêt", "Économique", "Général"]


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
    assert "marchés" in [m.lower() for m in marked(phrase)]


def test_boundaries_on_a_real_sentence():
    text = ("Le RTES publie un guide. " * 3) + "La commande publique responsable favorise l'ESS dans les territoires. " * 5
    match = text.index("responsable")
    start = fragment_start(text, match)
    assert text[start - 2:start] == ". " and start <= match
    end = fragment_end(text, start, match + len("responsable"))
    assert end - start <= FRAGMENT_CHARS + 40 and text[end - 1] in ".s"


def test_best_fragment_has_the_most_distinct_terms():
    text = ("Une phrase sur le marché local sans autre mot. " * 6) + "Les marchés réservés sont ouverts. " + "Fin. " * 60
    spans = [(m.start(), m.end(), m.group().lower()[:6]) for m in re.finditer(r"marchés?|réservés", text)]
    fragments = best_fragments(text, spans)
    assert any("marchés réservés" in t for t, _ in fragments)
