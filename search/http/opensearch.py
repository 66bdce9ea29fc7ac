"""The OpenSearch description (``/opensearch.xml``): browsers offer "Ressources RTES" as a search engine.

The page links to it (``<link rel="search">``); a browser that reads it
searches with ``/?q={searchTerms}`` and completes with
``/api/v1/suggest?q={searchTerms}&format=opensearch`` (the OpenSearch
suggestions format, ``["q", ["…", …]]``). Its addresses come from
``search.http.links.public_base``, never from the request.
"""

from __future__ import annotations

from xml.sax.saxutils import escape, quoteattr

from fastapi import APIRouter, Request
from starlette.responses import Response

from search.http.links import public_base

OPENSEARCH_TYPE = "application/opensearchdescription+xml"
router = APIRouter(include_in_schema=False)


def description(base: str) -> str:
    """The XML document, every address under ``base``."""
    def url(kind: str, template: str, extra: str = "") -> str:
        return f"  <Url type={quoteattr(kind)} template={quoteattr(base + template)}{extra}/>\n"

    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<OpenSearchDescription xmlns="http://a9.com/-/spec/opensearch/1.1/">\n'
        "  <ShortName>Ressources RTES</ShortName>\n"
        "  <Description>Bibliothèque de ressources du Réseau des collectivités Territoriales pour une "
        "Économie Solidaire</Description>\n"
        "  <Language>fr</Language>\n  <InputEncoding>UTF-8</InputEncoding>\n"
        f'  <Image width="32" height="32" type="image/x-icon">{escape(base)}favicon.ico</Image>\n'
        + url("text/html", "?q={searchTerms}", ' method="get"')
        + url("application/x-suggestions+json", "api/v1/suggest?q={searchTerms}&format=opensearch")
        + url(OPENSEARCH_TYPE, "opensearch.xml", ' rel="self"')
        + "</OpenSearchDescription>\n"
    )


@router.get("/opensearch.xml")
def opensearch(request: Request):
    return Response(description(public_base(request.app.state.settings)),
                    media_type=f"{OPENSEARCH_TYPE}; charset=utf-8")
