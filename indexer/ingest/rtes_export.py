"""Parse the RTES site's text export into Documents.

The export is a flat text file: the site name, then records of the form::

    Title line
    body paragraphs...
    [Catégorie] [Documents]          (optional empty labels)
    Type de ressource
    <collection>
    Ressource privée
    Oui|Non
    Résumé
    summary paragraphs...

Nothing marks where a summary ends and the next title starts. The summary
usually repeats paragraphs of the body, so the next record's title is the
first paragraph after the summary's first paragraph that is not a near-copy
of a body paragraph.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Iterator

from unidecode import unidecode

from indexer.documents import Document, IngestError

TYPE_LABEL = "Type de ressource"
PRIVATE_LABEL = "Ressource privée"
SUMMARY_LABEL = "Résumé"
EMPTY_LABELS = frozenset({"Catégorie", "Documents"})
PRIVATE_VALUES = {"Oui": True, "Non": False}
# A paragraph this similar (difflib ratio) to a body paragraph repeats it.
REPEAT_SIMILARITY = 0.75
MAX_TITLE_CHARS = 300


@dataclass(frozen=True)
class Paragraph:
    """Consecutive non-blank lines, with the 1-based number of the first one."""

    line: int
    lines: tuple[str, ...]

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


def read_paragraphs(text: str) -> list[Paragraph]:
    """Split text into paragraphs at blank (or whitespace-only) lines."""
    paragraphs: list[Paragraph] = []
    current: list[str] = []
    start = 0
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            if current:
                paragraphs.append(Paragraph(start, tuple(current)))
                current = []
            continue
        if not current:
            start = number
        current.append(line)
    if current:
        paragraphs.append(Paragraph(start, tuple(current)))
    return paragraphs


def slugify(title: str) -> str:
    """A stable, URL-safe id from a title: ``"Fiche n°4 : Lille"`` → ``fiche-n-4-lille``."""
    ascii_title = unidecode(title.replace("°", " ")).lower()
    return re.sub(r"[^a-z0-9]+", "-", ascii_title).strip("-")[:80].rstrip("-") or "document"


def _folded(text: str) -> str:
    return " ".join(re.findall(r"\w+", unidecode(text).lower()))


def repeats(paragraph: str, body: list[str]) -> bool:
    """True when ``paragraph`` is a near-copy of one of the ``body`` paragraphs.

    Summaries repeat body paragraphs with small edits ("suite à la réforme de
    2019" becomes "de ce nouveau cadre juridique"), so the test is a sequence
    similarity, not equality; shared words alone would also match a title
    whose words all occur somewhere in a long paragraph.
    """
    text = _folded(paragraph)
    return any(
        SequenceMatcher(None, text, other).ratio() >= REPEAT_SIMILARITY
        for other in map(_folded, body)
    )


def _flatten(paragraphs: list[Paragraph]) -> list[tuple[int, str, int]]:
    """Every line as (line number, text, index of its paragraph)."""
    return [
        (p.line + offset, line, p_index)
        for p_index, p in enumerate(paragraphs)
        for offset, line in enumerate(p.lines)
    ]


def _split_blocks(flat):
    """Find each metadata block.

    Yields ``(index of its first line, index where the summary starts,
    (collection, private) or None, error or None)``. A broken block still
    says where its summary starts (after a « Résumé » line if there is one
    close by), so the records after it are read correctly.
    """
    for i, (_, line, _) in enumerate(flat):
        if line != TYPE_LABEL:
            continue
        window = [entry[1] for entry in flat[i + 1 : i + 5]]
        summary_from = i + 1 + window.index(SUMMARY_LABEL) + 1 if SUMMARY_LABEL in window else i + 1
        if len(window) < 4 or window[1] != PRIVATE_LABEL or window[3] != SUMMARY_LABEL:
            yield i, summary_from, None, (
                f"bloc « {TYPE_LABEL} » incomplet (attendu : valeur, « {PRIVATE_LABEL} », "
                f"Oui/Non, « {SUMMARY_LABEL} »)"
            )
        elif window[2] not in PRIVATE_VALUES:
            yield i, summary_from, None, (
                f"valeur de « {PRIVATE_LABEL} » inconnue : {window[2]!r} (attendu Oui ou Non)"
            )
        else:
            yield i, summary_from, (window[0], PRIVATE_VALUES[window[2]]), None


def parse_export(text: str, source: str) -> Iterator[Document | IngestError]:
    """Yield one Document per record of the export, or an IngestError for a bad one."""
    paragraphs = read_paragraphs(text)
    if not paragraphs:
        return
    flat = _flatten(paragraphs)
    # Records: [start, block) is title + body, the block is 5 lines long, and
    # the summary runs to the next record's title. Paragraph 0 is the site name.
    blocks = list(_split_blocks(flat))
    record_start = len(paragraphs[0].lines)
    seen_ids: dict[str, int] = {}
    for n, (block_at, summary_from, values, error) in enumerate(blocks):
        next_block = blocks[n + 1][0] if n + 1 < len(blocks) else len(flat)
        head = flat[record_start:block_at]
        while head and head[-1][1] in EMPTY_LABELS:
            head = head[:-1]
        summary_lines, next_start = _summary_extent(flat, summary_from, next_block, head)
        if error or not head:
            reason = error or "enregistrement sans titre avant le bloc de métadonnées"
            if head:
                reason += f" ; ressource « {head[0][1]} » ignorée"
            yield IngestError(source, flat[block_at][0], reason)
            record_start = next_start
            continue
        collection, private = values
        title_line, title = head[0][0], head[0][1]
        body = _join(head[1:])
        doc_id = slugify(title)
        seen_ids[doc_id] = seen_ids.get(doc_id, 0) + 1
        if seen_ids[doc_id] > 1:
            doc_id = f"{doc_id}-{seen_ids[doc_id]}"
        yield Document(
            id=doc_id,
            title=title,
            body=body,
            summary=_join(summary_lines),
            collection=collection,
            private=private,
            source=source,
            line=title_line,
        )
        record_start = next_start


def _summary_extent(flat, start: int, stop: int, head) -> tuple[list, int]:
    """Return the summary's lines and where the next record starts.

    The summary keeps its first paragraph, then every paragraph that repeats
    the body; the first other paragraph of one short line is the next title.
    Without a following block, everything to the end is summary.
    """
    body = [line for _, line, _ in head[1:]]
    by_paragraph: list[list] = []
    for position in range(start, stop):
        entry = flat[position]
        if by_paragraph and by_paragraph[-1][0][2] == entry[2]:
            by_paragraph[-1].append(entry)
        else:
            by_paragraph.append([entry])
    summary: list = []
    consumed = start
    for index, para in enumerate(by_paragraph):
        text = " ".join(line for _, line, _ in para)
        is_title = (
            index > 0
            and stop < len(flat)
            and len(para) == 1
            and len(text) <= MAX_TITLE_CHARS
            and not repeats(text, body)
        )
        if is_title:
            return summary, consumed
        summary.extend(para)
        consumed += len(para)
    return summary, stop


def _join(entries) -> str:
    """Rebuild paragraphs (blank line between them) from flat line entries."""
    out: list[str] = []
    last_paragraph = None
    for _, line, p_index in entries:
        if out and p_index != last_paragraph:
            out.append("")
        out.append(line)
        last_paragraph = p_index
    return "\n".join(out)
