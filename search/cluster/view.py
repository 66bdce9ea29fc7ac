"""What the planner knows of a cluster collection for one caller: the ``IndexView`` of ``search.plan``.

Every count is over the documents the caller may see (``private:=false``
in each filter unless private resources are allowed), so a word only
private resources hold is never suggested nor corrected to, and a facet
value only they carry is never resolved (facet values come from the
writer's counts of public documents).

The vocabulary is the collection of distinct words the writer keeps
beside the documents (``indexer.cluster.vocabulary``): Typesense's own
typo tolerance finds there the words within one or two edits of a typed
word (kept when they share its first letter and are that close,
Damerau-Levenshtein, as the local view does), its prefix search the
words a typed beginning may complete to. How many documents hold a word
is then counted for the caller (``words`` terms, visible documents only:
a word only private resources hold counts 0 and is never offered), in
one round trip for all the candidates, and cached for the view's life (a
refreshed searcher makes new views).
"""

from __future__ import annotations


from indexer.cluster.schema import TERM_FIELDS, texts_name
from indexer.cluster.vocabulary import vocabulary_name
from indexer.schema import SCHEMA, TEXT_FIELDS, WORDS_FIELD
from search.cluster.expression import Condition, both, either, literal, values
from search.cluster.fetch import CANDIDATES
from search.compounds import joinable
from search.suggest import side_by_side_first, title_node
from search.words import is_neighbour, ranked_neighbours, written_in

TEXT_STORED = "title,summary,body"
# Words whose document ``written`` keeps (``expect`` fetches one per query word with the counts).
SHOWN_KEPT = 2048


