"""Query-time expansion of the field's acronyms, in both directions.

The RTES export writes ``ESS`` and never "économie sociale et solidaire";
users type either. The thesaurus (``indexer/data/thesaurus.tsv``, data not
code) is applied to the parsed query tree: a word that is an acronym also
matches its expansions as phrases, and a run of words that spells an
expansion also matches its acronym. Expansion happens at query time only,
so editing the thesaurus needs no reindexing.

Entries are analyzed with the analyzer of the index's ranked text fields,
so they meet the query's tokens however those are stemmed and folded. It
rewrites compiled nodes (``search.nodes``), so both backends share it.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache

from indexer.analysis import THESAURUS_PATH
from search.nodes import AllOf, AnyOf, Node, Terms, single_term


@dataclass(frozen=True)
class Entry:
    """One acronym and one of its expansions, as written in the data file."""

    acronym: str
    expansion: str

    def describe(self) -> str:
        return f"synonyme : {self.acronym} = {self.expansion}"


@lru_cache(maxsize=1)
def load_entries() -> tuple[Entry, ...]:
    """Every (acronym, expansion) pair of the thesaurus file."""
    with THESAURUS_PATH.open(encoding="utf-8", newline="") as f:
        rows = csv.DictReader((line for line in f if not line.startswith("#")), delimiter="\t")
        return tuple(
            Entry(row["acronym"].strip(), expansion.strip())
            for row in rows
            for expansion in row["expansion"].split("|")
        )


def _fields(node: Node) -> list[tuple[str, float]]:
    terms = node.children if isinstance(node, AnyOf) else (node,)
    return [(t.field, t.boost) for t in terms]


class Thesaurus:
    """The entries analyzed by one field's analyzer, indexed both ways."""

    def __init__(self, entries, analyze):
        self.by_acronym: dict[str, list[tuple[Entry, tuple[str, ...]]]] = {}
        self.by_expansion: dict[tuple[str, ...], list[tuple[Entry, str]]] = {}
        for entry in entries:
            acronym, words = analyze(entry.acronym), analyze(entry.expansion)
            if len(acronym) != 1 or not words or words in self._expansions_of(acronym[0]):
                continue  # not one word, or a spelling variant that analyzes the same
            self.by_acronym.setdefault(acronym[0], []).append((entry, words))
            self.by_expansion.setdefault(words, []).append((entry, acronym[0]))
        self.longest = max((len(w) for w in self.by_expansion), default=0)

    def _expansions_of(self, acronym: str) -> list[tuple[str, ...]]:
        return [words for _, words in self.by_acronym.get(acronym, [])]

    def expand(self, nodes: list[Node]) -> tuple[list[Node], tuple[str, ...]]:
        """``nodes`` (a sequence of query words) with acronyms and expansions as alternatives, and what matched."""
        found: list[str] = []
        return self._sequence(list(nodes), found), tuple(dict.fromkeys(found))

    def _rewrite(self, node: Node, found: list[str]) -> Node:
        if isinstance(node, AllOf):
            return AllOf(tuple(self._sequence(list(node.children), found)))
        if single_term(node) is not None:
            return self._sequence([node], found)[0]
        if isinstance(node, AnyOf):
            return AnyOf(tuple(self._rewrite(child, found) for child in node.children))
        return node

    def _sequence(self, nodes: list[Node], found: list[str]) -> list[Node]:
        words = [single_term(n) for n in nodes]
        out, i = [], 0
        while i < len(nodes):
            length, matches = self._expansion_at(words, i)
            if matches:
                run = nodes[i:i + length]
                alternatives = [_any_field(_fields(run[0]), (acronym,)) for _, acronym in matches]
                out.append(AnyOf((AllOf(tuple(run)) if length > 1 else run[0], *alternatives)))
                found.extend(entry.describe() for entry, _ in matches)
                i += length
                continue
            node = nodes[i]
            if words[i] in self.by_acronym:
                entries = self.by_acronym[words[i]]
                out.append(AnyOf((node, *(_any_field(_fields(node), w) for _, w in entries))))
                found.extend(entry.describe() for entry, _ in entries)
            else:
                out.append(node if words[i] is not None else self._rewrite(node, found))
            i += 1
        return out

    def _expansion_at(self, words, start):
        for length in range(min(self.longest, len(words) - start), 0, -1):
            key = tuple(words[start:start + length])
            if None not in key and key in self.by_expansion:
                return length, self.by_expansion[key]
        return 0, []


def _any_field(fields: list[tuple[str, float]], words: tuple[str, ...]) -> Node:
    """``words`` (one term, or a phrase) in any of ``fields``, with their boosts."""
    terms = tuple(Terms(name, tuple(words), boost) for name, boost in fields)
    return terms[0] if len(terms) == 1 else AnyOf(terms)


_built: list[tuple[object, Thesaurus]] = []


def thesaurus_for(analyzer) -> Thesaurus:
    """The thesaurus file analyzed by ``analyzer``, built once per distinct analyzer."""
    for known, thesaurus in _built:
        if known is analyzer or known == analyzer:  # the same object on every query: no deep comparison
            return thesaurus
    thesaurus = Thesaurus(load_entries(), lambda text: tuple(t.text for t in analyzer(text, mode="query")))
    _built.append((analyzer, thesaurus))
    return thesaurus


def expand(nodes: list[Node], analyzer) -> tuple[list[Node], tuple[str, ...]]:
    """Apply the thesaurus to a sequence of compiled query words; returns ``(nodes, expansions that matched)``.

    Entries are analyzed by ``analyzer``, the index's ranked text fields' own.
    """
    return thesaurus_for(analyzer).expand(nodes)
