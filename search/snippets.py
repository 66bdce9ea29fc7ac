"""Snippets: the best passages of a hit, cut where a reader would cut, with highlight ranges.

What to mark is a ``Highlight``: analysed terms, marked wherever they
occur, and sequences (a phrase, a thesaurus expansion, a legal reference
such as ``article 37``), marked as one unit only where their terms stand
at consecutive positions. The stored text is analysed again with the
field's own analyzer, so matches are found through elision, accents,
stemming and removed stop words while the fragment keeps the characters as
written (``economie`` highlights ``économie``, ``l'article 37`` and
``art. 37`` are one mark each for the sequence ``articl 37``). Exact
phrases and prefixes searched on the unstemmed ``words`` field are matched
with its analyzer the same way. A word of a sequence is never marked alone
unless it is also a term: the expansion "économie sociale et solidaire" of
``ESS`` does not mark every "sociales".

Up to three fragments of about 200 characters: each starts at the
beginning of a sentence when one is near, else at a word, and ends at the
end of a sentence or of a word. The fragments holding the most whole
sequences, then the most distinct terms, win and are shown in text order.
The body is used first; the summary, then the title, when the body holds
none of the terms.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache

from indexer.analysis import fold
from indexer.schema import WORDS_FIELD
from search.results import Snippet
from search.words import folded_text, letters_of

FRAGMENT_CHARS = 200
MAX_FRAGMENTS = 3
MAX_ANCHORS = 200
SNIPPET_FIELDS = ("body", "summary", "title")
PREFIX_LETTERS = 4
_WORD = re.compile(r"\w+")
MANY_HEADS = 64   # above this many word heads (hundreds of prefix expansions), one pass over the words
# Windows this close are analysed together, so a sequence split by stop words ("et", "de la") is seen whole.
SEQUENCE_GAP = 16
# Abbreviations the analysis expands (indexer.analysis.LegalReferenceFilter): a term starting with the key
# may also be written as the abbreviation ("art. 37" makes "articl"), which its first letters would not find.
ABBREVIATIONS = {"arti": ("art",), "nume": ("n°", "num")}
_SPACE = re.compile(r"\s")
# A sentence ends at . ! ? or … followed by a capital ("art. 37" does not end one), or at a line break.
_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+(?=[A-ZÀ-ÖØ-Þ\"«“])|\n")


@dataclass(frozen=True)
class Highlight:
    """What to mark in a hit: analysed terms, and runs of terms marked as one unit, per field."""

    terms: Mapping[str, frozenset[str]] = field(default_factory=dict)  # field → terms, marked wherever they occur
    sequences: Mapping[str, frozenset[tuple[str, ...]]] = field(default_factory=dict)  # field → runs of terms

    def words(self, fieldname: str) -> frozenset[str]:
        """Every term of ``fieldname`` a mark may start from: its terms and the terms of its sequences."""
        runs = self.sequences.get(fieldname, frozenset())
        return self.terms.get(fieldname, frozenset()).union(*runs)


def snippets_for(stored: dict, highlight: Highlight, schema) -> tuple[Snippet, ...]:
    """Up to three fragments from the first of body, summary and title that holds a term or sequence."""
    for fieldname in SNIPPET_FIELDS:
        text = stored.get(fieldname) or ""
        spans = match_spans(text, fieldname, highlight, schema) if text else []
        if spans:
            return tuple(Snippet(fieldname, *fragment) for fragment in best_fragments(text, spans))
    return ()


def match_spans(text: str, fieldname: str, highlight: Highlight, schema) -> list[tuple[int, int, frozenset]]:
    """``(start, end, units)`` of every mark in ``text``; a unit is a term or a whole sequence."""
    spans = set()
    for name in dict.fromkeys((fieldname, WORDS_FIELD)):
        wanted = highlight.words(name)
        if not wanted or name not in schema:
            continue
        terms, runs = highlight.terms.get(name, frozenset()), highlight.sequences.get(name, frozenset())
        analyzer = schema[name].analyzer
        for start, end in _windows(text, _places(text, wanted), SEQUENCE_GAP if runs else 0):
            found = analyzer(text[start:end], chars=True, positions=True, mode="index")
            tokens = [(t.text, t.pos, t.startchar, t.endchar) for t in found]  # Whoosh reuses one Token
            spans.update((start + s, start + e, unit) for s, e, unit in _marks(tokens, terms, runs))
    return _merge_overlaps(spans)


def _marks(tokens, terms: frozenset[str], runs: frozenset[tuple[str, ...]]):
    """``(startchar, endchar, unit)`` of the terms among ``tokens`` and of the runs at consecutive positions.

    ``tokens`` are ``(text, pos, startchar, endchar)``.
    """
    at: dict[int, dict[str, tuple[int, int]]] = {}
    for text, pos, startchar, endchar in tokens:
        if text in terms:
            yield startchar, endchar, text
        at.setdefault(pos, {}).setdefault(text, (startchar, endchar))
    for run in runs:
        for pos, texts in at.items():
            first = texts.get(run[0])
            if first is None:
                continue
            following = [at.get(pos + i, {}).get(word) for i, word in enumerate(run[1:], 1)]
            if all(following):
                yield first[0], following[-1][1], run


def _merge_overlaps(spans) -> list[tuple[int, int, frozenset]]:
    """One mark per overlapping group (a sequence swallows its own terms), with every unit it shows."""
    out: list[tuple[int, int, frozenset]] = []
    for start, end, unit in sorted(spans, key=lambda s: (s[0], -s[1])):
        if out and start < out[-1][1]:
            out[-1] = (out[-1][0], max(end, out[-1][1]), out[-1][2] | {unit})
        else:
            out.append((start, end, frozenset({unit})))
    return out


def _places(text: str, terms: frozenset[str]) -> list[tuple[int, int]]:
    """Where a term may start, in text order: ``(start, end)`` of its first letters, any accents and case.

    Analysing a whole long body costs more than everything else in a
    search; only the words around these places are analysed. Four
    letters, because a stem is not always a prefix of the word
    (``heureuse`` → ``heureux``). A head is found in the text folded letter
    for letter (``search.words.FoldedText``, the same places as its
    pattern, several times faster); a head with an abbreviation or a code
    letter has one compiled pattern, kept across queries.
    """
    heads = {t[:PREFIX_LETTERS] for t in terms if t}
    if len(heads) > MANY_HEADS:
        return _word_starts(text, heads)
    folded, found = folded_text(text), []
    for head in heads:
        spans = folded.at_word_starts(head) if _spelled_only(head) else None
        found += spans if spans is not None else [m.span() for m in _finder(head).finditer(text)]
    return sorted(found)


def _spelled_only(head: str) -> bool:
    """True when ``head`` is found as spelled alone (``search.words.FoldedText``): no abbreviation
    nor code letter (``_finder``) to look for."""
    return head not in ABBREVIATIONS and not head[:1].isdigit()


def _word_starts(text: str, heads: set[str]) -> list[tuple[int, int]]:
    """``_places`` for a query of very many words (``a* b* … z*``): one pass over the text's words,
    each folded and its first letters looked up, instead of one pattern per head (hundreds of
    scans of each text, seconds a page); abbreviations and code letters are not looked for.
    Nearly every word is then a place: the scan stops at twice ``MAX_ANCHORS`` places (fragments
    are chosen among the first ``MAX_ANCHORS`` marks anyway), so a long text is not analysed whole."""
    lengths = sorted({len(h) for h in heads})
    found = []
    for word in _WORD.finditer(text):
        folded = _folded_word(word.group())
        length = next((n for n in lengths if folded[:n] in heads), 0)
        if length:
            found.append((word.start(), word.start() + length))
            if len(found) == 2 * MAX_ANCHORS:
                break
    return found


@lru_cache(maxsize=65536)
def _folded_word(word: str) -> str:
    """``fold`` of one word of a text, kept: a text's words recur, and unidecode takes microseconds each."""
    return fold(word)


