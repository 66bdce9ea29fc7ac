"""One resolver for facet values, whether typed as an option or in the query.

``--type conference``, ``filters={"type": "conférence en ligne"}``,
``type=conference`` in a URL and ``type:conference`` in the query all
mean the stored value ``Conférence en ligne``. Values are resolved only
against the values the caller may see: a guessed word never reveals a
value that only a private resource carries. In order:

1. the stored value as written;
2. ``year``: a year, or a range ``2017..2019`` (either end may be left out);
3. ``territory``: an official code or a plain name (``59``, ``59000``,
   ``lille`` → ``Lille (59)``, through ``indexer.metadata``); a commune that
   no resource names as such is searched by its name (``38000`` →
   ``Grenoble (38)`` → ``Grenoble-Alpes-Métropole``, as ``grenoble`` is);
4. the same spelling without case and accents, else the stored values
   holding the typed words as whole words (``scic`` → ``coopératives et SCIC``);
5. the stored values holding every typed word in some form, word by word:
   the same stem (``études`` → ``Étude``, ``conferences`` → ``Conférence en
   ligne``) or a typo away (``repères`` → ``RepèrESS``), hyphens as spaces
   (``outre mer`` → ``outre-mer``);
6. the same through the query's thesaurus (``marchés publics`` → ``commande
   publique``).

A year that is not one (``abc``) or a reversed range is a usage error
(``FacetValueError``); a value that matches nothing is not, and the
planner says so in a warning naming the closest values the caller may see.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Collection

from indexer.analysis import fold, french_analyzer, plain_analyzer
from indexer.schema import FACET_FIELDS
from search.errors import InvalidFilterError
from search.thesaurus import thesaurus_for
from search.words import is_neighbour

# The facets as a French reader names them: labels on screens, lower case inside sentences.
FACET_LABELS = {"type": "Type", "year": "Année", "theme": "Thème", "territory": "Territoire"}
YEAR_RANGE = re.compile(r"(\d{4})?\s*\.\.\s*(\d{4})?")
CLOSEST = 3


class FacetValueError(ValueError):
    """A value that cannot mean anything for its facet; the message is French."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field


def resolve(field: str, text: str, values: Collection[str]) -> tuple[str, ...]:
    """The stored ``values`` that ``text`` selects in ``field`` (may be empty).

    >>> resolve("type", "conference", ["Étude", "Conférence en ligne"])
    ('Conférence en ligne',)
    >>> resolve("year", "2017..2018", ["2016", "2017", "2018", "2019"])
    ('2017', '2018')
    """
    wanted = text.strip()
    if wanted in values:
        return (wanted,)
    if field == "year":
        return _years(wanted, values)
    if field == "territory":
        label = _territory_label(wanted)
        if label in values:
            return (label,)
        found = _by_words(wanted, values)
        if found or not label:
            return found or _by_forms(wanted, values)
        wanted = label.split(" (")[0]  # "Grenoble (38)": what the commune's name finds
    return _by_words(wanted, values) or _by_forms(wanted, values)


def _years(text: str, values: Collection[str]) -> tuple[str, ...]:
    span = YEAR_RANGE.fullmatch(text)
    if span is None:
        if not re.fullmatch(r"\d{4}", text):
            raise FacetValueError("year", f"année invalide : « {text} » (attendu : 2018, 2017..2019, 2018.. ou ..2017)")
        return ()
    low, high = int(span[1] or 0), int(span[2] or 9999)
    if low > high:
        raise FacetValueError("year", f"intervalle d'années inversé : « {text} » (attendu : {span[2]}..{span[1]})")
    return tuple(sorted(y for y in values if y.isdigit() and low <= int(y) <= high))


def _territory_label(text: str) -> str:
    """A code or plain name as the stored label; the territory table loads only when needed."""
    from indexer.metadata import resolve_territory

    return resolve_territory(text)