class ClusterView:
    """One caller's view of the collection a ``ClusterSearcher`` reads."""

    def __init__(self, backend, include_private: bool):
        self._backend, self._reader = backend, backend.reader
        self._include_private = include_private
        self._visible = Condition(None) if include_private else Condition("private:=false")
        self._values: dict[str, frozenset[str]] | None = None
        self._counts: dict[str, int] = {}
        self._shown: dict[str, dict | None] = {}  # word → the texts of a visible document holding it
        self._written: dict[tuple[str, bool], str] = {}

    def analyzer(self, field: str):
        return SCHEMA[field].analyzer

    @staticmethod
    def _params(matched: Condition, **params) -> dict:
        search = {"q": "*", "query_by": WORDS_FIELD, "per_page": 0, **params}
        if matched.text is not None:
            search["filter_by"] = matched.text
        return search

    def _search(self, matched: Condition, **params) -> dict:
        [answer] = self._reader.search([self._params(matched, **params)])
        return answer

    def _vocabulary(self, text: str, typos: int, prefix: bool) -> list[str]:
        """Words of the vocabulary within ``typos`` edits of ``text`` (or starting with it)."""
        search = {"q": text, "query_by": "word", "prefix": "true" if prefix else "false", "num_typos": typos,
                  "typo_tokens_threshold": 1_000_000, "drop_tokens_threshold": 0, "exhaustive_search": "true",
                  "per_page": CANDIDATES, "include_fields": "word", "highlight_fields": "none"}
        [answer] = self._reader.search([search], vocabulary_name(self._reader.collection))
        return [hit["document"]["word"] for hit in answer["hits"]]

    def counts(self, words) -> dict[str, int]:
        """Visible documents holding each of ``words`` (a ``words`` term), counted in one round trip."""
        words = list(words)
        self._count(words)
        return {w: self._counts[w] for w in words}

    def _count(self, words: list[str], others: tuple[list, list[dict]] = ([], []), spelled: list[str] = ()) -> None:
        """Count the documents of the ``words`` not counted yet, and find how the ``spelled`` words not
        seen yet are written (``written``), sending the ``others`` searches with them (``(keys, searches)``
        of ``CollectionStatistics.counting``, recorded there): one round trip for all."""
        missing = [w for w in dict.fromkeys(words) if w not in self._counts]
        unseen = [w for w in dict.fromkeys(spelled) if w not in self._shown]
        keys, searches = others
        if not missing and not keys and not unseen:
            return
        counted = [self._params(self._holding(w)) for w in missing]
        shown = [self._shown_search(w) for w in unseen]
        answers = self._reader.search_spread([*counted, *shown, *searches])
        for word, answer in zip(missing, answers):
            self._counts[word] = answer["found"]
        for word, answer in zip(unseen, answers[len(missing):]):
            self._remember_shown(word, answer["hits"])
        self._backend.statistics.record(keys, answers[len(missing) + len(unseen):])

    def _holding(self, word: str) -> Condition:
        """The visible documents holding ``word`` (a ``words`` term)."""
        return both([self._visible, Condition(f"{WORDS_FIELD}:{literal(word)}")])

    def _shown_search(self, word: str) -> dict:
        """The texts of a visible document holding ``word``, from the texts collection (``written``)."""
        return self._params(self._holding(word), per_page=1, include_fields=TEXT_STORED,
                            collection=texts_name(self._reader.collection))

    def _remember_shown(self, word: str, hits: list[dict]) -> None:
        if len(self._shown) >= SHOWN_KEPT:  # the oldest go first: a long-running server's memory stays bounded
            del self._shown[next(iter(self._shown))]
        self._shown[word] = hits[0]["document"] if hits else None

    def expect(self, query: str) -> None:
        """Count, in one round trip, the documents holding each word of ``query`` and the joined form of
        each two adjacent ones (``search.compounds.joinable``), and (in the whole collection) each of its
        terms in each ranked field: the planner asks about words one by one (typo corrections, compounds),
        and our ranking needs the terms' document frequencies."""
        words = [t.text for t in self.analyzer(WORDS_FIELD)(query or "", mode="query")]
        joined = [a + b for a, b in zip(words, words[1:]) if joinable(a, b)]
        terms = [(name, t.text) for name in TEXT_FIELDS for t in self.analyzer(name)(query or "", mode="query")]
        self._count([*words, *joined], self._backend.statistics.counting(terms), spelled=words)

    def facet_values(self, field: str) -> frozenset[str]:
        """The values the caller may see, as the writer counted them (``ClusterSearcher.facet_counts``)."""
        if self._values is None:
            counts = self._backend.facet_counts(self._include_private)
            self._values = {name: frozenset(values) for name, values in counts.items()}
        return self._values.get(field, frozenset())

    def doc_count(self, word: str, at_most: int = 1000) -> int:
        return min(self.counts([word])[word], at_most)

    def ranked_doc_count(self, text: str) -> int:
        """Visible documents matching ``text`` in the ranked fields (``entreprise`` finds ``entreprises``)."""
        terms = {name: [t.text for t in self.analyzer(name)(text, mode="query")] for name in TEXT_FIELDS}
        words = either([Condition(f"{TERM_FIELDS[name]}:{values(found)}") for name, found in terms.items() if found])
        if words.empty:
            return 0
        return self._search(both([self._visible, words]))["found"]

    def neighbours(self, word: str, edits: int) -> list[tuple[str, int, int]]:
        close = [other for other in self._vocabulary(word, edits, False) if other != word and is_neighbour(word, other, edits)]
        return ranked_neighbours(word, self.counts(close))

    def prefix_words(self, prefix: str, limit: int, scan: int) -> list[str]:
        words = [w for w in self._vocabulary(prefix, 0, True) if w.startswith(prefix)][:scan]
        counted = sorted(((n, w) for w, n in self.counts(words).items() if n), key=lambda item: (-item[0], item[1]))
        return [w for _, w in counted[:limit]]

    def follows(self, previous: str, word: str) -> int:
        answer = self._search(self._visible, q=f'"{previous} {word}"', query_by=WORDS_FIELD, prefix="false",
                              num_typos=0, highlight_fields="none")
        return answer["found"]

    def written(self, word: str, hyphenated: bool = False) -> str:
        if (word, hyphenated) not in self._written:
            if word not in self._shown:
                [answer] = self._reader.search([self._shown_search(word)])
                self._remember_shown(word, answer["hits"])
            stored = self._shown[word]
            self._written[word, hyphenated] = written_in(stored, word, hyphenated) if stored else word
        return self._written[word, hyphenated]

    def titles(self, text: str, limit: int) -> list[str]:
        node = title_node(text, self)
        if node is None:
            return []
        return side_by_side_first(self._backend.titles(node, self._include_private, limit * 2), text, limit)

