"""Typo tolerance: close spellings for words that match nothing, or almost nothing.

Like Meilisearch and Typesense: a word of 5 letters or more may be one
edit away from a word of the index, of 9 letters or more two edits away;
acronyms (``SCIC``) and anything with a digit are taken as typed. A word
that no visible resource contains is searched through its closest visible
words instead; a word only one resource contains is searched as typed
*and* through a much more frequent close word, at a lower boost, so exact
matches rank first. Plural and feminine forms (``réservé``/``réservés``)
are the same word, not a better spelling: a word missing as typed but
present in another form (``emploi``, written ``emplois`` in the corpus) is
searched through that form at full weight and is no typo. Field names
typed by mistake (``auteur:x``) are never corrected.

A word of everyday French (``search.common_words``) that no visible
resource has is no typo either: it is never "corrected" into a proper noun (a word the resources write with a
capital, ``tiers`` → ``Thiers``) nor into another common word; when no
visible resource has it, the user is told so (``« tiers » ne figure dans
aucune ressource``) and it is searched as typed.
"""

from __future__ import annotations

from dataclasses import dataclass

from indexer.schema import WORDS_FIELD
from search.common_words import is_common
from search.query import All, Any, Word

MAX_REPLACEMENTS = 3
RARE_DOCS = 1
MORE_FREQUENT = 5
INFLECTIONS = ("s", "x", "e", "es")
MAX_LETTERS = 30  # longer "words" are pasted noise, and automata over them are slow


@dataclass(frozen=True)
class Correction:
    """A typed word, where it is in the query, and the spellings searched with it."""

    word: str
    start: int
    end: int
    node_start: int
    replacements: tuple[str, ...]
    written: str
    missing: bool

    def to_dict(self) -> dict:
        """``replacements`` are folded index words, except the first, shown as the corpus writes it."""
        return {"word": self.word, "replacements": [self.written, *self.replacements[1:]], "missing": self.missing}

    def __str__(self) -> str:
        if self.missing:
            return f"« {self.word} » est introuvable : recherché comme « {self.written} »"
        return f"« {self.word} » est rare : recherché aussi comme « {self.written} »"


def max_edits(word: str) -> int:
    """Edits tolerated in ``word`` as typed: 0 under 5 letters, for acronyms and numbers.

    >>> [max_edits(w) for w in ("ESS", "SCIC", "Enercop", "cooperative", "2018ss")]
    [0, 0, 1, 2, 0]
    """
    if not 5 <= len(word) <= MAX_LETTERS or any(c.isdigit() for c in word) or (word.isupper() and word.isalpha()):
        return 0
    return 1 if len(word) < 9 else 2


def plain_words(tree):
    """The positive, unprefixed ``Word`` nodes of a tree (not under a negation)."""
    if isinstance(tree, Word):
        if not tree.prefix:
            yield tree
    elif isinstance(tree, (All, Any)):
        for item in tree.items:
            yield from plain_words(item)


def same_word(a: str, b: str) -> bool:
    """Inflections of one word (``reserve``, ``reserves``, ``reservee``)."""
    short, long = sorted((a, b), key=len)
    return any(long == short + end for end in INFLECTIONS) or (
        short[-1:] in "sxe" and any(long == short[:-1] + end for end in INFLECTIONS)
    )


@dataclass(frozen=True)
class Spellings:
    """What the vocabulary says of a query's words: typos, and other forms of missing words."""

    corrections: list[Correction]
    forms: dict[int, tuple[str, ...]]   # node start → other written forms, searched at full weight
    absent: list[str]                    # common French words no visible resource has, as typed

    def warnings(self) -> list[str]:
        """What the user is told of the absent words (the corrections say themselves)."""
        return [f"« {word} » ne figure dans aucune ressource" for word in dict.fromkeys(self.absent)]


def corrections(tree, view) -> Spellings:
    """A ``Correction`` per word of ``tree`` that is missing or rare where a better spelling exists;
    the other forms of the words missing only as typed (``search.plan.IndexView`` ``view``)."""
    found, forms, known, absent = [], {}, {}, []
    for node in plain_words(tree):
        tokens = [(t.text, t.startchar, t.endchar) for t in view.analyzer(WORDS_FIELD)(node.text, chars=True, mode="query")]
        if len(tokens) != 1 or node.literal:
            continue
        word, start, end = tokens[0]
        # Edits are counted on the word as typed (case tells acronyms) and as folded (what is compared).
        edits = min(max_edits(node.text[start:end]), max_edits(word))
        if not edits:
            continue
        typed = node.text[start:end]
        if word not in known:  # a word typed twice is looked up once
            best, count, inflected = _better_spellings(word, edits, view)
            if best and not (inflected or count) and is_common(typed):
                best = tuple(w for w in best if not _common_or_proper(view.written(w)))
            known[word] = best, count, inflected, view.written(best[0]) if best and not inflected else ""
        best, count, inflected, written = known[word]
        if not (best or count) and is_common(typed):
            absent.append(typed)
        elif inflected:
            forms[node.start] = best
        elif best:
            found.append(Correction(typed, node.start + start, node.start + end, node.start, best, written, not count))
    return Spellings(found, forms, absent)


def _common_or_proper(written: str) -> bool:
    """A word as the resources write it that a common word must not be corrected into: a proper
    noun (capital initial: ``Thiers``) or another word of everyday French."""
    return written[:1].isupper() or is_common(written)


def _better_spellings(word: str, edits: int, view) -> tuple[tuple[str, ...], int, bool]:
    """Close visible words worth searching for ``word``, how many visible documents have ``word``,
    and whether those words are other forms of it (``emploi`` → ``emplois``) rather than typos."""
    # A word found only through its stem (entreprise → entreprises) is no typo either.
    count = view.doc_count(word) or view.ranked_doc_count(word)
    if count > RARE_DOCS:
        return (), count, False
    close = view.neighbours(word, edits)
    if not count:
        inflections = [n[0] for n in close if same_word(word, n[0])]
        if inflections:
            return tuple(inflections[:MAX_REPLACEMENTS]), count, True
    else:
        close = [n for n in close if n[2] >= MORE_FREQUENT * count and not same_word(word, n[0])]
    return tuple(n[0] for n in close[:MAX_REPLACEMENTS]), count, False


def suggestion(query: str, found: list[Correction]) -> str | None:
    """``query`` with each corrected word replaced by its best spelling, as the corpus writes it."""
    if not found:
        return None
    out, last = [], 0
    for c in sorted(found, key=lambda c: c.start):
        out.extend([query[last:c.start], c.written])
        last = c.end
    out.append(query[last:])
    return "".join(out)
