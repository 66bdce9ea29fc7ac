"""``ClusterSearcher``: the search contract (``search.backend.SearchBackend``) over a Typesense collection.

The plan is the local one (``search.plan`` with a ``ClusterView``); so are
the ranking formula (``search.ranking``, run over the fetched documents'
terms by ``search.cluster.matching``), the snippets, the completions and
the JSON. What differs is where documents come from (``search.cluster.fetch``):

- **up to 250 matches** (``CANDIDATES``, what one page of Typesense holds),
  all are fetched and everything is computed as locally: total, facet
  counts, order, scores. The RTES library is always in this case;
- **more**: Typesense counts the matches and the facet values (exact when
  the plan translates exactly; else a warning says the counts are
  approximate); the first 250 of its own ranking (``RESCORED``) are
  re-scored by ours and shown in our order, fetched while the matches
  are counted; pages beyond come in Typesense's order, scored by ours.
  Sorted by date, each page comes from Typesense's date order.

Private resources are filtered out by Typesense before anything is
counted, fetched or suggested; a private id is "not found" without access.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import orjson

from indexer.cluster.schema import CLUSTER_SCHEMA_VERSION
from indexer.documents import Document
from indexer.schema import FACET_FIELDS, SCHEMA, TEXT_FIELDS
from search.cluster.fetch import CANDIDATES, LISTED, RESCORED, Request, chain_window, rare_terms, stored, window
from search.cluster.expression import both, condition
from search.cluster.keyterms import ClusterKeyTerms
from search.cluster.matching import Fetched, match_coverage, ordered_facets, plan_terms
from search.matching import coverage_warning
from search.cluster.reader import CollectionReader
from search.cluster.statistics import CollectionStatistics
from search.cluster.view import ClusterView
from search.errors import DamagedIndexError, DocumentNotFoundError
from search.facet_values import normalise_filters
from search.plan import Plan, plan_search
from search.ranking import Counted
from search.results import Hit, Results
from search.similar import similar_query
from search.snippets import opening_snippet, snippets_for
from search.limits import MAX_HITS, check_page, check_sort
from search.suggest import completions

# Count searches whose answer a searcher keeps (``ClusterSearcher._rarities``).
COUNTED_KEPT = 4096
# Every value of a facet, when the manifest does not hold them.
ALL_FACET_VALUES = 10000
APPROXIMATE = ("nombre de résultats et comptes des facettes approchés : une expression exacte ou une exclusion "
               "que le cluster Typesense ne sait pas filtrer (les résultats affichés sont exacts)")


@dataclass
class Outcome:
    """One plan's answer: the total, facet counts, warnings, and the ``(document, score)`` of the window asked."""

    total: int = 0
    facets: dict[str, dict[str, int]] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    ranked: list[tuple[dict, float]] = field(default_factory=list)


