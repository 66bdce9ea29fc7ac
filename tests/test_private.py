"""Private resources never leak, on any path, to a caller without access.

The corpus's one private resource (``SIEG``: "Ressource privée : Oui") has
words no public resource has (``disponibles``, ``informations``) and facet
values only it carries (type « Fiche technique », thème « SIEG et droit
européen »). Every way of asking is checked for them without access, and
checked to find them with access, so each assertion can fail.
"""

from __future__ import annotations

import csv
import io

import feedparser
import pytest

from search import DocumentNotFoundError

from conftest import SIEG
from http_support import TOKEN

PRIVATE_WORDS = ("disponibles", "informations")
PRIVATE_VALUES = {"type": "Fiche technique", "theme": "SIEG et droit européen"}
AUTH = {"Authorization": f"Bearer {TOKEN}"}


def _ids(results) -> set[str]:
    return {h.id for h in results.hits}


@pytest.mark.parametrize("query", [*PRIVATE_WORDS, "type:fiche", "thème:droit", ""])
def test_search_and_ranking(searcher, query):
    assert SIEG not in _ids(searcher.search(query, limit=100))
    assert SIEG not in {doc for doc, _ in searcher.ranking(query)}
    assert SIEG in _ids(searcher.search(query, limit=100, include_private=True))
    assert SIEG in {doc for doc, _ in searcher.ranking(query, include_private=True)}


@pytest.mark.parametrize("field, value", PRIVATE_VALUES.items())
def test_facet_counts_values_and_filters(searcher, field, value):
    for disjunctive in (False, True):
        results = searcher.search("", filters={field: value}, disjunctive=disjunctive)
        assert results.total == 0 and results.filters[field] == (value,)  # as typed: it tells nothing new
        assert value not in results.facets[field] and value not in searcher.facets()[field]
    assert searcher.search("", filters={field: value}, include_private=True).total == 1
    assert value in searcher.facets(include_private=True)[field]


def test_document_similar_suggest_and_stats(searcher):
    with pytest.raises(DocumentNotFoundError):
        searcher.document(SIEG)
    with pytest.raises(DocumentNotFoundError):
        searcher.similar(SIEG)
    assert all(SIEG not in _ids(searcher.similar(h.id, limit=100)) for h in searcher.search("", limit=20).hits)
    assert not any("disponib" in s.lower() for s in searcher.suggest("dispon"))
    assert "disponibles" in searcher.suggest("dispon", include_private=True)
    assert searcher.stats()["documents"] == searcher.stats(include_private=True)["documents"] - 1


@pytest.mark.parametrize("path, params", [
    ("/api/v1/search", {"q": "disponibles"}),
    ("/api/v1/search", {"q": "", "type": "Fiche technique"}),
    ("/api/v1/facets", {}),
    ("/api/v1/suggest", {"q": "dispon"}),
    ("/", {"q": "disponibles"}),
    ("/", {"q": ""}),
    ("/feed", {"q": "disponibles"}),
    ("/api/v1/search.csv", {"q": "disponibles"}),
])
def test_http_answers(client, path, params):
    """What the caller did not type of the private resource is in no public answer."""
    public, private = client.get(path, params=params), client.get(path, params=params, headers=AUTH)
    assert public.status_code == private.status_code == 200
    secrets = [s for s in (SIEG, "disponibles", "Fiche technique", "Intérêt Économique") if s not in str(params)]
    assert not [s for s in secrets if s in public.text]
    assert [s for s in secrets if s in private.text]


def test_http_document_feed_and_csv_parse_without_it(client):
    assert client.get(f"/api/v1/documents/{SIEG}").status_code == 404
    assert client.get(f"/api/v1/documents/{SIEG}", headers=AUTH).status_code == 200
    feed = feedparser.parse(client.get("/feed", params={"q": "services"}).text)
    assert feed.entries and all(SIEG not in e.link for e in feed.entries)
    rows = list(csv.DictReader(io.StringIO(client.get("/api/v1/search.csv", params={"q": "services"}).text.lstrip("\ufeff"))))
    assert rows and SIEG not in {r["id"] for r in rows}
    assert "Fiche technique" not in client.get("/", params={"type": "fiche"}).text
