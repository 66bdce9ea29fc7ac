"""From the typed query to what a backend ranks: one pass, shared by every backend.

``plan_search`` parses the query (``search.query``), writes its compounds
as their parts (``search.compounds``: ``tiers-lieux``, ``tierslieux``), resolves the facet
filters (``search.facet_values``: the options' and the query's prefixes,
against the values the caller may see), finds typo corrections in the
caller's visible vocabulary (``search.typos``), compiles the tree once
into analysed nodes (``search.compile``, ``search.nodes``) with the
thesaurus applied (``search.thesaurus``), and returns a ``Plan``: the
clauses to rank, the adjacent-word pairs for proximity, what must and
must not match, the terms to highlight, and what to tell the user. The
backend (``search.ranking`` locally, ``search.cluster`` on Typesense)
never parses nor compiles anything.

A plain query of several words is one clause per word or phrase: a
document needs only one of them, and coordination ranks it by how many
it has. Facets typed in the query are filters, never optional; negated
words exclude; any other query (``a OU b``, one word) is one clause.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Collection, Protocol

from indexer.schema import TEXT_FIELDS, WORDS_FIELD
from search.budget import Budget
from search.compounds import compounds
from search.compile import FUZZY_BOOST, Compiler, analysed
from search.errors import InvalidFilterError
from search.facet_values import FacetValueError, not_found, resolve
from search.nodes import FacetIs, Node, Terms, any_of, leaves
from search.query import MAX_WARNINGS, All, Any, Facet, Not, Phrase, Word, parse
from search.snippets import Highlight
from search.thesaurus import expand
from search.typos import Correction, corrections, plain_words, suggestion



class IndexView(Protocol):
    """What planning needs from a backend, for one caller: private resources already left out.

    Every count is over the documents the caller may see, so nothing a
    plan suggests, corrects to or echoes can come from a private resource.
    """

    def analyzer(self, field: str):
        """The analyzer of ``field`` (``title``, ``summary``, ``body``: French, stemmed; ``words``: plain)."""

    def facet_values(self, field: str) -> Collection[str]:
        """The stored values of facet ``field`` that at least one visible document carries."""

    def doc_count(self, word: str, at_most: int = 1000) -> int:
        """Visible documents with ``word`` (a ``words`` term), counted no further than ``at_most``."""

    def counts(self, words) -> dict[str, int]:
        """``doc_count`` of each of ``words``, asked at once (a cluster counts them in one round trip)."""

    def ranked_doc_count(self, text: str) -> int:
        """Visible documents matching ``text``'s analysed terms in the ranked fields (stems)."""

    def neighbours(self, word: str, edits: int) -> list[tuple[str, int, int]]:
        """Visible words within ``edits`` (Damerau-Levenshtein) sharing the first letter:
        ``[(word, distance, doc_count)]``, closest then most frequent first."""

    def prefix_words(self, prefix: str, limit: int, scan: int) -> list[str]:
        """Visible words starting with ``prefix`` (``words`` terms), most frequent first, among the
        first ``scan`` of them in alphabetical order (``search.compile`` bounds one query's work)."""

    def follows(self, previous: str, word: str) -> int:
        """Visible documents where ``word`` comes right after ``previous``."""

    def written(self, word: str, hyphenated: bool = False) -> str:
        """``word`` as the visible documents most often write it (``reserves`` → ``réservés``);
        ``hyphenated``: preferably with its hyphens (``coconstruction`` → ``co-construction``)."""

    def titles(self, text: str, limit: int) -> list[str]:
        """Titles of visible resources holding the words of ``text`` (the last as a prefix unless
        ``text`` ends with a space), best first, those holding them side by side before the others."""