class ClusterSearcher:
    """Search the collection behind ``target`` (``typesense://KEY@HOST:PORT[,…]/ALIAS``); reuse it."""

    def __init__(self, target):
        self.reader = CollectionReader(target)
        self.index_dir = self.reader.location
        try:
            self._open()
        except BaseException:
            self.reader.close()
            raise

    def _open(self) -> None:
        self.revision = self.reader.revision()
        self.statistics = CollectionStatistics(self.reader)
        self.manifest = self.reader.manifest()
        if self.manifest and self.manifest.get("cluster_schema_version") != CLUSTER_SCHEMA_VERSION:
            raise DamagedIndexError(
                f"la collection {self.reader.collection} du cluster {self.reader.location} a été écrite par une "
                f"autre version de rtes-search : reconstruisez-la avec « rtes-search index --cluster … --rebuild »")
        self._views: dict[bool, ClusterView] = {}
        self._counted: dict[bytes, int] = {}   # a count search's parameters → its count (``_rarities``)

    def refresh(self) -> bool:
        """Follow the alias to a rebuilt collection, or read the statistics, facet counts and vocabulary
        again after a push of the write API (its revision moved); True when either happened."""
        before = self.reader.collection
        if self.reader.resolve() == before and self.reader.revision() == self.revision:
            return False
        self._open()
        return True

    def close(self) -> None:
        self.reader.close()

    def __enter__(self) -> "ClusterSearcher":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def view(self, include_private: bool = False) -> ClusterView:
        """What the planner may know of the collection for a caller (``search.plan.IndexView``)."""
        if include_private not in self._views:
            self._views[include_private] = ClusterView(self, include_private)
        return self._views[include_private]

    def _expecting(self, query: str, include_private: bool) -> ClusterView:
        """The caller's view, with the documents holding each word of ``query`` counted in one round trip."""
        view = self.view(include_private)
        view.expect(query)
        return view

    # -- searching ---------------------------------------------------------

    def search(self, query: str, filters: dict | None = None, limit: int = 10, page: int = 1,
               sort: str = "relevance", include_private: bool = False, strict: bool = False,
               disjunctive: bool = False) -> Results:
        """As ``search.Searcher.search``: one page of hits with snippets, counts over every match, warnings."""
        check_page(limit, page)
        check_sort(sort)
        plan = plan_search(query or "", self._expecting(query, include_private), normalise_filters(filters), strict)
        by_date = sort == "date" or plan.browse
        outcome = self._run(self._request(plan, include_private), (page - 1) * limit, page * limit, by_date,
                            facets=True, disjunctive=disjunctive)
        return Results.planned(
            query, plan, total=outcome.total, page=page, limit=limit, hits=self._hits(plan, outcome.ranked),
            facets=outcome.facets, by_date=by_date, warnings=outcome.warnings,
        )

    def hits(self, query: str, filters: dict | None = None, limit: int = MAX_HITS, sort: str = "relevance",
             include_private: bool = False, strict: bool = False) -> tuple[Hit, ...]:
        """The first ``limit`` (at most ``MAX_HITS``) hits in ``search``'s order, without snippets nor counts."""
        check_page(limit, 1, MAX_HITS)
        check_sort(sort)
        plan = plan_search(query or "", self._expecting(query, include_private), normalise_filters(filters), strict)
        outcome = self._run(self._request(plan, include_private), 0, limit, sort == "date" or plan.browse)
        documents = stored(self.reader, [doc["id"] for doc, _ in outcome.ranked], LISTED)
        return tuple(Hit.from_stored(documents.get(doc["id"], doc), score, ()) for doc, score in outcome.ranked)

    def ranking(self, query: str, depth: int = 100, include_private: bool = False) -> list[tuple[str, float]]:
        """``(id, score)`` of the first ``depth`` hits in ``search``'s order (no snippets, no counts)."""
        plan = plan_search(query or "", self._expecting(query, include_private), {}, False)
        outcome = self._run(self._request(plan, include_private), 0, depth, plan.browse)
        return [(doc["id"], score) for doc, score in outcome.ranked]

    def _request(self, plan: Plan, include_private: bool, hidden: tuple[str, ...] = ()) -> Request:
        """``plan``'s searches for one caller (``fetch.Request``), its rare terms first (``fetch.rare_terms``).
        The document frequencies of every term of the plan (its rare terms, and BM25's idf) are most often
        known from ``ClusterView.expect``; the others are counted here, in one round trip."""
        pairs = [(name, term) for name, terms in plan_terms(plan).items() for term in terms]
        self.statistics.prefetch(pairs)
        holding: dict[str, int] = {}  # at most: documents holding the term in some field
        surely: dict[str, int] = {}   # at least: those holding it in its most frequent field
        for name, term in pairs:
            if name in TEXT_FIELDS:
                count = self.statistics.frequency(name, term)
                holding[term] = holding.get(term, 0) + count
                surely[term] = max(surely.get(term, 0), count)
        rare = rare_terms(holding)
        found = (max((surely[t] for t in rare), default=0), sum(holding[t] for t in rare))
        return Request(plan, include_private, hidden, rare, found)

    def _run(self, request: Request, start: int, end: int, by_date: bool, facets: bool = False,
             disjunctive: bool = False) -> Outcome:
        """Count, fetch and rank ``request``'s matches; the documents at positions ``start``…``end``."""
        plan = request.plan
        counting = self.reader.submit(self._counts, request, facets, disjunctive)
        # Over a collection larger than one fetch, a ranked search most likely has more matches: the first
        # window of the ranked chain is fetched while they are counted (left unused when they are not more).
        likely = self.statistics.size > CANDIDATES and not by_date and plan.clauses
        first = chain_window(self.reader, request, 0, RESCORED) if likely else None
        counts = counting.result()
        if counts["unfiltered"] <= CANDIDATES:
            return self._complete(request, start, end, by_date, facets, disjunctive, counts["counted"])
        outcome = Outcome(total=counts["total"], facets=counts["facets"])
        if not request.exact:
            outcome.warnings.append(APPROXIMATE)
        if counts["total"] <= CANDIDATES:
            fetched = self._fetch(request, request.fetching(request.condition(), CANDIDATES), counts["counted"])
            found = fetched.match(plan)
            if not request.exact:
                outcome.total = found.total
            outcome.ranked = self._ranked(fetched, found, end, by_date)[start:]
        elif by_date:
            found_window, _ = window(self.reader, lambda n, p: request.fetching(request.condition(), n, p), start, end)
            fetched = Fetched(found_window, plan, self.statistics, counts["counted"])
            found = fetched.match(plan)
            outcome.ranked = self._ranked(fetched, found, end - start, True)
        else:
            hits = first if first is not None else chain_window(self.reader, request, 0, RESCORED)
            fetched = Fetched(hits, plan, self.statistics, counts["counted"])
            found = fetched.match(plan)
            outcome.ranked = self._ranked(fetched, found, end, False)[start:]
            if end > RESCORED:
                outcome.ranked += self._beyond(request, max(start, RESCORED), end, counts["counted"])
        if counts["every"] is not None:  # else it could not be counted
            outcome.warnings += coverage_warning(counts["every"], counts["total"], len(plan.clauses), match_coverage(found)[1])
        return outcome

    def _counts(self, request: Request, facets: bool, disjunctive: bool) -> dict:
        """Matches with and without the option filters, with every clause, and the facet counts, in one
        round trip (the terms' document frequencies are known: ``_request``)."""
        plan = request.plan
        searches = {"total": request.counting(request.condition(), FACET_FIELDS if facets else ())}
        if plan.selected:
            searches["unfiltered"] = request.counting(request.condition(options=False))
        every = request.condition(every=True) if len(plan.clauses) > 1 else None
        if every is not None:
            searches["every"] = request.counting(every)
        for name in plan.selected if facets and disjunctive else ():
            searches[name] = request.counting(request.condition(leave_out=name), (name,))
        rarities = self._rarities(request)
        keys = [orjson.dumps(params) if params is not None else None for params in rarities]
        for key, params in zip(keys, rarities):
            if key is not None and key not in self._counted:
                searches["rarity", key] = params
        asked = {key: params for key, params in searches.items() if params is not None}
        answers = dict(zip(asked, self.reader.search(list(asked.values()))))
        found = {key: answers[key]["found"] if key in answers else 0 for key in searches}
        for key in keys:
            if ("rarity", key) in searches:
                self._remember(key, found["rarity", key])
        numbers = [self._counted.get(key, 0) for key in keys]   # None: a count of what matches nothing
        counted = {key: _facet_counts(answers[key]) if key in answers else {} for key in searches}
        facet_counts = {name: counted["total"].get(name, {}) for name in FACET_FIELDS} if facets else {}
        for name in plan.selected if facets and disjunctive else ():
            facet_counts[name] = counted[name].get(name, {})
        every = found.get("every", found["total"] if len(plan.clauses) < 2 else None)
        return {"total": found["total"], "unfiltered": found.get("unfiltered", found["total"]), "every": every,
                "facets": facet_counts, "counted": Counted(numbers[0], tuple(numbers[1:])) if numbers else None}

    def _rarities(self, request: Request) -> list[dict | None]:
        """The counts the coordination's rarities need (``search.ranking.Counted``): the documents searched
        (visible, with the query's required words, without its excluded ones), then, when the collection
        holds more than one fetch, those each clause matches among them. Remembered (``_counted``): the
        first is most often the same for every query, and the words of a field come back."""
        if not request.plan.clauses:
            return []
        searches = [request.counting(request.base)]
        if self.statistics.size > CANDIDATES:
            searches += [request.counting(both([request.base, condition(c)])) for c in request.plan.clauses]
        return searches

    def _remember(self, key: bytes, count: int) -> None:
        if len(self._counted) >= COUNTED_KEPT:   # the oldest go first: a long-running server's memory stays bounded
            self._counted.pop(next(iter(self._counted)), None)
        self._counted[key] = count

    def _complete(self, request: Request, start: int, end: int, by_date: bool, facets: bool,
                  disjunctive: bool, counted: Counted | None) -> Outcome:
        """Every match fetched: total, counts and order computed exactly as the local index does (what
        each clause matches is all fetched: only the documents searched are counted by Typesense)."""
        plan = request.plan
        searched = Counted(counted.searched) if counted is not None else None
        fetched = self._fetch(request, request.fetching(request.condition(options=False), CANDIDATES), searched)
        found = fetched.match(plan)
        total = found.total
        every, best = match_coverage(found)
        outcome = Outcome(total=total, warnings=coverage_warning(every, total, len(plan.clauses), best))
        outcome.facets = fetched.counts(plan, found, disjunctive) if facets else {}
        outcome.ranked = self._ranked(fetched, found, end, by_date)[start:]
        return outcome

    def _fetch(self, request: Request, params: dict | None, counted: Counted | None) -> Fetched:
        hits = [h["document"] for h in self.reader.search([params])[0]["hits"]] if params else []
        return Fetched(hits, request.plan, self.statistics, counted)

    @staticmethod
    def _ranked(fetched: Fetched, found, wanted: int, by_date: bool) -> list[tuple[dict, float]]:
        return [(fetched.hits[doc], score) for doc, score in fetched.ordered(found, wanted, by_date)]

    def _beyond(self, request: Request, start: int, end: int, counted: Counted | None) -> list[tuple[dict, float]]:
        """Matches ``start``…``end`` of Typesense's ranking (past the re-scored ones), scored by ours."""
        fetched = Fetched(chain_window(self.reader, request, start, end), request.plan, self.statistics, counted)
        found = fetched.match(request.plan)
        scores = dict(found.ranking.best(fetched.size, found.rows)) if found.ranking is not None else {}
        return [(hit, scores[doc]) for doc, hit in enumerate(fetched.hits) if doc in scores]

    def _hits(self, plan: Plan, ranked: list[tuple[dict, float]]) -> tuple[Hit, ...]:
        """The hits of a page: stored fields fetched for them alone, snippets from the plan's terms."""
        documents = stored(self.reader, [doc["id"] for doc, _ in ranked])
        highlight = plan.highlight() if plan.clauses else None
        hits = []
        for doc, score in ranked:
            fields = documents.get(doc["id"], doc)
            snippets = snippets_for(fields, highlight, SCHEMA) if highlight is not None else ()
            hits.append(Hit.from_stored(fields, score, snippets or opening_snippet(fields)))
        return tuple(hits)

    def titles(self, node, include_private: bool, limit: int) -> list[str]:
        """Titles of the best visible matches of ``node`` (completions, ``ClusterView.titles``)."""
        outcome = self._run(self._request(Plan(clauses=[node]), include_private), 0, limit, False)
        documents = stored(self.reader, [doc["id"] for doc, _ in outcome.ranked])
        return [documents[doc["id"]].get("title", "") for doc, _ in outcome.ranked if doc["id"] in documents]

    def suggest(self, prefix: str, limit: int = 10, include_private: bool = False) -> list[str]:
        """Completions of ``prefix`` for a search box: visible words and titles, best first."""
        check_page(limit, 1)
        return completions(prefix or "", self.view(include_private), limit)

    # -- one resource ------------------------------------------------------

    def _stored(self, doc_id: str, include_private: bool) -> dict:
        """The stored fields of a visible ``doc_id``; unknown and hidden ids take the same path."""
        found = stored(self.reader, [doc_id]).get(doc_id) if isinstance(doc_id, str) and doc_id else None
        if found is None or (found.get("private") and not include_private):
            raise DocumentNotFoundError(f"aucune ressource avec l'identifiant {doc_id!r}")
        return found

    def document(self, doc_id: str, include_private: bool = False) -> Document:
        """The stored resource ``doc_id``; private ones only with ``include_private``."""
        return Document.from_stored(self._stored(doc_id, include_private))

    def similar(self, doc_id: str, limit: int = 10, page: int = 1, include_private: bool = False) -> Results:
        """Other resources sharing the key terms of ``doc_id`` (``more like this``)."""
        check_page(limit, page)
        fields = self._stored(doc_id, include_private)
        query = similar_query(ClusterKeyTerms(self.statistics), fields)
        plan = Plan(clauses=[query] if query is not None else [], searchable=query is not None)
        outcome = self._run(self._request(plan, include_private, hidden=(doc_id,)), (page - 1) * limit, page * limit,
                            False, facets=True)
        return Results(query=doc_id, total=outcome.total, page=page, limit=limit,
                       hits=self._hits(plan, outcome.ranked), facets=outcome.facets)

    # -- the collection ----------------------------------------------------

    def facet_counts(self, include_private: bool) -> dict[str, dict[str, int]]:
        """Every facet value the caller may see, with its documents: as the writer counted them (its
        manifest), else (a collection written without them) as Typesense counts them, slowly."""
        recorded = self.manifest.get("facets", {}).get("all" if include_private else "public")
        if recorded is not None:
            return ordered_facets({name: recorded.get(name, {}) for name in FACET_FIELDS})
        request = Request(Plan(), include_private)
        params = request.counting(request.condition(), FACET_FIELDS)
        [answer] = self.reader.search([dict(params, max_facet_values=ALL_FACET_VALUES)])
        counted = _facet_counts(answer)
        return {name: counted.get(name, {}) for name in FACET_FIELDS}

    def facets(self, include_private: bool = False) -> dict[str, dict[str, int]]:
        """Every facet value with its count over the resources the caller may see."""
        return self.facet_counts(include_private)

    def stats(self, include_private: bool = False) -> dict:
        """Size and provenance of the collection, counting only what the caller may see."""
        request = Request(Plan(), include_private)
        [answer] = self.reader.search([request.counting(request.condition())])
        counted = self.facet_counts(include_private)
        return {
            "index_dir": self.index_dir,
            "generation": self.reader.collection,
            "documents": answer["found"],
            "built_at": self.manifest.get("built_at"),
            "analyzer_version": self.manifest.get("analyzer_version"),
            "sources": self.manifest.get("sources", []),
            "size_bytes": self.reader.memory(),
            "facet_values": {name: len(counted.get(name, {})) for name in FACET_FIELDS},
        }


def _facet_counts(answer: dict) -> dict[str, dict[str, int]]:
    """Typesense's ``facet_counts`` as ``{facet: {value: count}}``, ordered as the local index orders them."""
    counts = {f["field_name"]: {c["value"]: c["count"] for c in f["counts"]} for f in answer.get("facet_counts", ())}
    return ordered_facets(counts)
