"""Snippets: the best passages of a hit, cut where a reader would cut, with highlight ranges.

The terms to highlight are those of the final Whoosh query (after any
expansion), negations excepted. The stored text is analysed again with the
field's own analyzer, so a token is highlighted when it makes one of those
terms: matches are found through elision, accents and stemming while the
fragment keeps the characters as written (``economie`` highlights
``économie``, ``l'article`` highlights ``article``). Exact phrases and
prefixes searched on the unstemmed ``words`` field are matched with its
analyzer the same way.

Up to three fragments of about 200 characters: each starts at the
beginning of a sentence when one is near, else at a word, and ends at the
end of a sentence or of a word. The fragments holding the most distinct
terms win and are shown in text order. The body is used first; the
summary, then the title, when the body holds none of the terms.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from functools import lru_cache

from whoosh.query import AndNot, Not

from search.results import Snippet
from search.vocabulary import letters_of

FRAGMENT_CHARS = 200
MAX_FRAGMENTS = 3
MAX_ANCHORS = 200
SNIPPET_FIELDS = ("body", "summary", "title")
WORDS_FIELD = "words"
PREFIX_LETTERS = 4
_SPACE = re.compile(r"\s")
# A sentence ends at . ! ? or … followed by a capital ("art. 37" does not end one), or at a line break.
_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+(?=[A-ZÀ-ÖØ-Þ\"«“])|\n")


def query_terms(query) -> dict[str, frozenset[str]]:
    """``{field: terms}`` of the positive parts of a Whoosh query."""
    found: dict[str, set[str]] = {}
    for fieldname, text in _positive_terms(query):
        if isinstance(text, bytes):
            text = text.decode("utf-8", "replace")
        found.setdefault(fieldname, set()).add(text)
    return {f: frozenset(t) for f, t in found.items()}


def _positive_terms(query):
    if query is None or isinstance(query, Not):
        return
    if isinstance(query, AndNot):
        yield from _positive_terms(query.a)
    elif query.is_leaf():
        yield from query.terms(phrases=True)
    else:
        for child in query.children():
            yield from _positive_terms(child)


def snippets_for(stored: dict, terms: dict[str, frozenset[str]], schema) -> tuple[Snippet, ...]:
    """Up to three fragments from the first of body, summary and title that holds a term."""
    for fieldname in SNIPPET_FIELDS:
        text = stored.get(fieldname) or ""
        spans = match_spans(text, fieldname, terms, schema) if text else []
        if spans:
            return tuple(Snippet(fieldname, *fragment) for fragment in best_fragments(text, spans))
    return ()


def match_spans(text: str, fieldname: str, terms, schema) -> list[tuple[int, int, str]]:
    """``(start, end, term)`` of every token of ``text`` that makes a query term."""
    spans = set()
    for name, wanted in ((fieldname, terms.get(fieldname)), (WORDS_FIELD, terms.get(WORDS_FIELD))):
        if wanted and name in schema:
            analyzer = schema[name].analyzer
            for start, end in _windows(text, _finder(wanted)):
                for token in analyzer(text[start:end], chars=True, mode="index"):
                    if token.text in wanted:
                        spans.add((start + token.startchar, start + token.endchar, token.text))
    return _drop_nested(sorted(spans))


@lru_cache(maxsize=64)
def _finder(terms: frozenset[str]) -> re.Pattern:
    """Where a term may start: its first letters, any accents and case.

    Analysing a whole long body costs more than everything else in a
    search; only the words around these places are analysed. Four
    letters, because a stem is not always a prefix of the word
    (``heureuse`` → ``heureux``).
    """
    heads = sorted({t[:PREFIX_LETTERS] for t in terms if t}, key=len, reverse=True)
    return re.compile(r"(?<!\w)(?:%s)" % "|".join(letters_of(h) for h in heads) if heads else r"(?!)")


def _windows(text: str, finder: re.Pattern):
    """``(start, end)`` from the whitespace before each candidate to the whitespace after its word."""
    last_start, last_end = -1, -1
    for match in finder.finditer(text):
        start = max(text.rfind(" ", 0, match.start()), text.rfind("\n", 0, match.start())) + 1
        found = _SPACE.search(text, match.end())
        end = found.start() if found else len(text)
        if start <= last_end:
            last_end = max(last_end, end)
            continue
        if last_start >= 0:
            yield last_start, last_end
        last_start, last_end = start, end
    if last_start >= 0:
        yield last_start, last_end


def _drop_nested(spans):
    out = []
    for span in spans:
        if out and span[0] < out[-1][1]:
            if span[1] > out[-1][1]:
                out[-1] = (out[-1][0], span[1], out[-1][2])
            continue
        out.append(span)
    return out


def best_fragments(text: str, spans) -> list[tuple[str, tuple[tuple[int, int], ...]]]:
    """The best non-overlapping windows around the matches, as ``(text, highlight ranges)``."""
    if len(text) <= FRAGMENT_CHARS * 3 // 2:
        return [(text.replace("\n", " "), tuple((s, e) for s, e, _ in spans))]
    starts = [s for s, _, _ in spans]
    candidates = []
    for anchor in spans[:MAX_ANCHORS]:
        start = fragment_start(text, anchor[0])
        end = fragment_end(text, start, anchor[1])
        inside = spans[bisect_left(starts, start):bisect_right(starts, end)]
        inside = [s for s in inside if s[1] <= end]
        candidates.append(((len({t for _, _, t in inside}), len(inside), -start), start, end, inside))
    candidates.sort(key=lambda c: c[0], reverse=True)
    chosen: list = []
    for _, start, end, inside in candidates:
        if len(chosen) == MAX_FRAGMENTS:
            break
        if all(end <= s or start >= e for _, s, e, _ in chosen):
            chosen.append((None, start, end, inside))
    chosen.sort(key=lambda c: c[1])
    return [
        (text[start:end].replace("\n", " "), tuple((s - start, e - start) for s, e, _ in inside))
        for _, start, end, inside in chosen
    ]


def fragment_start(text: str, match: int) -> int:
    """Where a fragment showing ``match`` begins: a sentence start within 80 characters, else a word."""
    if match <= 80:
        start = 0
    else:
        ends = list(_SENTENCE_END.finditer(text, match - 80, match))
        if ends:
            start = ends[-1].end()
        else:
            space = text.find(" ", match - 50, match)
            start = space + 1 if space >= 0 else match
    while start < match and text[start].isspace():
        start += 1
    return start


def fragment_end(text: str, start: int, match_end: int) -> int:
    """Where it ends: a sentence end between 120 and 240 characters, else a word near 200."""
    target = start + FRAGMENT_CHARS
    if target >= len(text):
        end = len(text)
    else:
        ends = [m.start() for m in _SENTENCE_END.finditer(text, start + 120, start + 240)]
        ends = [e for e in ends if e >= match_end]
        if ends:
            end = ends[0]
        else:
            space = text.rfind(" ", match_end, target)
            after = text.find(" ", target)
            end = space if space >= 0 else (after if after >= 0 else len(text))
    while end > match_end and text[end - 1].isspace():
        end -= 1
    return end


def opening_snippet(stored: dict) -> tuple[Snippet, ...]:
    """Without query terms (browsing), the start of the summary or body, cut at a word."""
    fieldname = "summary" if stored.get("summary") else "body"
    text = stored.get(fieldname) or ""
    if not text:
        return ()
    end = fragment_end(text, 0, 0)
    return (Snippet(fieldname, text[:end].replace("\n", " ")),)
