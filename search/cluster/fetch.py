"""What to ask Typesense for one plan: counts, candidates in its ranking order, stored documents.

A ``Request`` holds the plan translated for one caller
(``search.cluster.expression``): what the caller may see and the plan
requires (``base``), the clauses ORed (``words``), the option filters
(``selected``), the exclusions of ``q``. From it:

- **counts**: ``q`` is only the exclusions (or ``*``), every condition in
  ``filter_by``: the number of matches and the facet counts, exact when
  the translation is;
- **a complete fetch**: the same search returning the documents, when
  there are no more of them than one page holds (``CANDIDATES``);
- **the ranked chain**: Typesense ranks by its own text match, and drops
  query words to find more (right to left, then left to right), so a
  search for ``t1 … tn`` finds the documents holding ``t1`` or ``tn``;
  the next search of the chain, ``t2 … tn-1 -t1 -tn``, those holding
  ``t2`` or ``tn-1`` and neither end; and so on. Together, in that order,
  every match once: the first ``RESCORED`` are what our ranking
  re-scores, the rest are pages beyond them, in Typesense's order.
"""

from __future__ import annotations

from indexer.cluster.schema import (
    ANALYSED_FIELDS, DATE_KEY, LENGTHS, POSITIONS, TERM_FIELDS, TERM_WEIGHTS, texts_name,
)
from indexer.schema import WORDS_FIELD
from indexer.schema import FACET_FIELDS, TEXT_FIELDS
from search.cluster.expression import (
    EVERYTHING, MAX_SIZE, Condition, any_clause, both, condition, exclusions, inexact, leaf, values,
)
from search.cluster.matching import plan_terms
from search.nodes import leaves
from search.plan import Plan

# Typesense returns at most 250 documents per page: a search with no more matches is fetched whole.
CANDIDATES = 250
# With more, the first of Typesense's ranked chain that our ranking re-scores. CDTN's recall@100 (first
# variants, dev / test) is 0.7590 / 0.7509 with 250, 0.7737 / 0.7585 with 500 (the local index: 0.7828 /
# 0.7641), but 500 costs 40 % more time per search (101,194 law articles, p50 52.7 against 73-75 ms).
RESCORED = 250
# Facet values Typesense names per facet when it counts more than ``CANDIDATES`` matches: the most
# frequent ones. Its time grows much faster than their number (101,194 law articles, the 24,129
# matches of "droit formation professionnelle continue": 30 territories 6 ms, 50 48 ms, 100 401 ms;
# the 2,703 territories of every article 8.8 s).
MAX_FACET_VALUES = 30
# "Drop query words until this many documents are found": always, down to one word.
DROP_ALL = 1_000_000
RANKED = ",".join(TERM_FIELDS.values())
WEIGHTS = ",".join(str(TERM_WEIGHTS[f]) for f in TERM_FIELDS.values())
STORED = ("id", "title", "summary", "body", "type", "year", "date", "theme", "territory", "private", "url",
          "indexed_at", "collection", "source", "line", "lang", "fetched_at", "attachments")
LISTED = ("id", "title", "type", "year", "date", "theme", "territory", "private", "url", "indexed_at")
MEASURED = ("id", *FACET_FIELDS, "private", DATE_KEY, POSITIONS)


