"""What the search page shows, computed from a ``Results``: links, chips, pages.

Presentation only: every number comes from the Searcher; this module turns
them into shareable URLs (the whole state is in the address) and into the
small structures the templates loop over.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from urllib.parse import quote, urlencode

from markupsafe import Markup, escape

from indexer.metadata import territory_parents
from search import Results, Snippet
from search.http.params import DEFAULT_LIMIT, SearchParams
from search.http.territory_map import MapView, map_view
from search.render import FACET_LABELS, cut_marks

SHOWN_VALUES = 8      # facet values visible before "Voir plus"
MORE_VALUES = 40      # and under it: a long tail (1,300 territories of law articles) is not a list to tick
TREE_VALUES = 60      # territories kept in the tree, with their parents
PAGE_WINDOW = 2       # pages listed on each side of the current one


def page_url(params: SearchParams, path: str = "/", **changes) -> str:
    """The URL of ``params`` with ``changes`` (q, filters, sort, page); defaults are left out."""
    state = {"q": params.q, "filters": params.filters, "sort": params.sort, "page": params.page,
             "limit": params.limit, **changes}
    pairs = [("q", state["q"])] if state["q"] else []
    pairs += [(name, value) for name, values in state["filters"].items() for value in values]
    if state["sort"] != "relevance":
        pairs.append(("sort", state["sort"]))
    if state["limit"] != DEFAULT_LIMIT:
        pairs.append(("limit", state["limit"]))
    if state["page"] > 1:
        pairs.append(("page", state["page"]))
    return path + ("?" + urlencode(pairs) if pairs else "")


def feed_url(params: SearchParams) -> str:
    """The Atom feed of the query and filters of ``params`` (order and page do not apply to a feed)."""
    return page_url(params, path="/feed", sort="relevance", page=1, limit=DEFAULT_LIMIT)


def csv_url(params: SearchParams) -> str:
    """Every page of ``params``'s results, in its order, as CSV for a French spreadsheet (``pages.py``)."""
    return page_url(params, path="/resultats.csv", page=1, limit=DEFAULT_LIMIT)


def document_url(doc_id: str, params: SearchParams) -> str:
    """A resource's page, carrying the results page it was opened from (its "Retour aux résultats")."""
    return page_url(params, path=f"/documents/{quote(doc_id, safe='')}")


def back_url(params: SearchParams) -> str | None:
    """The results page a resource's page was opened from; None when it was opened from nowhere."""
    return page_url(params) if params.q or params.filters or params.page > 1 else None


def snippets_html(snippets: tuple[Snippet, ...]) -> Markup:
    """The fragments of a hit as one run of HTML, with "…" at every cut, as the terminal shows them."""
    parts = []
    for number, snippet in enumerate(snippets):
        head, tail = cut_marks(snippet)
        if number:
            head = "" if parts[-1].endswith(" …") else "… "
        parts.append(head + str(highlight(snippet)) + tail)
    return Markup(" ".join(parts))


def highlight(snippet: Snippet) -> Markup:
    """The snippet as HTML: text escaped, highlight ranges in ``<mark>``."""
    out, last = [], 0
    for start, end in snippet.highlights:
        out.append(escape(snippet.text[last:start]))
        out.append(Markup("<mark>%s</mark>") % snippet.text[start:end])
        last = end
    out.append(escape(snippet.text[last:]))
    return Markup("").join(out)


@dataclass(frozen=True)
class Chip:
    label: str
    remove_url: str


def chips(params: SearchParams) -> list[Chip]:
    """One removable chip per active filter value (removing one goes back to page 1)."""
    result = []
    for name, values in params.filters.items():
        for value in values:
            rest = {n: tuple(v for v in vs if (n, v) != (name, value)) for n, vs in params.filters.items()}
            remaining = {n: vs for n, vs in rest.items() if vs}
            label = f"{FACET_LABELS.get(name, name)} : {value}"
            result.append(Chip(label, page_url(params, filters=remaining, page=1)))
    return result


@dataclass(frozen=True)
class FacetValue:
    value: str
    count: int
    checked: bool
    children: tuple["FacetValue", ...] = ()