def _by_words(text: str, values: Collection[str]) -> tuple[str, ...]:
    wanted = fold(text).strip()
    if not wanted:
        return ()
    exact = tuple(sorted(v for v in values if fold(v) == wanted))
    if exact:
        return exact
    pattern = re.compile(r"\b%s\b" % re.escape(wanted))
    return tuple(sorted(v for v in values if pattern.search(fold(v))))


@lru_cache(maxsize=1)
def _analyzers():
    return plain_analyzer(), french_analyzer()


@lru_cache(maxsize=8192)
def _forms(text: str) -> tuple[tuple[str, str], ...]:
    """``(folded word, stem)`` for each word of ``text`` that is not a stop word, hyphens as spaces;
    remembered, since every stored value is compared again at each unresolved filter."""
    plain, stemmed = _analyzers()
    out = []
    for token in plain(text, mode="query"):
        word = token.text
        stems = [t.text for t in stemmed(word, mode="query")]
        if stems:
            out.append((word, stems[0]))
    return tuple(out)


def _same(typed: tuple[str, str], stored: tuple[str, str]) -> bool:
    """One word in two forms: the same stem, or (5 letters or more) one typo apart."""
    if typed[1] == stored[1]:
        return True
    return len(typed[0]) >= 5 and is_neighbour(typed[0], stored[0], 1)


def _holds(words: tuple[tuple[str, str], ...], value: str) -> bool:
    stored = _forms(value)
    return bool(words) and all(any(_same(w, s) for s in stored) for w in words)


def _by_forms(text: str, values: Collection[str]) -> tuple[str, ...]:
    """The values holding every word of ``text``, or of a thesaurus form of it, in some form."""
    words = _forms(text)
    found = tuple(sorted(v for v in values if _holds(words, v)))
    if found or not words:
        return found
    thesaurus = thesaurus_for(_analyzers()[1])
    others = thesaurus.alternatives(tuple(stem for _, stem in words))
    return tuple(sorted(v for v in values if any(_holds([(s, s) for s in other], v) for other in others)))


def closest(field: str, text: str, values: Collection[str], limit: int = CLOSEST) -> list[str]:
    """The ``limit`` values most like ``text``: years the nearest in time, other values spelled
    the most alike (case and accents aside), closest first.

    >>> closest("type", "etudes de cas", ["Étude", "Conférence en ligne", "Retour de rencontre"], 2)
    ['Étude', 'Retour de rencontre']
    >>> closest("year", "1990", ["2017", "2018", "1985", "2022"], 2)
    ['1985', '2017']
    """
    from rapidfuzz import fuzz, process

    ordered = sorted(values)
    if field == "year":
        typed = int(text) if text.isdigit() else 0
        return sorted(ordered, key=lambda y: abs(int(y) - typed) if y.isdigit() else 10_000)[:limit]
    folded = {fold(v): v for v in ordered}
    best = process.extract(fold(text), list(folded), scorer=fuzz.WRatio, limit=limit)
    return [folded[match] for match, _, _ in best]


def not_found(field: str, text: str, values: Collection[str] = ()) -> str:
    """The warning for a value that selects nothing the caller may see, with the closest values
    the caller may see (``values``)."""
    message = f"aucune ressource avec {FACET_LABELS.get(field, field).lower()} « {text} »"
    near = closest(field, text.strip(), values)
    return f"{message} (valeurs proches : {', '.join(near)})" if near else message


def normalise_filters(filters: dict | None) -> dict[str, tuple[str, ...]]:
    """Check facet names and turn each value into a tuple of non-empty strings."""
    clean: dict[str, tuple[str, ...]] = {}
    for name, value in (filters or {}).items():
        if name not in FACET_FIELDS:
            raise InvalidFilterError(
                f"filtre inconnu : {name!r} (filtres possibles : {', '.join(FACET_FIELDS)})", param=name
            )
        values = (value,) if isinstance(value, (str, int)) else tuple(value or ())
        values = tuple(str(v).strip() for v in values if str(v).strip())
        if values:
            clean[name] = values
    return clean
