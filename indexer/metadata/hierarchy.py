"""The territory hierarchy for the faces: levels, parents, names and codes to labels.

A web page renders région → département → commune by asking each label
of the ``territory`` facet for its level and parents; a filter such as
``--territory 59`` or ``--territory lille`` is turned into the stored
label by ``resolve_territory``.
"""

from __future__ import annotations

import re

from indexer.metadata.gazetteer import LEVELS, Territory, gazetteer, name_key

LEVEL_PREFERENCE = "RDEC"


def territory_level(label: str) -> str:
    """``"Lille (59)"`` → ``"commune"``; "région", "département", "epci", or "" if unknown.

    >>> territory_level("Nord (59)"), territory_level("Hauts-de-France")
    ('département', 'région')
    """
    territory = gazetteer().by_label.get(label)
    return LEVELS[territory.level] if territory else ""


def territory_parents(label: str) -> tuple[str, ...]:
    """Labels of the levels directly above: ``"Lille (59)"`` → ``("Nord (59)",)``.

    An EPCI lists every département its communes are in; a région has none.

    >>> territory_parents("Nord (59)")
    ('Hauts-de-France',)
    """
    territory = gazetteer().by_label.get(label)
    return tuple(gazetteer().by_id[p].label for p in territory.parents) if territory else ()


def territories_by_level(counts: dict[str, int]) -> dict[str, dict[str, int]]:
    """Split the ``territory`` facet counts by level, for drilling down région → département → commune.

    Levels come in that order (with "epci" between département and commune);
    each keeps the order of ``counts``; labels the table does not know are left out.

    >>> territories_by_level({"Lille (59)": 1, "Hauts-de-France": 1, "Nord (59)": 1})
    {'région': {'Hauts-de-France': 1}, 'département': {'Nord (59)': 1}, 'epci': {}, 'commune': {'Lille (59)': 1}}
    """
    levels: dict[str, dict[str, int]] = {LEVELS[code]: {} for code in LEVEL_PREFERENCE}
    for label, count in counts.items():
        level = territory_level(label)
        if level:
            levels[level][label] = count
    return levels


def _by_code(code: str) -> Territory | None:
    g = gazetteer()
    if re.fullmatch(r"\d{9}", code):
        return g.by_id.get("E" + code)
    if re.fullmatch(r"\d[\dAB]\d{3}", code):
        communes = g.postal.get(code, [])
        return g.by_id.get("C" + code) or (communes[0] if len(communes) == 1 else None)
    return g.by_id.get("D" + code.upper())


def resolve_territory(query: str) -> str:
    """The label a user means by a name or an official code at any level, or "".

    Codes: a département ("59", "2A", "974"), a commune (INSEE code, or a
    postal code shared by no other commune), an EPCI (SIREN). Names: any
    official name, accents and case optional; when several territories
    share it, the highest level wins, then the most populous commune.

    >>> resolve_territory("59"), resolve_territory("lille"), resolve_territory("Auvergne Rhone Alpes")
    ('Nord (59)', 'Lille (59)', 'Auvergne-Rhône-Alpes')
    """
    query = query.strip()
    if query in gazetteer().by_label:
        return query
    territory = _by_code(query) if re.fullmatch(r"[\dAB]{2,9}", query, re.I) else None
    if territory is None:
        forms = gazetteer().names.get(name_key(query), [])
        ranked = sorted(
            (f.territory for f in forms),
            key=lambda t: (LEVEL_PREFERENCE.index(t.level), -t.population),
        )
        territory = ranked[0] if ranked else None
    return territory.label if territory else ""
