"""Query-time expansion of the field's acronyms and names, in both directions.

The RTES export writes ``ESS`` and never "économie sociale et solidaire";
users type either. The thesaurus (``indexer/data/thesaurus.tsv``, data not
code) is applied to the parsed query tree: a run of query words that spells
any form of an entry (a key such as an acronym, or one of its expansions;
one word or several, the longest run first) also matches the entry's other
forms, as phrases. An entry marked ``→`` (an ambiguous acronym: ``RC``) is
expanded when its key is typed, never searched for its expansion. An
expansion weighs as one word (``_any_field``). Expansion happens at query
time only, so editing the thesaurus needs no reindexing.

Entries are analyzed with the analyzer of the index's ranked text fields,
so they meet the query's tokens however those are stemmed and folded. It
rewrites compiled nodes (``search.nodes``), so both backends share it; facet
values are resolved through it too (``search.facet_values``).
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
    one_way: bool = False   # an ambiguous acronym (RC: also "responsabilité civile"): expanded when typed only

    def describe(self) -> str:
        return f"synonyme : {self.acronym} = {self.expansion}"


@lru_cache(maxsize=1)
def load_entries() -> tuple[Entry, ...]:
    """Every (acronym, expansion) pair of the thesaurus file."""
    with THESAURUS_PATH.open(encoding="utf-8", newline="") as f:
        rows = csv.DictReader((line for line in f if not line.startswith("#")), delimiter="\t")
        return tuple(
            Entry(row["acronym"].strip(), expansion.strip(), (row.get("direction") or "").strip() == "→")
            for row in rows
            for expansion in row["expansion"].split("|")
        )


def _fields(node: Node) -> list[tuple[str, float]]:
    terms = node.children if isinstance(node, AnyOf) else (node,)
    return [(t.field, t.boost) for t in terms]


class Thesaurus:
    """The entries analyzed by one field's analyzer: each form (a key or an expansion, as analysed
    words) with the forms it also matches."""

    def __init__(self, entries, analyze):
        self.by_form: dict[tuple[str, ...], dict[tuple[str, ...], Entry]] = {}
        for entry in entries:
            key, words = analyze(entry.acronym), analyze(entry.expansion)
            if key and words and key != words:  # else a spelling variant that analyzes the same
                self.by_form.setdefault(key, {}).setdefault(words, entry)
                if not entry.one_way:
                    self.by_form.setdefault(words, {}).setdefault(key, entry)
        self.longest = max((len(w) for w in self.by_form), default=0)

    def expand(self, nodes: list[Node]) -> tuple[list[Node], tuple[str, ...]]:
        """``nodes`` (a sequence of query words) with keys and expansions as alternatives, and what matched."""
        found: list[str] = []
        return self._sequence(list(nodes), found), tuple(dict.fromkeys(found))

    def alternatives(self, words: tuple[str, ...]) -> tuple[tuple[str, ...], ...]:
        """The other forms ``words`` (analysed) also matches: ``("march", "public")`` → ``(("command", "publiqu"),)``."""
        return tuple(self.by_form.get(words, {}))

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
            length, matches = self._form_at(words, i)
            if not matches:
                out.append(nodes[i] if words[i] is not None else self._rewrite(nodes[i], found))
                i += 1
                continue
            run = nodes[i:i + length]
            fields = _fields(run[0])
            alternatives = [_any_field(fields, other) for other in matches]
            out.append(AnyOf((AllOf(tuple(run)) if length > 1 else run[0], *alternatives)))
            found.extend(entry.describe() for entry in matches.values())
            i += length
        return out

    def _form_at(self, words, start) -> tuple[int, dict[tuple[str, ...], Entry]]:
        """The longest form starting at ``start``: its length and the forms it also matches."""
        for length in range(min(self.longest, len(words) - start), 0, -1):
            key = tuple(words[start:start + length])
            if None not in key and key in self.by_form:
                return length, self.by_form[key]
        return 0, {}


def _any_field(fields: list[tuple[str, float]], words: tuple[str, ...]) -> Node:
    """``words`` (one term, or a phrase) in any of ``fields``, with their boosts shared by the words.

    A phrase scores the sum of its words' BM25 (``search.nodes``): divided by
    its length, an expansion weighs as one word of the query, the mean of its
    own, whatever its length (BM25's saturation bounds how often it repeats),
    so "économie sociale et solidaire" does not outweigh the rarer words typed
    beside ``ESS``.
    """
    terms = tuple(Terms(name, tuple(words), boost / len(words)) for name, boost in fields)
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