@lru_cache(maxsize=1024)
def _finder(head: str) -> re.Pattern:
    """The places ``head`` may start: as spelled, as an abbreviation the analysis expands
    (``art.`` → ``article``), after a code's letter for a number (``L2113-15`` makes ``2113-15``)."""
    sources = [letters_of(head)]
    sources += [letters_of(a) + r"(?![^\W\d_])" for a in ABBREVIATIONS.get(head, ())]
    sources += [r"[LRDlrd]" + re.escape(head)] if head[:1].isdigit() else []
    return re.compile(r"(?<!\w)(?:%s)" % "|".join(sources))


def _windows(text: str, places: list[tuple[int, int]], gap: int = 0):
    """``(start, end)`` from the whitespace before each candidate place to the whitespace after its word.

    Windows that overlap, or that are at most ``gap`` characters apart, are one window.
    """
    last_start, last_end = -1, -1
    for place_start, place_end in places:
        start = max(text.rfind(" ", 0, place_start), text.rfind("\n", 0, place_start)) + 1
        found = _SPACE.search(text, place_end)
        end = found.start() if found else len(text)
        if last_start >= 0 and start <= last_end + gap:
            last_end = max(last_end, end)
            continue
        if last_start >= 0:
            yield last_start, last_end
        last_start, last_end = start, end
    if last_start >= 0:
        yield last_start, last_end


def _weight(inside) -> tuple[int, int, int]:
    """How well a fragment shows the query: whole sequences, then distinct terms, then marks."""
    units = frozenset().union(*(u for _, _, u in inside))
    words = {w for u in units for w in (u if isinstance(u, tuple) else (u,))}
    return sum(isinstance(u, tuple) for u in units), len(words), len(inside)


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
        candidates.append(((*_weight(inside), -start), start, end, inside))
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
