"""Markdown files through markdown-it-py, with their YAML front matter (mdit-py-plugins, PyYAML).

The front matter's ``title``, ``summary``, ``type``, ``date``, ``year``,
``themes``, ``territories``, ``url``, ``private`` and ``lang``
(``indexer.documents.GIVEN_FIELDS``) are the document's own metadata (they win over what the text says); other keys
(``layout``, ``tags`` of a static site generator) are not ours and are left
alone. A front matter that is not a YAML mapping is dropped with a warning,
and the text is indexed. The body is the rendered text (no ``**`` nor link
syntax), one paragraph per block; the title, when the front matter has
none, is the first heading.
"""

from __future__ import annotations

from pathlib import Path
from typing import Iterator

import yaml
from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.front_matter import front_matter_plugin

from indexer.documents import Document, IngestError, IngestWarning, given_values
from indexer.ingest.office import file_document

_PARSER = MarkdownIt("commonmark").enable("table").use(front_matter_plugin)
_BLOCK_TEXT = {"fence", "code_block"}


class _Loader(yaml.SafeLoader):
    """Safe YAML without implicit timestamps: a date stays the text it is written as, so that
    ``2018-13-45`` is one value dropped with a warning (``indexer.documents.checked``), not an
    exception that would lose the whole front matter."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _inline_text(token: Token) -> str:
    parts = []
    for child in token.children or ():
        if child.type in ("softbreak", "hardbreak"):
            parts.append(" ")
        elif child.type == "image":
            parts.append(child.content)
        elif child.type in ("text", "code_inline", "html_inline"):
            parts.append(child.content)
    return "".join(parts)


def rendered(tokens: list[Token]) -> tuple[list[str], str]:
    """The text of each block, in order, and the first heading's text."""
    paragraphs, heading, in_heading = [], "", False
    for token in tokens:
        if token.type == "heading_open":
            in_heading = True
        elif token.type == "heading_close":
            in_heading = False
        elif token.type == "inline":
            text = _inline_text(token)
            paragraphs.append(text)
            if in_heading and not heading:
                heading = text
        elif token.type in _BLOCK_TEXT:
            paragraphs.append(token.content)
    return paragraphs, heading


def ingest_markdown(path: Path) -> Iterator[Document | IngestError]:
    """One ``.md`` file: one Document (and a warning when its front matter cannot be read)."""
    try:
        tokens = _PARSER.parse(path.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError) as exc:
        yield IngestError(str(path), 0, f"fichier illisible : {exc}")
        return
    meta: dict = {}
    if tokens and tokens[0].type == "front_matter":
        try:
            meta = yaml.load(tokens[0].content, Loader=_Loader) or {}  # noqa: S506 (a safe loader)
        except yaml.YAMLError as exc:
            yield IngestWarning(str(path), 1, f"en-tête YAML illisible, ignoré : {str(exc).splitlines()[0]}")
        if not isinstance(meta, dict):
            yield IngestWarning(str(path), 1, "en-tête YAML qui n'est pas une liste de clés, ignoré")
            meta = {}
    paragraphs, heading = rendered(tokens)
    values = given_values(meta)
    yield file_document(path, paragraphs, title=values.pop("title", ""), heading=heading, **values)
