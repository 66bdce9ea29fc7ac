"""Saved searches as Atom 1.0 feeds: ``GET /feed?q=…&type=…&year=…&theme=…&territory=…``.

A feed reader polls the URL of a search and shows each new resource once:
entries are the matching resources, newest first (``Searcher`` date order),
each with a stable id derived from the resource id (so a reader never shows
the same resource twice, whatever the server's address). The XML is written
by ``feedgen`` (well kept, escapes everything), never by hand. Private
resources appear only with a valid bearer token, as everywhere else.
"""

from __future__ import annotations

import re
import uuid
from datetime import datetime, timezone
from typing import Annotated
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Depends, Request
from feedgen.feed import FeedGenerator
from lxml import etree
from starlette.responses import Response

from search import Hit, Results
from search.http.api import ERRORS
from search.http.links import public_base, safe_link
from search.http.params import QueryParams, bearer_scheme, private_access, query_params, shared_searcher
from search.render import FACET_LABELS

router = APIRouter(tags=["API"], responses=ERRORS, dependencies=[Depends(bearer_scheme)])
FEED_ENTRIES = 50
ATOM_TYPE = "application/atom+xml"
ID_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://www.rtes.fr/ressources")
EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)
FACET_OF_HIT = (("type", "type"), ("theme", "themes"), ("territory", "territories"))


NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_text(text: str) -> str:
    r"""``text`` without the characters XML 1.0 cannot hold (a query may carry control characters).

    >>> xml_text("a\x08b")
    'ab'
    """
    return NOT_XML.sub("", text)


def query_string(query: QueryParams) -> str:
    """``q`` and the filters as a query string, in a fixed order (the feed's identity)."""
    pairs = [("q", query.q)] if query.q else []
    pairs += [(name, value) for name in sorted(query.filters) for value in query.filters[name]]
    return urlencode(pairs)


def entry_id(doc_id: str) -> str:
    """A stable Atom id for a resource: the same on every server and every read.

    >>> entry_id("x") == entry_id("x") != entry_id("y")
    True
    """
    return uuid.uuid5(ID_NAMESPACE, doc_id).urn


def hit_time(hit: Hit, fallback: datetime) -> datetime:
    """The resource's date (``2018-06-05``, ``2017-09`` or ``2018``) as a UTC time, else when it was
    first indexed, else ``fallback``.

    A stored value is never trusted to be a real date (an older index may hold
    ``2018-06-31``): its longest valid beginning is taken (``2018-06``), and a
    value with none, like an unreadable ``indexed_at``, is passed over.

    >>> hit_time(Hit("x", "", 0.0, (), "", "2017", "2017-09", (), (), False, ""), EPOCH).isoformat()
    '2017-09-01T00:00:00+00:00'
    >>> hit_time(Hit("x", "", 0.0, (), "", "2018", "2018-13-45", (), (), False, ""), EPOCH).isoformat()
    '2018-01-01T00:00:00+00:00'
    >>> hit_time(Hit("x", "", 0.0, (), "", "", "", (), (), False, "", "2026-11-30T13:02:01Z"), EPOCH).isoformat()
    '2026-11-30T13:02:01+00:00'
    """
    match = re.fullmatch(r"(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?", hit.date or hit.year or "")
    parts = [int(part) for part in match.groups() if part] if match else []
    while parts:
        try:
            return datetime(*parts, *(1,) * (3 - len(parts)), tzinfo=timezone.utc)
        except ValueError:
            parts.pop()
    try:
        return datetime.fromisoformat(hit.indexed_at.replace("Z", "+00:00")).astimezone(timezone.utc)
    except ValueError:
        return fallback


def feed_title(query: QueryParams) -> str:
    """``Ressources du RTES : « marchés » — Année : 2018``."""
    parts = [f"« {query.q} »"] if query.q else []
    parts += [f"{FACET_LABELS.get(name, name)} : {', '.join(values)}" for name, values in query.filters.items()]
    return xml_text("Ressources du RTES" + (" : " + " — ".join(parts) if parts else " : nouveautés"))


def _add_entry(feed: FeedGenerator, hit: Hit, base: str, fallback: datetime) -> datetime:
    entry = feed.add_entry(order="append")
    entry.id(entry_id(hit.id))
    entry.title(xml_text(hit.title or hit.id))
    entry.link(href=f"{base}documents/{quote(hit.id, safe='')}", rel="alternate", type="text/html")
    if link := safe_link(hit.url):
        entry.link(href=link, rel="related")
    entry.summary(xml_text(hit.snippet or hit.title))
    for name, attribute in FACET_OF_HIT:
        values = getattr(hit, attribute)
        for value in (values,) if isinstance(values, str) else values:
            if value:
                entry.category(term=xml_text(value), label=xml_text(f"{FACET_LABELS.get(name, name)} : {value}"))
    when = hit_time(hit, fallback)
    entry.updated(when)
    entry.published(when)
    return when


def atom_feed(results: Results, query: QueryParams, base: str, fallback: datetime) -> bytes:
    """The Atom document of ``results`` (already in date order), its links under ``base``
    (``search.http.links.public_base``; ``/``: relative links, said by ``xml:base``)."""
    feed = FeedGenerator()
    found = query_string(query)
    self_url = f"{base}feed?{found}" if found else f"{base}feed"
    feed.id(uuid.uuid5(ID_NAMESPACE, "feed?" + found).urn)
    feed.title(feed_title(query))
    feed.subtitle(f"{results.total} ressource(s) ; les {FEED_ENTRIES} plus récentes au plus.")
    feed.author({"name": "RTES — Réseau des collectivités Territoriales pour une Économie Solidaire"})
    feed.language("fr")
    feed.link(href=self_url, rel="self", type=ATOM_TYPE)
    feed.link(href=f"{base}?{found}&sort=date" if found else f"{base}?sort=date", rel="alternate", type="text/html")
    feed.generator("rtes-search")
    times = [_add_entry(feed, hit, base, fallback) for hit in results.hits]
    feed.updated(max(times, default=fallback))
    body = feed.atom_str(pretty=True)
    return _with_xml_base(body, base) if base == "/" else body


def _with_xml_base(body: bytes, base: str) -> bytes:
    """The feed with ``xml:base`` on its root: readers resolve its relative links against it."""
    root = etree.fromstring(body)
    root.set("{http://www.w3.org/XML/1998/namespace}base", base)
    return etree.tostring(root, pretty_print=True, xml_declaration=True, encoding="UTF-8")


def _index_time(searcher) -> datetime:
    """When the index was built: the date of resources that have none of their own."""
    built = getattr(searcher, "manifest", {}).get("built_at")
    return datetime.fromtimestamp(built, timezone.utc) if built else EPOCH


@router.get("/feed", response_class=Response, summary="Flux Atom d'une recherche (les plus récentes d'abord)",
            responses={200: {"content": {ATOM_TYPE: {"schema": {"type": "string"}}},
                             "description": "Flux Atom 1.0 : une entrée par ressource, la plus récente d'abord."}})
def feed(request: Request, query: Annotated[QueryParams, Depends(query_params)]):
    """The resources matching ``q`` and the filters, newest first, as an Atom feed to subscribe to."""
    with shared_searcher(request).use() as searcher:
        results = searcher.search(query.q, filters=query.filters, limit=FEED_ENTRIES, sort="date",
                                  include_private=private_access(request))
        fallback = _index_time(searcher)
    body = atom_feed(results, query, public_base(request.app.state.settings), fallback)
    return Response(body, media_type=f"{ATOM_TYPE}; charset=utf-8")
