"""Similar resources and search-box completions on the real corpus, private access respected."""

from __future__ import annotations

import pytest

from search import DocumentNotFoundError, SearchError
from conftest import COCONST_CONF, COCONST_FICHE, MARCHES, SIEG, WEBINAR


@pytest.mark.parametrize("source, closest", [(WEBINAR, MARCHES), (COCONST_CONF, COCONST_FICHE)])
def test_the_closest_resource_comes_first(searcher, source, closest):
    results = searcher.similar(source)
    assert results.hits[0].id == closest
    assert source not in [h.id for h in results.hits]
    scores = [h.score for h in results.hits]
    assert scores == sorted(scores, reverse=True)


def test_similar_snippets_show_the_shared_key_terms(searcher):
    hit = searcher.similar(WEBINAR).hits[0]
    marked = {s.text[a:b].lower() for s in hit.snippets for a, b in s.highlights}
    assert {"marchés", "réservés"} & marked


def test_similar_respects_private_access(searcher):
    public = searcher.similar(WEBINAR, limit=20)
    assert SIEG not in [h.id for h in public.hits] and public.total == len(public.hits)
    assert SIEG in [h.id for h in searcher.similar(WEBINAR, limit=20, include_private=True).hits]
    with pytest.raises(DocumentNotFoundError):
        searcher.similar(SIEG)
    assert searcher.similar(SIEG, include_private=True).hits


def test_similar_limit_and_unknown_id(searcher):
    assert len(searcher.similar(WEBINAR, limit=2).hits) == 2
    assert searcher.similar(WEBINAR, limit=2).to_dict()["query"] == WEBINAR
    with pytest.raises(DocumentNotFoundError):
        searcher.similar("pas-une-ressource")
    with pytest.raises(SearchError):
        searcher.similar(WEBINAR, limit=0)


def test_suggest_completes_the_last_word_from_what_precedes(searcher):
    assert searcher.suggest("marchés rés", limit=3)[0] == "marchés réservés"
    assert searcher.suggest("Ener")[0] == "Enercoop"


def test_suggest_completes_titles(searcher):
    found = searcher.suggest("co-constr")
    assert "Point de RepèrESS : Co-construction des politiques publiques" in found
    assert found[0] == "co-construction"


def test_suggest_never_shows_private_words_or_titles(searcher):
    assert "Les Services d’Intérêt Économique Général" in searcher.suggest("Les Serv", include_private=True)
    assert not any("Intérêt" in s for s in searcher.suggest("Les Serv"))
    assert searcher.suggest("dispon") == []  # "disponibles" is written only in the private resource
    assert searcher.suggest("dispon", include_private=True) == ["disponibles"]


@pytest.mark.parametrize("prefix", ["", "   ", "zzzq", "((", '"', "*"])
def test_suggest_without_completion_is_empty(searcher, prefix):
    assert searcher.suggest(prefix) == []


def test_suggest_limit(searcher):
    assert len(searcher.suggest("co", limit=4)) == 4
    assert len(set(s.casefold() for s in searcher.suggest("co", limit=10))) == len(searcher.suggest("co", limit=10))
