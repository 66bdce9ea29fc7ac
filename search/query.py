"""Parse what the user typed into a small query tree, leniently.

The language is the one people know from web search engines, in French
and English: plain words (all must match), ``"phrases"`` (also « » and
“ ”), ``ET``/``AND``, ``OU``/``OR``, ``SAUF``/``NOT`` and ``-mot``,
parentheses, ``constru*`` and field prefixes (``titre:``, ``résumé:``,
``texte:``, ``type:``, ``année:``, ``thème:``, ``territoire:`` and their
English names). ``OU`` binds tighter than ``ET``, as on the web:
``a b OU c`` is ``a ET (b OU c)``.

Nothing the user types is an error: what the parser cannot understand
(an unknown field, a stray parenthesis, a lone operator, an unclosed
quote) is searched as plain words or dropped, and a ``QueryWarning`` says
where. ``parse(text, strict=True)`` raises ``QuerySyntaxError`` at the
first such place instead. The tree is turned into Whoosh queries by
``search.compile``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from indexer.analysis import fold
from indexer.schema import FACET_FIELDS, TEXT_FIELDS
from search.errors import QuerySyntaxError

MAX_CLAUSES = 32
MAX_DEPTH = 16
MAX_WARNINGS = 5

# Field prefixes, folded (so ``Résumé:`` and ``resume:`` are the same).
FIELD_NAMES = {
    "titre": "title", "title": "title", "resume": "summary", "summary": "summary",
    "texte": "body", "corps": "body", "body": "body", "type": "type", "annee": "year",
    "year": "year", "theme": "theme", "territoire": "territory", "territory": "territory",
}
OPERATORS = {"ET": "AND", "AND": "AND", "OU": "OR", "OR": "OR", "SAUF": "NOT", "NOT": "NOT"}
QUOTES = {'"': '"', "«": "»", "“": "”"}

_TOKEN = re.compile(
    r"""(?P<space>\s+)
    |(?P<open>\()|(?P<close>\))
    |(?P<quote>["«“])
    |(?P<sign>[-+])(?=\S|\s*$)
    |(?P<field>[^\W\d_]+):\s*
    |(?P<word>[^\s()"«“»”]+|[»”])""",
    re.VERBOSE,
)


@dataclass(frozen=True)
class Word:
    """A word to find in ``fields`` (None: every text field); ``prefix`` for ``mot*``.

    ``literal``: searched exactly as typed, never spell-corrected (an unknown
    field name such as ``auteur`` in ``auteur:x`` is not a misspelt word).
    """

    text: str
    start: int
    fields: tuple[str, ...] | None = None
    prefix: bool = False
    literal: bool = False


@dataclass(frozen=True)
class Phrase:
    """Words to find next to each other, in order."""

    text: str
    start: int
    fields: tuple[str, ...] | None = None


@dataclass(frozen=True)
class Facet:
    """``type:``, ``année:``, ``thème:``, ``territoire:``: a value of a facet field."""

    field: str
    value: str
    start: int


@dataclass(frozen=True)
class Not:
    item: object


@dataclass(frozen=True)
class All:
    """Every item must match (``ET``, or words side by side)."""

    items: tuple


@dataclass(frozen=True)
class Any:
    """At least one item must match (``OU``)."""

    items: tuple


@dataclass(frozen=True)
class QueryWarning:
    """Something the parser did not understand, where (0-based character), and what it did."""

    position: int
    message: str

    def __str__(self) -> str:
        return f"{self.message} (position {self.position + 1})"


@dataclass(frozen=True)
class Token:
    kind: str
    text: str
    start: int


def tokenize(text: str) -> list[Token]:
    """Split the query into tokens; a quote swallows everything up to its closing quote."""
    tokens, pos = [], 0
    while pos < len(text):
        match = _TOKEN.match(text, pos)
        kind = match.lastgroup
        if kind == "quote":
            close = text.find(QUOTES[match.group()], match.end())
            end = len(text) if close < 0 else close + 1
            tokens.append(Token("phrase" if close >= 0 else "open_quote", text[match.end():end - (close >= 0)], pos))
            pos = end
            continue
        if kind == "word" and match.group() in OPERATORS:
            kind = OPERATORS[match.group()]
        if kind != "space":
            tokens.append(Token(kind, match.group("field") if kind == "field" else match.group(), pos))
        pos = match.end()
    return tokens


def parse(text: str, strict: bool = False):
    """Return ``(tree, warnings)``; the tree is None for an empty query.

    With ``strict`` the first warning is raised as ``QuerySyntaxError``;
    otherwise the first ``MAX_WARNINGS`` are returned, in query order.
    """
    parser = _Parser(tokenize(text))
    tree = parser.parse()
    warnings = sorted(parser.warnings, key=lambda w: w.position)
    if strict and warnings:
        raise QuerySyntaxError(str(warnings[0]), warnings[0].position)
    return tree, tuple(warnings[:MAX_WARNINGS])


class _Parser:
    """Recursive descent over the tokens; every problem becomes a warning."""

    def __init__(self, tokens: list[Token]):
        self.tokens = tokens
        self.pos = 0
        self.depth = 0
        self.clauses = 0
        self.warnings: list[QueryWarning] = []

    def warn(self, position: int, message: str) -> None:
        self.warnings.append(QueryWarning(position, message))

    def peek(self) -> Token | None:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def parse(self):
        items = []
        while self.peek() is not None:
            node = self.conjunction(None)
            if node is not None:
                items.append(node)
            token = self.peek()
            if token is not None and token.kind == "close":
                self.warn(token.start, "parenthèse fermante sans ouvrante, ignorée")
                self.pos += 1
        return _join(All, items)

    def conjunction(self, fields):
        """Items side by side or joined by ET; ``SAUF x`` adds ``Not(x)``."""
        items = []
        while (token := self.peek()) is not None and token.kind != "close":
            if token.kind == "AND":
                self.pos += 1
                if not items or self.peek() is None or self.peek().kind == "close":
                    self.warn(token.start, f"opérateur « {token.text} » sans terme de part et d'autre, ignoré")
                continue
            node = self.disjunction(fields)
            if node is not None:
                items.append(node)
        return _join(All, items)

    def disjunction(self, fields):
        """Items joined by OU."""
        items = [self.unary(fields)]
        while (token := self.peek()) is not None and token.kind == "OR":
            self.pos += 1
            nxt = self.peek()
            if nxt is None or nxt.kind in ("close", "OR", "AND"):
                self.warn(token.start, f"opérateur « {token.text} » sans terme à droite, ignoré")
                continue
            items.append(self.unary(fields))
        return _join(Any, items)

    def unary(self, fields):
        """``-x``, ``+x``, ``SAUF x``, ``NOT x``: any number of signs, read in a loop."""
        negate, start = False, None
        while (token := self.peek()) is not None and token.kind in ("sign", "NOT"):
            start = token.start if start is None else start
            negate ^= token.text != "+"
            self.pos += 1
        token = self.peek()
        if token is None or token.kind in ("close", "OR", "AND"):
            if start is not None:
                self.warn(start, "signe ou opérateur sans terme à droite, ignoré")
            elif token is not None and token.kind != "close":
                self.warn(token.start, f"opérateur « {token.text} » sans terme à gauche, ignoré")
                self.pos += 1
            return None
        node = self.primary(fields)
        return Not(node) if negate and node is not None else node

    def primary(self, fields):
        token = self.peek()
        self.pos += 1
        if token.kind == "open":
            return self.group(token, fields)
        if token.kind == "field":
            return self.field(token, fields)
        if token.kind == "open_quote":
            self.warn(token.start, "guillemet non fermé : cherché comme des mots")
            return self.words(token, fields)
        return self.clause(token, fields)

    def clause(self, token: Token, fields):
        """A word or phrase, up to ``MAX_CLAUSES`` of them (a pasted page is not a query)."""
        self.clauses += 1
        if self.clauses > MAX_CLAUSES:
            if self.clauses == MAX_CLAUSES + 1:
                self.warn(token.start, f"requête trop longue : seuls les {MAX_CLAUSES} premiers termes sont cherchés")
            return None
        return self.leaf(token, fields)

    def group(self, token: Token, fields):
        if self.depth >= MAX_DEPTH:
            self.warn(token.start, "parenthèses trop imbriquées, ignorées")
            return None
        self.depth += 1
        node = self.conjunction(fields)
        self.depth -= 1
        closing = self.peek()
        if closing is None:
            self.warn(token.start, "parenthèse ouvrante sans fermante")
        else:
            self.pos += 1
        return node

    def field(self, token: Token, fields):
        """``name:value``; nested prefixes (``titre:titre:…``) count towards the depth limit."""
        if self.depth >= MAX_DEPTH:
            self.warn(token.start, "préfixes de champ trop imbriqués, ignorés")
            return None
        self.depth += 1
        node = self.field_value(token, fields)
        self.depth -= 1
        return node

    def field_value(self, token: Token, fields):
        name = FIELD_NAMES.get(fold(token.text))
        if name is None:
            self.warn(token.start, f"champ inconnu « {token.text} » : cherché comme un mot")
            node = self.unary(fields) if self._has_value() else None
            return _join(All, [self.clause(Token("literal", token.text, token.start), fields), node])
        if not self._has_value():
            self.warn(token.start, f"champ « {token.text} » sans valeur, ignoré")
            return None
        return self.unary((name,))

    def _has_value(self) -> bool:
        """Whether a field prefix is followed by something to search (not the end, a parenthesis or an operator)."""
        return self.peek() is not None and self.peek().kind not in ("close", "OR", "AND")

    def leaf(self, token: Token, fields):
        if fields and fields[0] in FACET_FIELDS:
            value = token.text.rstrip("*").strip()
            return Facet(fields[0], value, token.start) if value else None
        if token.kind == "literal":
            return Word(token.text, token.start, fields, literal=True)
        if token.kind not in ("word", "phrase"):
            token = Token("word", token.text, token.start)
        if token.kind == "phrase":
            return Phrase(token.text, token.start, fields) if token.text.strip() else None
        prefix = token.text.endswith("*") and len(token.text.rstrip("*")) > 0
        text = token.text.rstrip("*") if prefix else token.text
        return Word(text, token.start, fields, prefix)

    def words(self, token: Token, fields):
        """The text of an unclosed quote, word by word."""
        items = [
            self.leaf(Token("word", m.group(), token.start + 1 + m.start()), fields)
            for m in re.finditer(r"[^\s()]+", token.text)
        ][:MAX_CLAUSES]
        return _join(All, items)


def _join(kind, items):
    items = [i for i in items if i is not None]
    if not items:
        return None
    if len(items) == 1:
        return items[0]
    return kind(tuple(items))


def text_fields(fields: tuple[str, ...] | None) -> tuple[str, ...]:
    """The text fields a word is searched in."""
    return fields if fields else TEXT_FIELDS
