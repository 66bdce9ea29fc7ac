"""Completions for a search box: the word being typed, then the titles it leads to.

``"marchés rés"`` gives ``"marchés réservés"``: the word being typed is
completed as the corpus writes it (``co-con`` → ``co-construction``,
``l'ess`` → ``l'ESS``, case as written): only the words seen right after
the previous one when there are some, else the most frequent in the documents
the caller may see (ties alphabetically, so a private document tips nothing); stop words are never
offered (``Les Services d`` does not complete to ``de``); a word typed in
full is offered as written. Then the titles of visible resources holding
the typed words, the last one as a prefix, those holding them side by
side first. Word completions come first, up to half the list, then
titles, then more words if titles run short. Everything is drawn from the
caller's view (``search.plan.IndexView``): nothing private is offered to
the public.
"""

from __future__ import annotations

import re

from indexer.analysis import FRENCH_STOP_WORDS, TOKEN_PATTERN, fold
from indexer.schema import WORDS_FIELD
from search.compile import PREFIX_SCAN, Compiler
from search.query import All, Word
from indexer.analysis.normalise import APOSTROPHES, ELIDED_PREFIXES

MAX_WORDS = 8
CANDIDATES = 50
MIN_WHOLE = 3
_WORD = re.compile(TOKEN_PATTERN)
_ELISION = re.compile(r"^(?:%s)[%s]" % ("|".join(ELIDED_PREFIXES), APOSTROPHES), re.IGNORECASE)


def completions(prefix: str, view, limit: int) -> list[str]:
    """Up to ``limit`` distinct completions of ``prefix`` (no duplicates, ignoring case)."""
    text = prefix[-1000:]
    tokens = [(t.text, t.startchar) for t in view.analyzer(WORDS_FIELD)(text, chars=True, mode="query")][-MAX_WORDS:]
    if not tokens:
        return []
    typing = not text[-1:].isspace()
    words = _words(text, tokens, view, limit) if typing else []
    titles = view.titles(text, limit)
    half = -(-limit // 2)
    out, seen = [], set()
    for completion in words[:half] + titles + words[half:]:
        if completion.casefold() not in seen and len(out) < limit:
            seen.add(completion.casefold())
            out.append(completion)
    return out


def title_node(text: str, view, most: int = MAX_WORDS):
    """The typed words as a query on titles (``search.nodes``), the last one as a prefix unless
    ``text`` ends with a space; None when nothing can be searched. Backends rank titles with it."""
    tokens = [(t.startchar, t.endchar) for t in view.analyzer(WORDS_FIELD)(text, chars=True, mode="query")]
    if not tokens:
        return None
    typing = not text[-1:].isspace()
    words = [Word(text[s:e], s, ("title",), prefix=typing and i == len(tokens) - 1)
             for i, (s, e) in enumerate(tokens[-most:])]
    return Compiler(view).build(All(tuple(words)) if len(words) > 1 else words[0])


def side_by_side_first(titles: list[str], text: str, limit: int) -> list[str]:
    """``titles`` (best first) with those holding the typed text as written, side by side, first."""
    typed = fold(text.strip())
    return sorted((t for t in titles if t), key=lambda t: typed not in fold(t))[:limit]


def _words(text: str, tokens, view, limit: int) -> list[str]:
    """The word being typed, completed: ``head`` + the corpus's spelling of each candidate.

    The word being typed is the last word of ``text`` as the analyzer's tokenizer cuts it,
    hyphens and apostrophes included (``co-con``, ``l'ess``); whatever precedes it is kept
    as typed (``-ins`` → ``-insertion``, ``(coo``, ``titre:coo``).
    """
    last = None
    for last in _WORD.finditer(text):
        pass
    if last is None or last.end() != len(text):
        return []
    start = last.start()
    surface = text[start:]
    elided = _ELISION.match(surface)
    head = text[:start] + (elided.group() if elided else "")
    key = fold(surface[elided.end() if elided else 0:]).replace("-", "").replace("‐", "")
    if not key.isalnum():
        return []
    candidates = [w for w in view.prefix_words(key, CANDIDATES, PREFIX_SCAN) if w not in FRENCH_STOP_WORDS]
    follows = dict.fromkeys(candidates, 0)
    before = [word for word, at in tokens if at < start]
    if before:
        previous = before[-1]
        follows = {w: view.follows(previous, w) for w in candidates}
        if any(follows.values()):  # "marchés ré": réservés, never "marchés Retrouvez"
            candidates = [w for w in candidates if follows[w]]
    # Words seen after the previous one first; then a word typed in full (3 letters or more), as written;
    # then by the documents the caller may see, ties alphabetically: an order nothing hidden can tip.
    candidates.sort(key=lambda w: (-follows[w], not (w == key and len(key) >= MIN_WHOLE), -view.doc_count(w), w))
    hyphenated = "-" in surface
    return [head + view.written(w, hyphenated) for w in candidates[:limit]]
