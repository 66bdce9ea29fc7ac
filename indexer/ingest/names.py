"""Ids and titles from addresses and file names, shared by every ingester.

Kept apart from the readers so that reading a text or Markdown file does
not load the HTML parser.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

from indexer.ingest.rtes_export import slugify


def page_id(address: str) -> str:
    """The id of a page: the slug of its URL path (``/point-de-reperess-co-construction``)."""
    parts = urlsplit(address)
    path = parts.path if parts.scheme else Path(parts.path).stem
    path = re.sub(r"\.html?$", "", path.strip("/"))
    return slugify(path + ("-" + parts.query if parts.query else "")) if path else "accueil"


def file_title(path: Path) -> str:
    """The title of last resort: the file name without its extension."""
    return path.name.rsplit(".", 1)[0] if "." in path.name.lstrip(".") else path.name


def file_name(address: str) -> str:
    """The file name at the end of a URL or path: ``…/files/guide%20ess.pdf`` → ``guide ess.pdf``."""
    return unquote(urlsplit(address).path.rsplit("/", 1)[-1]) or address