class Request:
    """One plan's searches, for one caller; ``exact`` when Typesense matches exactly what it does."""

    def __init__(self, plan: Plan, include_private: bool, hidden: tuple[str, ...] = (),
                 rare: frozenset[str] = frozenset(), rare_found: tuple[int, int] = (0, 0)):
        self.plan, self.hidden = plan, hidden
        visible = EVERYTHING if include_private else leaf("private:=false")
        self.base = both([visible, *(condition(n) for n in plan.required)])
        if self.base.size > MAX_SIZE // 2:  # leaving the required parts out matches more, never less
            self.base = inexact(visible)
        self.selected = {name: condition(facet) for name, facet in plan.selected.items()}
        self.room = MAX_SIZE - self.base.size - sum(c.size + 1 for c in self.selected.values()) - 3
        self.words = any_clause(plan.clauses, self.room) if plan.clauses else EVERYTHING
        self.negations, excluded_exact = exclusions(plan.excluded)
        parts = [self.base, self.words, *self.selected.values()]
        self.exact = excluded_exact and all(p.exact for p in parts)
        tokens = list(dict.fromkeys(
            t for c in plan.clauses for leaf in leaves(c) if leaf.field in TEXT_FIELDS for t in leaf.terms
        ))
        self.steps = rare_first(tokens, rare)
        # When the rare terms' documents are one search (one or two terms: ``chain_steps``) and others follow:
        # how many documents it finds, at least and at most (``ahead``).
        lead = [t for t in tokens if t in rare]
        self._lead = rare_found if 0 < len(lead) <= 2 and len(lead) < len(tokens) else None
        used = plan_terms(plan)
        self.fields = ",".join([*MEASURED, *(ANALYSED_FIELDS[f] for f in used), *(LENGTHS[f] for f in used)])

    def condition(self, options: bool = True, leave_out: str | None = None, every: bool = False) -> Condition | None:
        """What matches: with the option filters (but ``leave_out``'s), with ``every`` clause rather than one
        (None when that cannot be said in one filter)."""
        words = self._every() if every else self.words
        if words is None:
            return None
        chosen = [c for name, c in self.selected.items() if options and name != leave_out]
        return both([self.base, words, *chosen])

    def _every(self) -> Condition | None:
        """Every clause at once; None when that does not fit in a filter (it would then be a guess)."""
        found = both([condition(c) for c in self.plan.clauses]) if self.plan.clauses else self.words
        return found if found.size <= self.room else None

    def params(self, matched: Condition | None, **extra) -> dict | None:
        """A search of ``matched`` with only the exclusions as query; None when it matches nothing
        (or cannot be said)."""
        if matched is None or matched.empty or not self.plan.searchable:
            return None
        params = {"q": self.negations or "*", "query_by": RANKED, "prefix": "false", "num_typos": 0,
                  "highlight_fields": "none", "per_page": 0}
        if matched.text is not None:
            params["filter_by"] = matched.text
        if self.hidden:
            params["hidden_hits"] = ",".join(self.hidden)
        params.update(extra)
        return params

    def counting(self, matched: Condition, facets=()) -> dict | None:
        """How many documents match, with the counts of ``facets``."""
        extra = {"facet_by": ",".join(facets), "max_facet_values": MAX_FACET_VALUES} if facets else {}
        return self.params(matched, **extra)

    def fetching(self, matched: Condition, count: int, page: int = 1, by_date: bool = True) -> dict | None:
        """The documents of ``matched``, ``count`` per page, newest first (or Typesense's order)."""
        extra = {"sort_by": f"{DATE_KEY}:desc"} if by_date else {}
        return self.params(matched, per_page=count, page=page, include_fields=self.fields, **extra)

    def ahead(self, step: int, wanted: int) -> int | None:
        """How many documents step ``step`` of the ranked chain finds at least, when it surely finds fewer
        than ``wanted`` and another step follows (the next step's search can then be sent beside this
        one's: ``chain_window``); None otherwise. Only the rare terms' step is known so: its documents
        number at most the sum of the terms' document frequencies (``rare_terms``) and at least the
        largest frequency of one term in one field (fewer when a filter leaves some out)."""
        if step != 0 or self._lead is None or self._lead[1] >= wanted:
            return None
        return self._lead[0]

    def ranked(self, step: int, count: int, page: int = 1) -> dict | None:
        """Search ``step`` of the ranked chain (module docstring); None past its end. Without a ranked
        term (a quoted phrase of stop words), the one step is the filter's matches, unranked."""
        if not self.steps:
            return self.fetching(self.condition(), count, page, by_date=False) if step == 0 else None
        if step >= len(self.steps):
            return None
        searched, excluded = self.steps[step]
        query = " ".join([*searched, *(f"-{t}" for t in excluded), self.negations]).strip()
        params = self.fetching(self.condition(), count, page, by_date=False)
        if params is None:
            return None
        params.update(q=query, query_by_weights=WEIGHTS, drop_tokens_threshold=DROP_ALL, typo_tokens_threshold=0,
                      split_join_tokens="off")
        return params


