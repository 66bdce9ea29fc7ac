"""Compounds written three ways: ``tiers-lieux``, ``tiers lieux`` and ``tierslieux`` plan alike.

The analyzer indexes a hyphenated compound as its parts at consecutive
positions and as its joined form (``indexer.analysis.CompoundFilter``);
people write the compound hyphenated, spaced or joined, in the resources
and in the query. Before anything else, the planner rewrites the query's
top-level words so that the three spellings give one plan:

- a hyphenated word (``tiers-lieux``, ``co-construction``) is its parts,
  each a query word of its own: a resource writing them apart still
  counts, and coordination with adjacent-pair proximity ranks the ones
  holding the compound first;
- a joined word is split the same way where the visible resources write
  it with hyphens (``coconstruction``), and, when they do not have it at
  all, into two words of everyday French (``search.common_words``:
  ``tierslieux``), unless it is a typo of a word they have (``artcle`` is
  ``article``, not ``art cle``);
- every part is also searched as the joined form, at full weight, where a
  visible resource writes it joined (``alternatives``: query position →
  words), so a resource writing ``tierslieux`` has both parts.

Only letters are split (``L2113-15`` and ``2018-2019`` stay whole), and
never at a stop word.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import accumulate

from indexer.analysis import FRENCH_STOP_WORDS, fold
from indexer.schema import WORDS_FIELD
from search.common_words import is_common, is_french
from search.query import All, Any, Word
from search.typos import max_edits

MIN_JOINED = 5   # shorter joined words are not worth splitting (``cela``, ``aussi``)
RARE_JOINED = 2  # a joined word in more resources is their spelling, unless they hyphenate it


@dataclass
class Compounds:
    """The rewritten query tree and the joined forms searched beside its words."""

    tree: object
    alternatives: dict[int, tuple[str, ...]] = field(default_factory=dict)


def compounds(tree, view) -> Compounds:
    """``tree`` with its compounds as parts, and their joined forms (``search.plan.IndexView`` ``view``).

    Words are rewritten at the top level and inside groups (``a OU tiers-lieux``: the parts are
    alternatives as in a query of its own); a negated compound (``-co-construction``) stays whole.
    """
    found = Compounds(tree)
    found.tree = _rewrite(tree, view, found.alternatives)
    return found


def _rewrite(node, view, alternatives: dict[int, tuple[str, ...]]):
    if isinstance(node, Word):
        rewritten = _spliced((node,), view, alternatives)
        return rewritten[0] if len(rewritten) == 1 else All(rewritten)
    if isinstance(node, (All, Any)):
        items = tuple(i if isinstance(i, Word) else _rewrite(i, view, alternatives) for i in node.items)
        return type(node)(_spliced(items, view, alternatives))
    return node


def _spliced(items, view, alternatives: dict[int, tuple[str, ...]]) -> tuple:
    """``items`` with each compound word replaced by its parts, and the joined forms noted."""
    rewritten: list = []
    for item in items:
        parts = _parts(item, view) if _plain(item) else None
        if parts is None:
            rewritten.append(item)
            continue
        rewritten.extend(parts)
        joined = "".join(_folded(p, view) for p in parts)
        if view.doc_count(joined):
            for part in parts:
                alternatives[part.start] = (joined,)
    _adjacent(rewritten, view, alternatives)
    return tuple(rewritten)


def _plain(item) -> bool:
    return isinstance(item, Word) and not (item.prefix or item.literal)


def _folded(word: Word, view) -> str:
    tokens = [t.text for t in view.analyzer(WORDS_FIELD)(word.text, mode="query")]
    return tokens[0] if len(tokens) == 1 else ""


def _parts(word: Word, view) -> list[Word] | None:
    """The parts of a hyphenated or splittable joined ``word``, as query words; None otherwise."""
    tokens = [(t.text, t.startchar, t.endchar) for t in view.analyzer(WORDS_FIELD)(word.text, chars=True, mode="query")]
    if len(tokens) > 1:
        if "-" not in word.text or not all(text.isalpha() for text, _, _ in tokens):
            return None
        pieces = [(word.text[start:end], start) for _, start, end in tokens]
    elif len(tokens) == 1 and len(tokens[0][0]) >= MIN_JOINED and tokens[0][0].isalpha():
        text, start, end = tokens[0]
        typed = word.text[start:end]
        cuts = [] if typed.isupper() else _cuts(text, view)   # an acronym (SPASER) is no compound
        if not cuts or len(typed) != len(text):
            return None
        bounds = [0, *cuts, len(typed)]
        pieces = [(typed[a:b], start + a) for a, b in zip(bounds, bounds[1:])]
    else:
        return None
    return [Word(text, word.start + offset, word.fields) for text, offset in pieces]


def _cuts(joined: str, view) -> list[int]:
    """Where ``joined`` splits into the words the resources write apart, or ``[]``.

    A word the visible resources write with hyphens splits there
    (``coconstruction``: ``co-construction``). A word they do not have, or
    have in at most ``RARE_JOINED`` resources, splits into two words of
    everyday French (``tierslieux``) that they write side by side at least
    as often, unless it is itself a French word, however rare (``surtout``,
    ``ressourcerie``, not ``ressource rie``) or, absent, a typo of a word they
    have (``artcle`` is ``article``, not ``art cle``).
    Frequent words are not split: the French word list loads only for rare ones.
    """
    together = view.doc_count(joined)
    if together:
        parts = view.written(joined, hyphenated=True).split("-")
        if len(parts) > 1 and all(p.isalpha() for p in parts):
            return list(accumulate(len(fold(p)) for p in parts[:-1]))
    if together > RARE_JOINED or (not together and view.neighbours(joined, max_edits(joined))):
        return []
    splits = [(i, joined[:i], joined[i:]) for i in range(2, len(joined) - 1)]
    # Present, it must be written apart too: both parts visible words (no word list needed), counted at once.
    counted = view.counts(part for _, first, second in splits for part in (first, second)) if together else {}
    for i, first, second in splits:
        if first in FRENCH_STOP_WORDS or second in FRENCH_STOP_WORDS:
            continue
        if together and not (counted[first] and counted[second]):
            continue
        if is_common(first) and is_common(second) and not is_common(joined):
            if not together or view.follows(first, second) >= together:
                # Checked last: the large word list (0.3 s to load) only for a word about to be split.
                return [] if is_french(joined) else [i]
    return []


def joinable(first: str, second: str) -> bool:
    """Whether two adjacent folded words may be searched joined (``tiers lieux``: ``tierslieux``): both
    letters only, neither a stop word. ``ClusterView.expect`` counts their joined form with the query's
    words, in one round trip."""
    return first.isalpha() and second.isalpha() and first not in FRENCH_STOP_WORDS and second not in FRENCH_STOP_WORDS


def _adjacent(words: list, view, alternatives: dict[int, tuple[str, ...]]) -> None:
    """Two adjacent plain words whose joined form a visible resource writes (``tiers lieux``:
    ``tierslieux``) are each searched as that form too."""
    for first, second in zip(words, words[1:]):
        if not (_plain(first) and _plain(second)) or first.start in alternatives or second.start in alternatives:
            continue
        a, b = _folded(first, view), _folded(second, view)
        if not joinable(a, b):
            continue
        if view.doc_count(a + b):
            alternatives[first.start] = alternatives[second.start] = (a + b,)
