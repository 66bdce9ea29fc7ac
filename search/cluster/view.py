"""What the planner knows of a cluster collection for one caller: the ``IndexView`` of ``search.plan``.

Every count is over the documents the caller may see (``private:=false``
in each filter unless private resources are allowed), so a word only
private resources hold is never suggested nor corrected to, and a facet
value only they carry is never resolved.

The vocabulary is the ``vocabulary`` facet the writer fills with each
document's distinct unstemmed words (``indexer.cluster.schema``):
Typesense counts the documents of any word for any filter, and its facet
queries find the words starting with a prefix (completions) or within one
or two typos of one (corrections, then kept only when the whole word is
close enough and shares its first letter, as the local view does).
Counts are cached for the view's life (a refreshed searcher makes new views).
"""

from __future__ import annotations

from collections import Counter
from functools import lru_cache

from whoosh.support.levenshtein import damerau_levenshtein

from indexer.analysis import fold
from indexer.cluster.schema import TERM_FIELDS, VOCABULARY, WORDS_FIELD
from indexer.schema import FACET_FIELDS, SCHEMA, TEXT_FIELDS
from search.cluster.expression import Condition, both, either, literal, values
from search.cluster.fetch import MAX_FACET_VALUES
from search.compile import Compiler
from search.query import All, Word
from search.vocabulary import spelled_like

NEIGHBOURS_SCANNED = 250
MAX_TITLE_WORDS = 8
TEXT_STORED = "title,summary,body"


class ClusterView:
    """One caller's view of the collection a ``ClusterSearcher`` reads."""

    def __init__(self, backend, include_private: bool):
        self._backend, self._reader = backend, backend.reader
        self._include_private = include_private
        self._visible = Condition(None) if include_private else Condition("private:=false")
        self._values: dict[str, frozenset[str]] | None = None
        self.doc_count = lru_cache(maxsize=4096)(self._doc_count)

    def analyzer(self, field: str):
        return SCHEMA[field].analyzer

    def _search(self, matched: Condition, **params) -> dict:
        search = {"q": "*", "query_by": WORDS_FIELD, "per_page": 0, **params}
        if matched.text is not None:
            search["filter_by"] = matched.text
        [answer] = self._reader.search([search])
        return answer

    def _facet_words(self, prefix: str, typos: int, count: int) -> list[tuple[str, int]]:
        """Visible words starting with ``prefix`` (give or take ``typos``), most documents first."""
        answer = self._search(self._visible, facet_by=VOCABULARY, facet_query=f"{VOCABULARY}:{prefix}",
                              facet_query_num_typos=typos, max_facet_values=count)
        return [(c["value"], c["count"]) for f in answer["facet_counts"] for c in f["counts"]]

    def facet_values(self, field: str) -> frozenset[str]:
        if self._values is None:
            answer = self._search(self._visible, facet_by=",".join(FACET_FIELDS), max_facet_values=MAX_FACET_VALUES)
            self._values = {f["field_name"]: frozenset(c["value"] for c in f["counts"]) for f in answer["facet_counts"]}
        return self._values.get(field, frozenset())

    def _doc_count(self, word: str, at_most: int = 1000) -> int:
        matched = both([self._visible, Condition(f"{VOCABULARY}:={literal(word)}")])
        return min(self._search(matched)["found"], at_most)

    def ranked_doc_count(self, text: str) -> int:
        """Visible documents matching ``text`` in the ranked fields (``entreprise`` finds ``entreprises``)."""
        terms = {name: [t.text for t in self.analyzer(name)(text, mode="query")] for name in TEXT_FIELDS}
        words = either([Condition(f"{TERM_FIELDS[name]}:{values(found)}") for name, found in terms.items() if found])
        if words.empty:
            return 0
        return self._search(both([self._visible, words]))["found"]

    def neighbours(self, word: str, edits: int) -> list[tuple[str, int, int]]:
        found = []
        for other, count in self._facet_words(word, edits, NEIGHBOURS_SCANNED):
            if other != word and other[:1] == word[:1]:
                distance = damerau_levenshtein(word, other)
                if distance <= edits:
                    found.append((other, distance, count))
        found.sort(key=lambda f: (f[1], -f[2], f[0]))
        return found

    def prefix_words(self, prefix: str, limit: int) -> list[str]:
        words = [(w, n) for w, n in self._facet_words(prefix, 0, max(limit, 1)) if w.startswith(prefix)]
        return [w for w, _ in sorted(words, key=lambda item: (-item[1], item[0]))][:limit]

    def follows(self, previous: str, word: str) -> int:
        answer = self._search(self._visible, q=f'"{previous} {word}"', query_by=WORDS_FIELD, prefix="false",
                              num_typos=0, highlight_fields="none")
        return answer["found"]

    def written(self, word: str, hyphenated: bool = False) -> str:
        matched = both([self._visible, Condition(f"{VOCABULARY}:={literal(word)}")])
        hits = self._search(matched, per_page=1, include_fields=TEXT_STORED)["hits"]
        if not hits:
            return word
        stored, pattern = hits[0]["document"], spelled_like(word, hyphens=hyphenated)
        forms = Counter(m.group() for f in TEXT_FIELDS for m in pattern.finditer(stored.get(f) or ""))
        if hyphenated and any("-" in form for form in forms):
            forms = Counter({form: n for form, n in forms.items() if "-" in form})
        return forms.most_common(1)[0][0] if forms else word

    def titles(self, text: str, limit: int) -> list[str]:
        tokens = [(t.startchar, t.endchar) for t in self.analyzer(WORDS_FIELD)(text, chars=True, mode="query")]
        if not tokens:
            return []
        typing = not text[-1:].isspace()
        words = [Word(text[s:e], s, ("title",), prefix=typing and i == len(tokens) - 1)
                 for i, (s, e) in enumerate(tokens[-MAX_TITLE_WORDS:])]
        node = Compiler(self).build(All(tuple(words)) if len(words) > 1 else words[0])
        if node is None:
            return []
        titles = [t for t in self._backend.titles(node, self._include_private, limit * 2) if t]
        typed = fold(text.strip())
        return sorted(titles, key=lambda t: typed not in fold(t))[:limit]