def chain_steps(tokens: list[str]) -> list[tuple[list[str], list[str]]]:
    """``(searched, excluded)`` terms of each search of the ranked chain (module docstring).

    >>> chain_steps(["t1", "t2", "t3", "t4"])
    [(['t1', 't2', 't3', 't4'], []), (['t2', 't3'], ['t1', 't4'])]
    """
    return [(tokens[step:len(tokens) - step], tokens[:step] + tokens[len(tokens) - step:])
            for step in range((len(tokens) + 1) // 2)]


def rare_terms(frequencies: dict[str, int], room: int = RESCORED) -> frozenset[str]:
    """The rarest terms whose documents, all together, fit in ``room`` (``frequencies``: term → documents).

    >>> sorted(rare_terms({"patholog": 51, "maternit": 90, "cong": 1202}, 250))
    ['maternit', 'patholog']
    """
    rare = set()
    for term, count in sorted(frequencies.items(), key=lambda item: (item[1], item[0])):
        if count > room:
            break
        rare.add(term)
        room -= count
    return frozenset(rare)


def rare_first(tokens: list[str], rare: frozenset[str]) -> list[tuple[list[str], list[str]]]:
    """The ranked chain's steps: the documents holding a ``rare`` term, then the others (each match once).

    Typesense 0.24's text match knows no term's rarity: it ranks a document
    holding only a word found in 1,202 articles (``congé``) beside one
    holding only a word found in 51 (``pathologie``), so the second were
    often beyond the 250 re-scored, while BM25 puts them first. The rare
    terms' documents (``rare_terms``: all of them fit in the window) come
    first; the other terms' chain excludes them.

    >>> rare_first(["t1", "t2", "t3"], frozenset({"t2"}))
    [(['t2'], []), (['t1', 't3'], ['t2'])]
    """
    first = [t for t in tokens if t in rare]
    if not first or len(first) == len(tokens):
        return chain_steps(tokens)
    rest = [t for t in tokens if t not in rare]
    return chain_steps(first) + [(searched, excluded + first) for searched, excluded in chain_steps(rest)]


def window(reader, make, start: int, end: int) -> tuple[list[dict], int]:
    """Documents ``start``…``end`` of the order ``make(count, page)`` searches, and how many it has: the
    pages holding them (of at most ``CANDIDATES``, Typesense's largest), fetched at once
    (``CollectionReader.search_apart``: the node loads the documents in several threads side by side).

    A window that fits in one page is one search: each page of a search costs
    Typesense the ranking of everything before it, so splitting the first
    250 documents into two pages of 125 on two nodes did that work twice
    (101,194 law articles, 150 CDTN queries: 57.5 against 47.2 ms of the
    nodes' CPU per search, 17.9 against 13.2 ms of ours, p50 56.7 against
    50.1 ms, load average 3)."""
    size = min(CANDIDATES, max(1, end - start))
    pages = range(start // size + 1, (end - 1) // size + 2)
    searches = [make(size, page) for page in pages]
    if any(params is None for params in searches):
        return [], 0
    hits, found = [], 0
    for page, answer in zip(pages, reader.search_apart(searches)):
        found = answer["found"]
        offset = (page - 1) * size
        hits += [(offset + i, h["document"]) for i, h in enumerate(answer["hits"])]
    return [doc for at, doc in hits if start <= at < end], found


def chain_window(reader, request: Request, start: int, end: int) -> list[dict]:
    """Documents ``start``…``end`` of the ranked chain, each step's matches after the previous ones'.

    A step that surely cannot fill the window (``Request.ahead``: the rare
    terms' documents) has the next step's first documents searched beside
    it, at once, rather than after it: one round trip less (101,194 law
    articles: each costs 15 to 30 ms). When that step finds fewer than it
    surely would (a filter left some out), the rest of the next step's
    documents are fetched after it, so the window is the same."""
    out, offset, step, known = [], 0, 0, None
    while len(out) < end - start and request.ranked(step, 1) is not None:
        first, last = max(start, offset) - offset, end - offset
        surely = request.ahead(step, last) if first == 0 else None
        sent = None
        if surely is not None:
            sent = reader.submit(window, reader, _searches(request, step + 1), 0, last - surely)
        hits, found = _part(reader, _searches(request, step), first, last, known)
        out += hits
        offset += found
        step += 1
        known = (*sent.result(), last - surely) if sent is not None else None
    return out


def _searches(request: Request, step: int):
    """``make(count, page)`` for ``window``: step ``step``'s search of the ranked chain."""
    return lambda count, page: request.ranked(step, count, page)


def _part(reader, make, first: int, last: int, known: tuple[list[dict], int, int] | None) -> tuple[list[dict], int]:
    """Documents ``first``…``last`` of one step, and how many it has; ``known``: its documents 0…``upto``
    already fetched (``hits, found, upto``), the rest fetched now if needed."""
    if known is None:
        return window(reader, make, first, last)
    hits, found, upto = known
    if last > upto and found > upto:
        hits = hits + window(reader, make, upto, last)[0]
    return hits[first:last], found


def stored(reader, ids: list[str], fields=STORED) -> dict[str, dict]:
    """The stored ``fields`` of ``ids`` (display, snippets), by id, in one round trip to the texts
    collection (``indexer.cluster.schema.split``)."""
    chunks = [ids[start:start + CANDIDATES] for start in range(0, len(ids), CANDIDATES)]
    searches = [{"q": "*", "query_by": WORDS_FIELD, "filter_by": f"id:{values(chunk)}", "per_page": len(chunk),
                 "include_fields": ",".join(fields)} for chunk in chunks]
    answers = reader.search(searches, texts_name(reader.collection))
    return {h["document"]["id"]: h["document"] for answer in answers for h in answer["hits"]}