@dataclass
class Plan:
    """What a backend ranks, filters and shows for one query.

    ``clauses`` are ranked (BM25F each, coordination over them) and
    ``pairs`` add proximity; a document must match a clause (or, with no
    clauses, it is browsed by date), every node of ``required`` and every
    filter of ``selected``, and no part of ``excluded``. ``selected`` are
    the option filters, per facet, and ``shown`` the same values as a face
    shows them ticked (resolved, else as typed); ``filters`` echoes every
    resolved facet value, options and query prefixes alike.
    """

    clauses: list[Node] = field(default_factory=list)
    pairs: list[Terms] = field(default_factory=list)
    required: list[Node] = field(default_factory=list)
    excluded: Node | None = None
    selected: dict[str, FacetIs] = field(default_factory=dict)
    shown: dict[str, tuple[str, ...]] = field(default_factory=dict)
    filters: dict[str, tuple[str, ...]] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    corrections: list[Correction] = field(default_factory=list)
    suggestion: str | None = None
    searchable: bool = True

    @property
    def browse(self) -> bool:
        """No words to rank: every document passing the filters, newest first."""
        return not self.clauses

    def highlight(self) -> Highlight:
        """What the snippets mark: each positive term of the clauses; phrases (quoted, a thesaurus
        expansion, a compound) and adjacent query words as sequences, marked whole where side by side."""
        terms: dict[str, set[str]] = {}
        sequences: dict[str, set[tuple[str, ...]]] = {}
        for leaf in [t for c in self.clauses for t in leaves(c)] + list(self.pairs):
            if leaf.is_phrase:
                sequences.setdefault(leaf.field, set()).add(leaf.terms)
            else:
                terms.setdefault(leaf.field, set()).add(leaf.terms[0])
        return Highlight({f: frozenset(t) for f, t in terms.items()}, {f: frozenset(s) for f, s in sequences.items()})


def plan_search(
    text: str, view: IndexView, filters: dict[str, tuple[str, ...]], strict: bool = False, budget: Budget | None = None,
) -> Plan:
    """Plan ``text`` within option ``filters``; raises ``QuerySyntaxError`` only when ``strict``,
    ``InvalidFilterError`` for an option value that cannot mean anything (``--year abc``).
    ``budget``: the search's time budget (``search.budget``), which bounds prefix expansions."""
    tree, parse_warnings = parse(text, strict=strict)
    tree, facet_nodes = _split_filters(tree)
    joined = compounds(tree, view)
    tree = joined.tree
    spellings = corrections(tree, view)
    found = spellings.corrections
    alternatives = {c.node_start: tuple((w, FUZZY_BOOST) for w in c.replacements) for c in found}
    alternatives.update({start: tuple((w, 1.0) for w in forms) for start, forms in spellings.forms.items()})
    for start, words in joined.alternatives.items():
        alternatives[start] = alternatives.get(start, ()) + tuple((w, 1.0) for w in words)
    compiler = Compiler(view, alternatives, sum(isinstance(w, Word) and w.prefix for w in _word_nodes(tree)), budget)
    plan = Plan(warnings=[str(w) for w in parse_warnings])
    plan.selected, plan.shown = _option_filters(filters, view, plan.warnings)
    prefixes = _prefix_filters(facet_nodes, compiler)
    plan.required = [FacetIs(f, values) for f, values in prefixes.items()]
    plan.filters = _echo(plan.shown, prefixes, facet_nodes)
    _compile(plan, tree, compiler, view)
    unique = list({c.word.casefold(): c for c in found}.values())
    plan.corrections, plan.suggestion = unique, suggestion(text, found)
    plan.warnings += [str(w) for w in compiler.warnings[:MAX_WARNINGS]] + [str(c) for c in unique[:MAX_WARNINGS]]
    plan.warnings += spellings.warnings()[:MAX_WARNINGS]
    return plan


COSTLY_PREFIXES = 2   # prefixes in a query that may expand past one prefix's MAX_EXPANSIONS words


def costly(text: str) -> bool:
    """Whether searching ``text`` may cost far more than a query of words: it has ``COSTLY_PREFIXES``
    prefixes or more (``a* b* … z*``: 512 words, 55 ms against 3 for ``marchés publics``; ``a*``
    alone is bounded to 64, 10 ms). A server runs such searches apart (``search.http.apart``)."""
    tree, _ = parse(text or "")
    return sum(isinstance(n, Word) and n.prefix for n in _word_nodes(tree)) >= COSTLY_PREFIXES


def _split_filters(tree):
    """Facet prefixes at the top level are filters: ``(rest_of_tree, [Facet, ...])``."""
    if isinstance(tree, Facet):
        return None, [tree]
    if isinstance(tree, All):
        facets = [i for i in tree.items if isinstance(i, Facet)]
        rest = tuple(i for i in tree.items if not isinstance(i, Facet))
        return (All(rest) if len(rest) > 1 else (rest[0] if rest else None)), facets
    return tree, []


