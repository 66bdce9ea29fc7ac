"""One resolver for facet values, whether typed as an option or in the query.

``--type conference``, ``filters={"type": "conférence en ligne"}``,
``type=conference`` in a URL and ``type:conference`` in the query all
mean the stored value ``Conférence en ligne``. Values are resolved only
against the values the caller may see: a guessed word never reveals a
value that only a private resource carries. In order:

1. the stored value as written;
2. ``year``: a year, or a range ``2017..2019`` (either end may be left out);
3. ``territory``: an official code or a plain name (``59``, ``59000``,
   ``lille`` → ``Lille (59)``, through ``indexer.metadata``);
4. the same spelling without case and accents, else the stored values
   holding the typed words as whole words (``scic`` → ``coopératives et SCIC``).

A year that is not one (``abc``) or a reversed range is a usage error
(``FacetValueError``); a value that matches nothing is not, and the
planner says so in a warning.
"""

from __future__ import annotations

import re
from typing import Collection

from indexer.analysis import fold
from indexer.schema import FACET_FIELDS
from search.errors import InvalidFilterError

# The facets as a French reader names them: labels on screens, lower case inside sentences.
FACET_LABELS = {"type": "Type", "year": "Année", "theme": "Thème", "territory": "Territoire"}
YEAR_RANGE = re.compile(r"(\d{4})?\s*\.\.\s*(\d{4})?")


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
    return _by_words(wanted, values)


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


def not_found(field: str, text: str) -> str:
    """The warning for a value that selects nothing the caller may see."""
    return f"aucune ressource avec {FACET_LABELS.get(field, field).lower()} « {text} »"


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
