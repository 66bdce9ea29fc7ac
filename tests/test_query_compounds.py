"""Compounds written three ways (issue 23): hyphenated, spaced and joined, in queries and resources.

The resources: the site fixture's "tiers-lieux" fiche (hyphenated), and
three short resources written from its first sentence, the compound
written apart, joined, or not at all (``lieux`` alone), plus the real
corpus for ``co-construction``.
"""

from __future__ import annotations

import json

import pytest

from indexer import FieldMapping, build_index
from search import Searcher
from search.plan import plan_search

from conftest import ROOT

SENTENCE = ("Espaces de travail partagé, fab labs, ressourceries ou cafés associatifs : les {} se multiplient "
            "dans les villes moyennes et les territoires ruraux.")
WRITTEN = {"apart": "tiers lieux", "joined": "tierslieux", "none": "lieux de travail"}
FICHE = "fiche-tiers-lieux-et-politiques-locales-de-l-ess"
SPELLINGS = ["tiers-lieux", "tiers lieux", "tierslieux", "Tiers-Lieux"]


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    folder = tmp_path_factory.mktemp("compounds")
    records = folder / "written.jsonl"
    records.write_text("".join(
        json.dumps({"id": name, "title": f"Espaces partagés ({name})", "text": SENTENCE.format(words)}) + "\n"
        for name, words in WRITTEN.items()
    ), encoding="utf-8")
    build_index([ROOT / "tests" / "fixtures" / "site" / "pages"], folder / "pages")
    build_index([records], folder / "written", mapping=FieldMapping("id", "title", "text"))
    with Searcher(folder / "pages") as pages, Searcher(folder / "written") as written:
        yield pages, written


@pytest.mark.parametrize("query", SPELLINGS)
def test_the_three_spellings_give_the_same_hits_and_scores(site, query):
    pages, _ = site
    first = pages.search(SPELLINGS[0], limit=20)
    results = pages.search(query, limit=20)
    assert results.hits[0].id == FICHE
    assert [(h.id, round(h.score, 9)) for h in results.hits] == [(h.id, round(h.score, 9)) for h in first.hits]


@pytest.mark.parametrize("query", SPELLINGS)
def test_each_spelling_finds_the_compound_however_a_resource_writes_it(site, query):
    _, written = site
    ids = [h.id for h in written.search(query).hits]
    assert set(ids[:2]) == {"apart", "joined"}   # the compound, written apart or joined, first
    assert ids[2:] == ["none"]                    # "lieux" alone after them


def test_a_compound_of_the_corpus_as_typed_apart_joined_or_hyphenated(searcher):
    results = [searcher.search(q) for q in ("co-construction", "co construction", "coconstruction")]
    assert [h.id for h in results[0].hits] == [h.id for h in results[1].hits] == [h.id for h in results[2].hits]
    assert results[0].hits[0].id == "point-de-reperess-co-construction-des-politiques-publiques"
    assert all(r.corrections == () and r.suggestion is None for r in results)


def test_on_the_export_the_three_spellings_of_an_absent_compound_say_the_same(searcher):
    results = [searcher.search(q) for q in ("tiers lieux", "tiers-lieux", "tierslieux")]
    assert len({tuple((h.id, round(h.score, 9)) for h in r.hits) for r in results}) == 1
    assert all("« tiers » ne figure dans aucune ressource" in r.warnings and r.suggestion is None for r in results)


@pytest.mark.parametrize("query, clauses", [
    ("L2113-15", 1),          # a code article stays whole
    ("2018-2019", 1),         # a number range too
    ("surtout", 1),           # an everyday French word is never split
    ("artcle", 1),            # a typo of "article", not "art cle"
    ("SPASER", 1),            # an acronym, not "spa ser"
])
def test_what_is_not_a_compound_stays_one_word(searcher, query, clauses):
    assert len(plan_search(query, searcher.view(), {}).clauses) == clauses