def _option_filters(filters, view, warnings: list[str]) -> tuple[dict[str, FacetIs], dict[str, tuple[str, ...]]]:
    """Resolve the option filters exactly as query prefixes are: ``({facet: FacetIs}, echo)``."""
    selected, echoed = {}, {}
    for name, values in filters.items():
        resolved, shown = [], []
        visible = view.facet_values(name)
        for value in values:
            try:
                found = resolve(name, value, visible)
            except FacetValueError as error:
                raise InvalidFilterError(str(error), param=name) from None
            if not found:
                warnings.append(not_found(name, value, visible))
            resolved.extend(found)
            shown.extend(found or (value,))
        selected[name] = FacetIs(name, tuple(dict.fromkeys(resolved)))
        echoed[name] = tuple(dict.fromkeys(shown))
    return selected, echoed


def _prefix_filters(facet_nodes, compiler: Compiler) -> dict[str, tuple[str, ...]]:
    """``type:étude année:2018`` → ``{"type": ("Étude",), "year": ("2018",)}``; one facet's values OR-ed."""
    found: dict[str, tuple[str, ...]] = {}
    for node in facet_nodes:
        found[node.field] = found.get(node.field, ()) + compiler.facet_values(node)
    return found


def _echo(options, prefixes, facet_nodes) -> dict[str, tuple[str, ...]]:
    """Every facet value the search is filtered by: resolved, else as typed (never a hidden value)."""
    typed: dict[str, tuple[str, ...]] = {}
    for node in facet_nodes:
        typed[node.field] = typed.get(node.field, ()) + (node.value,)
    echo = {name: values for name, values in options.items()}
    for name in prefixes:
        shown = prefixes[name] or typed[name]
        echo[name] = tuple(dict.fromkeys(echo.get(name, ()) + shown))
    return echo


def _compile(plan: Plan, tree, compiler: Compiler, view: IndexView) -> None:
    """Clauses, required and excluded parts of ``tree``, the thesaurus applied to the clauses.

    A group made only of facets (``(année:2018 OU année:2022)``) is
    required; a group mixing words and facets is a clause like any other.
    """
    if tree is None:
        return
    items = tree.items if isinstance(tree, All) else (tree,)
    positive = [i for i in items if not isinstance(i, Not)]
    words = [c for c in (compiler.build(i) for i in positive if not _only_facets(i)) if c is not None]
    plan.required += [r for r in (compiler.build(i) for i in positive if _only_facets(i)) if r is not None]
    plan.excluded = any_of(compiler.build(i.item) for i in items if isinstance(i, Not))
    if words:
        plan.clauses, expansions = expand(words, view.analyzer("body"))
        plan.warnings += list(expansions)
        plan.pairs = proximity_pairs(tree, compiler)
    elif any(True for i in positive for _ in _word_nodes(i)):  # "-insertion" alone has nothing to warn about
        plan.warnings.append(_nothing_to_search(All(tuple(positive)), view))
        plan.searchable = bool(plan.required or plan.excluded is not None or plan.selected)


def proximity_pairs(tree, compiler: Compiler) -> list[Terms]:
    """One two-word phrase per pair of adjacent analysed query words, in each ranked field."""
    terms = [group[0] for word in plain_words(tree) for group in compiler.analysed("body", word.text)]
    pairs = dict.fromkeys((a, b) for a, b in zip(terms, terms[1:]) if a != b)
    return [Terms(f, (a, b)) for a, b in pairs for f in TEXT_FIELDS]


def _nothing_to_search(tree, view: IndexView) -> str:
    """Why a query with words has nothing to search: stop words, a lone ``*``, or no letters at all."""
    texts = [n.text for n in _word_nodes(tree)]
    if any(analysed(view.analyzer(WORDS_FIELD), t) for t in texts):
        return "aucun mot à chercher : les mots très courants (le, de, et…) sont ignorés"
    if texts and all(t.strip("*") == "" for t in texts):
        return "aucun mot à chercher : une troncature demande au moins une lettre avant « * » (ex. constru*)"
    shown = " ".join(texts)[:40]
    return f"aucun mot à chercher : « {shown} » ne contient ni lettre ni chiffre"


def _word_nodes(tree):
    if isinstance(tree, (Word, Phrase)):
        yield tree
    elif isinstance(tree, Not):
        yield from _word_nodes(tree.item)
    elif isinstance(tree, (All, Any)):
        for item in tree.items:
            yield from _word_nodes(item)


def _only_facets(node) -> bool:
    """True when a query-tree node is a facet prefix or a group of them (``(année:2018 OU année:2022)``)."""
    if isinstance(node, Facet):
        return True
    if isinstance(node, Not):
        return _only_facets(node.item)
    return isinstance(node, (All, Any)) and all(_only_facets(i) for i in node.items)