def territory_tree(items: list[FacetValue]) -> list[FacetValue]:
    """Nest each territory under its parent when that parent is listed too: région → département → commune.

    Counts already roll up (a resource about Lille counts for Nord and
    Hauts-de-France), so a parent's number covers its children's. A
    territory whose parents are not listed stays at the top level. Branches
    holding a ticked territory come first, so none is folded away. A tree
    holds the ticked territories and the ``TREE_VALUES`` most counted, with
    their parents: law articles name 1,300 places, not a list to tick.
    """
    present = {item.value for item in items}
    parents = {item.value: [p for p in territory_parents(item.value) if p in present] for item in items}
    kept = set()
    for item in items[:TREE_VALUES] + [i for i in items[TREE_VALUES:] if i.checked]:  # ticked ones come first
        kept.update([item.value, *parents[item.value]])
    children: dict[str | None, list[FacetValue]] = {}
    for item in items:  # each kept item filed once under its parent: linear in the number of territories
        if item.value in kept:
            children.setdefault(next(iter(parents[item.value]), None), []).append(item)

    def under(label: str | None) -> tuple[FacetValue, ...]:
        return tuple(replace(item, children=under(item.value)) for item in children.get(label, ()))

    return sorted(under(None), key=lambda item: not _ticked_within(item))


def _ticked_within(item: FacetValue) -> bool:
    return item.checked or any(map(_ticked_within, item.children))


@dataclass(frozen=True)
class FacetGroup:
    name: str
    label: str
    shown: list[FacetValue]
    more: list[FacetValue]


def facet_groups(counts: dict[str, dict[str, int]], params: SearchParams) -> list[FacetGroup]:
    """Checkbox groups: active values first, then by count (territories as a tree); the tail under "Voir plus"."""
    groups = []
    for name, values in counts.items():
        active = params.filters.get(name, ())
        items = [FacetValue(v, values.get(v, 0), True) for v in active]
        items += [FacetValue(v, n, False) for v, n in values.items() if v not in active]
        if name == "territory":
            items = territory_tree(items)
        if items:
            cut = max(SHOWN_VALUES, sum(map(_ticked_within, items)))
            groups.append(FacetGroup(name, FACET_LABELS.get(name, name), items[:cut], items[cut:cut + MORE_VALUES]))
    return groups


def territory_map(counts: dict[str, dict[str, int]], params: SearchParams, results: Results) -> MapView | None:
    """The map of the territory counts shown beside the facets, zoomed on the région of the ticked territories.

    Ticked territories are those the search applied (``params`` holds them resolved by the
    Searcher: ``52`` is ``Haute-Marne (52)``) and those of a ``territoire:`` prefix in the query.
    """
    def filtered_by(label: str) -> str:
        return page_url(params, filters={**params.filters, "territory": (label,)}, page=1)

    others = {name: values for name, values in params.filters.items() if name != "territory"}
    ticked = tuple(results.filters.get("territory", ()))
    return map_view(counts.get("territory", {}), ticked, filtered_by, page_url(params, filters=others, page=1))


@dataclass(frozen=True)
class Pagination:
    previous: str | None
    next: str | None
    pages: list[tuple[str, str | None]]   # (label, url); url None for the current page and gaps
    current: int


def pagination(results: Results, params: SearchParams, last_page: int) -> Pagination | None:
    """Previous/next links and a window of page numbers with gaps; None when one page holds all."""
    last = min(results.pages, last_page)
    if last <= 1:
        return None
    around = range(max(1, params.page - PAGE_WINDOW), min(last, params.page + PAGE_WINDOW) + 1)
    links, previous = [], 0
    for number in sorted({1, last, *around}):
        if number > previous + 1:
            links.append(("…", None))
        links.append((str(number), None if number == params.page else page_url(params, page=number)))
        previous = number
    return Pagination(
        previous=page_url(params, page=min(params.page - 1, last)) if params.page > 1 else None,
        next=page_url(params, page=params.page + 1) if params.page < last else None,
        pages=links,
        current=params.page,
    )
