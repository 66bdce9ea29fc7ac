"""Snippets: the best fragments of a hit's stored text, with highlight ranges.

Whoosh re-analyses the stored text with the field's analyzer, so matches
are found through elision and accent folding while the fragment keeps the
original characters (``economie`` highlights ``économie``).
"""

from __future__ import annotations

from whoosh import highlight

from search.results import Snippet

FRAGMENT_CHARS = 200
MAX_FRAGMENTS = 3
SNIPPET_FIELDS = ("body", "summary", "title")


class RangeFormatter(highlight.Formatter):
    """A formatter that returns (text, ranges) pairs instead of marked-up text."""

    def format(self, fragments, replace=False):
        out = []
        for fragment in fragments:
            start = fragment.startchar
            # Newlines become spaces (same length, so the ranges stay right).
            text = fragment.text[start:fragment.endchar].replace("\n", " ")
            ranges = tuple(
                (t.startchar - start, t.endchar - start)
                for t in fragment.matches
                if start <= t.startchar < t.endchar <= fragment.endchar
            )
            out.append((text.strip(), _shift_ranges(text, ranges)))
        return out


def _shift_ranges(text: str, ranges):
    lead = len(text) - len(text.lstrip())
    return tuple((s - lead, e - lead) for s, e in ranges)


_HIGHLIGHTER = highlight.Highlighter(
    fragmenter=highlight.ContextFragmenter(maxchars=FRAGMENT_CHARS, surround=70),
    formatter=RangeFormatter(),
)


def snippets_for(hit) -> tuple[Snippet, ...]:
    """Up to three fragments from the first field (body, summary, title) that matches."""
    for fieldname in SNIPPET_FIELDS:
        text = hit.get(fieldname) or ""
        if not text:
            continue
        fragments = _HIGHLIGHTER.highlight_hit(hit, fieldname, text=text, top=MAX_FRAGMENTS)
        found = [Snippet(fieldname, t, r) for t, r in fragments if r]
        if found:
            return tuple(found)
    return ()


def opening_snippet(stored: dict) -> tuple[Snippet, ...]:
    """Without query terms (browsing), the start of the summary or body."""
    text = stored.get("summary") or stored.get("body") or ""
    if not text:
        return ()
    cut = text[:FRAGMENT_CHARS]
    if len(text) > FRAGMENT_CHARS and " " in cut:
        cut = cut[: cut.rfind(" ")] + " …"
    return (Snippet("summary" if stored.get("summary") else "body", cut.replace("\n", " ")),)
